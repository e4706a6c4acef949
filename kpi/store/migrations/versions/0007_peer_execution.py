"""peer execution: other governments' 지방재정365 execution per 분야/부문, for the comparison on the districts page

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("district_cd", "fiscal_year", "as_of", "government", "field_name", "part_name")


def upgrade() -> None:
    """Create peerexecution with its upload index, its slice index and the unique index of current keys."""
    op.create_table(
        "peerexecution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
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
        batch_op.create_index("ix_peerexecution_slice", ["district_cd", "fiscal_year", "part_name", "as_of"])
        batch_op.create_index(batch_op.f("ix_peerexecution_upload_id"), ["upload_id"], unique=False)
    # The unique index of current keys, partial as kpi.model._current_unique declares it (no id column: no coalesce).
    columns: list[Any] = [sa.column(c) for c in KEY]
    op.create_index(
        "uq_peerexecution_current",
        "peerexecution",
        columns,
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )


def downgrade() -> None:
    """Drop peerexecution."""
    op.drop_table("peerexecution")
