"""Alembic environment: runs on the connection that kpi.store hands over."""

from alembic import context
from sqlmodel import SQLModel

import kpi.store.model  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run migrations on config.attributes['connection'] (or a new engine for the configured URL)."""
    connection = config.attributes.get("connection")
    if connection is None:
        import sqlalchemy as sa

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("alembic: no connection given and no sqlalchemy.url configured")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    """Run the migrations on a connection (batch mode on SQLite, which cannot ALTER most things)."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
