"""kb log: the runner-up's score, for low-margin answers in `deskbot kb stats`

Revision ID: 0010_kb_log_runner_up
Revises: 0009_reopen_feedback
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_kb_log_runner_up"
down_revision: str | None = "0009_reopen_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kb_log") as batch:
        batch.add_column(sa.Column("runner_up", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb_log") as batch:
        batch.drop_column("runner_up")
