"""upload codec: an upload's original file may be kept zstd-compressed (kpi/store/files.py), and PostgreSQL keeps
it without compressing it a second time

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add upload.content_codec ('' for the rows there are: kept as they came); on PostgreSQL store upload.content
    EXTERNAL (out of line, not pglz-compressed: files come packed by kpi.store.files.pack, or do not shrink)."""
    op.add_column(
        "upload", sa.Column("content_codec", sqltypes.AutoString(length=10), server_default="", nullable=False)
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE upload ALTER COLUMN content SET STORAGE EXTERNAL")


def downgrade() -> None:
    """Restore PostgreSQL's default storage of upload.content (EXTENDED) and drop upload.content_codec (a store with
    packed files must not go below 0008: their bytes would read as the files themselves)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE upload ALTER COLUMN content SET STORAGE EXTENDED")
    with op.batch_alter_table("upload") as batch:
        batch.drop_column("content_codec")
