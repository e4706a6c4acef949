"""program tree and value origins: program codes and levels, remembered aliases, and the source of every value

Revision ID: 0005
Revises: 0004

- program: `code` (official code as text) and `level`; names are no longer unique per district (two departments
  each have 기본경비), codes are unique per district.
- program_alias: names staff attached to a program once.
- budget, fact, target: `origin` (which kind of source stated the value) joins the key, so that two sources of
  one figure are kept side by side and never add up. Existing rows get the origin of their upload's kind.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEYS = {
    "budget": ("district_cd", "year", "program_id", "source"),
    "fact": ("district_cd", "year", "metric", "program_id", "month", "source"),
    "target": ("district_cd", "year", "metric", "program_id", "basis"),
}

# The origin of existing rows, from their upload's kind (kinds are '+'-joined table kinds).
_ORIGIN_SQL = {
    "budget": """CASE WHEN u.kind = 'demo' THEN 'demo' WHEN u.kind = 'template' THEN 'template' ELSE 'report' END""",
    "fact": """CASE WHEN u.kind = 'demo' THEN 'demo' WHEN u.kind = 'template' THEN 'template'
        WHEN {t}.metric = 'executed' THEN 'report'
        WHEN u.kind LIKE '%job_centre%' THEN 'centre_log' ELSE 'template' END""",
    "target": """CASE WHEN u.kind = 'demo' THEN 'demo' ELSE 'template' END""",
}


def _current_index(table: str, cols: Sequence[str]) -> None:
    """The one-current-row-per-key index, as kpi.store.model._current_unique declares it."""
    exprs: list[sa.TextClause | sa.ColumnElement[Any]] = [
        sa.text(f"coalesce({c}, 0)") if c.endswith("_id") else sa.column(c) for c in cols
    ]
    op.create_index(
        f"uq_{table}_current",
        table,
        exprs,
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )


def upgrade() -> None:
    """Add program code/level and the alias table; add `origin` to the value tables and to their keys."""
    bind = op.get_bind()
    naming = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with op.batch_alter_table("program", naming_convention=naming, recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("code", sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column("level", sqltypes.AutoString(length=12), nullable=True))
    if bind.dialect.name == "postgresql":
        op.drop_constraint("program_district_cd_name_key", "program", type_="unique")
    else:
        with op.batch_alter_table("program", naming_convention=naming, recreate="always") as batch_op:
            batch_op.drop_constraint("uq_program_district_cd", type_="unique")
    op.create_index("ix_program_name", "program", ["district_cd", "name"], unique=False)
    op.create_index(
        "uq_program_code",
        "program",
        ["district_cd", "code"],
        unique=True,
        sqlite_where=sa.text("code IS NOT NULL"),
        postgresql_where=sa.text("code IS NOT NULL"),
    )
    op.create_table(
        "programalias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_cd", sqltypes.AutoString(length=5), nullable=False),
        sa.Column("alias", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["district_cd"], ["district.sig_cd"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("district_cd", "alias"),
    )
    for table, key in OLD_KEYS.items():
        op.add_column(table, sa.Column("origin", sqltypes.AutoString(length=20), nullable=False, server_default=""))
        origin = _ORIGIN_SQL[table].format(t=table)
        op.execute(f"UPDATE {table} SET origin = (SELECT {origin} FROM upload u WHERE u.id = {table}.upload_id)")
        op.drop_index(f"uq_{table}_current", table_name=table)
        op.drop_index(f"ix_{table}_key", table_name=table)
        op.create_index(f"ix_{table}_key", table, [*key, "origin"], unique=False)
        _current_index(table, (*key, "origin"))


def downgrade() -> None:
    """Not supported: origins and codes cannot be dropped without losing which source stated what."""
    raise NotImplementedError("0005 cannot be downgraded")
