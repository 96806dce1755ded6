"""reopening and satisfaction: reopen count and moment on tickets, the reporters' answers

Revision ID: 0009_reopen_feedback
Revises: 0008_facts_redaction
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009_reopen_feedback"
down_revision: str | None = "0008_facts_redaction"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(
            sa.Column("reopen_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("reopened_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "ticket_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "round"),
    )
    op.create_index("ix_ticket_feedback_ticket_id", "ticket_feedback", ["ticket_id"])
    op.create_index("ix_ticket_feedback_created_at", "ticket_feedback", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_feedback_created_at", "ticket_feedback")
    op.drop_index("ix_ticket_feedback_ticket_id", "ticket_feedback")
    op.drop_table("ticket_feedback")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("reopened_at")
        batch.drop_column("reopen_count")
