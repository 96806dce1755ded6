"""reporter limits: blocks set by the team and the over-limit notice

Revision ID: 0007_reporter_limits
Revises: 0006_member_names
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007_reporter_limits"
down_revision: str | None = "0006_member_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporter",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("blocked_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("blocked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("over_limit_told_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("channel", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("reporter")
