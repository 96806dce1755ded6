"""attachments: files on tickets, and the queue that downloads them

Revision ID: 0011_attachments
Revises: 0010_kb_log_runner_up
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0011_attachments"
down_revision: str | None = "0010_kb_log_runner_up"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("owner", text(), nullable=False),
        sa.Column("owner_name", text(), nullable=False),
        sa.Column("channel", text(), nullable=False),
        sa.Column("chat_id", text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("kind", text(), nullable=False),
        sa.Column("platform_file_id", text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("name", text(), nullable=False),
        sa.Column("declared_size", sa.Integer(), nullable=True),
        sa.Column("mime_type", text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", text(), nullable=True),
        sa.Column("storage_name", text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("status", text(), nullable=False),
        sa.Column("reason", text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stored_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["ticket_message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "number"),
    )
    op.create_index("ix_attachment_due", "attachment", ["status", "next_attempt_at"])
    op.create_index("ix_attachment_ticket_hash", "attachment", ["ticket_id", "sha256"])
    op.create_index("ix_attachment_ticket_id", "attachment", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_attachment_ticket_id", table_name="attachment")
    op.drop_index("ix_attachment_ticket_hash", table_name="attachment")
    op.drop_index("ix_attachment_due", table_name="attachment")
    op.drop_table("attachment")
