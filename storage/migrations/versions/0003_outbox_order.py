"""outbox: an index for keeping each chat's messages in order

Revision ID: 0003_outbox_order
Revises: 0002_ops_alarm
Create Date: 2026-11-30 06:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_outbox_order"
down_revision: str | None = "0002_ops_alarm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A row is leased only when no earlier row of its chat is still waiting; this index answers
    # that question without scanning every pending row.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_chat_order", ["channel", "chat_id", "status", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_chat_order")
