"""payment details on tickets, and the log of messages secrets were hidden from

Revision ID: 0008_facts_redaction
Revises: 0007_reporter_limits
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0008_facts_redaction"
down_revision: str | None = "0007_reporter_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("facts", sa.Text(), nullable=False, server_default="{}"))
    op.create_table(
        "redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kinds", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ticket_reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_redaction_created_at", "redaction", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_redaction_created_at", table_name="redaction")
    op.drop_table("redaction")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("facts")
