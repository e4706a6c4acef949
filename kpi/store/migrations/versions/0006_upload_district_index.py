"""upload index by district: the latest committed upload of a district without reading other uploads' file bytes

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index upload by (district_cd, status, id): queries.last_upload reads one index entry, not every row."""
    op.create_index("ix_upload_district", "upload", ["district_cd", "status", "id"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_upload_district", table_name="upload")
