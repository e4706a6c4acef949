"""program reasons: staff's 사유 and 조치계획 per program and month, versioned like every value

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("district_cd", "program_id", "year", "month")


def upgrade() -> None:
    """Add the reason table, its key and upload indexes, and the one-current-row-per-key index."""
    op.create_table(
        "reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("district_cd", sqltypes.AutoString(length=5), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("reason", sqltypes.AutoString(length=500), nullable=False),
        sa.Column("action", sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["district_cd"], ["district.sig_cd"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.create_index("ix_reason_key", list(KEY), unique=False)
        batch_op.create_index(batch_op.f("ix_reason_upload_id"), ["upload_id"], unique=False)
    # An expression index (autogenerate cannot compare it), as kpi.model._current_unique declares it.
    exprs: list[sa.TextClause | sa.ColumnElement[Any]] = [
        sa.text(f"coalesce({c}, 0)") if c.endswith("_id") else sa.column(c) for c in KEY
    ]
    op.create_index(
        "uq_reason_current",
        "reason",
        exprs,
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )


def downgrade() -> None:
    """Drop the reason table."""
    op.drop_index("uq_reason_current", table_name="reason")
    with op.batch_alter_table("reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reason_upload_id"))
        batch_op.drop_index("ix_reason_key")
    op.drop_table("reason")
