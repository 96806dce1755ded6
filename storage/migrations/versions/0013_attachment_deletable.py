"""attachment: the id of the message that brought it, where the bot may delete that message

Revision ID: 0013_attachment_deletable
Revises: 0012_conversation_version
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_attachment_deletable"
down_revision: str | None = "0012_conversation_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attachment") as batch:
        batch.add_column(sa.Column("deletable_id", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachment") as batch:
        batch.drop_column("deletable_id")
