"""login lockout: failed logins and locked-until on app users

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add appuser.failed_logins (existing accounts start at 0) and appuser.locked_until."""
    with op.batch_alter_table("appuser") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("locked_until", sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Drop the lockout columns."""
    with op.batch_alter_table("appuser") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
