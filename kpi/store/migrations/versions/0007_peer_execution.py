"""peer execution: other governments' 지방재정365 execution per 분야/부문, for the comparison on the districts page

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create peerexecution with its upload index and the index of a snapshot's rows."""
    op.create_table(
        "peerexecution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("district_cd", sqltypes.AutoString(length=5), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("government", sqltypes.AutoString(length=100), nullable=False),
        sa.Column("laf_name", sqltypes.AutoString(length=100), nullable=False),
        sa.Column("province", sqltypes.AutoString(length=20), nullable=False),
        sa.Column("sig_cd", sqltypes.AutoString(length=5), nullable=True),
        sa.Column("field_name", sqltypes.AutoString(length=100), nullable=False),
        sa.Column("part_name", sqltypes.AutoString(length=100), nullable=False),
        sa.Column("budget_current", sa.BigInteger(), nullable=False),
        sa.Column("executed", sa.BigInteger(), nullable=False),
        sa.Column("programs", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_cd"], ["district.sig_cd"]),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peerexecution", schema=None) as batch_op:
        batch_op.create_index(
            "ix_peerexecution_snapshot",
            ["district_cd", "fiscal_year", "as_of", "upload_id", "field_name", "part_name"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_peerexecution_upload_id"), ["upload_id"], unique=False)


def downgrade() -> None:
    """Drop peerexecution."""
    op.drop_table("peerexecution")
