"""the integration program: merchants, projects, stages, checklists, UAT; tickets point at them

Revision ID: 0005_program
Revises: 0004_languages
Create Date: 2026-11-30 06:50:00

Only adds tables and nullable ticket columns: every existing ticket is kept as it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_program"
down_revision: str | None = "0004_languages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "merchant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        _utc("created_at", False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "merchant_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merchant_id", sa.Integer(), sa.ForeignKey("merchant.id"), nullable=False),
        sa.Column("identity", sa.String(), nullable=False),
        _utc("created_at", False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("identity"),
    )
    op.create_index("ix_merchant_identity_merchant_id", "merchant_identity", ["merchant_id"])
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("merchant_id", sa.Integer(), sa.ForeignKey("merchant.id"), nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("objectives", sa.Text(), nullable=False),
        sa.Column("systems", sa.Text(), nullable=False),
        sa.Column("monthly_volume", sa.Text(), nullable=True),
        sa.Column("target_go_live", sa.String(), nullable=True),
        sa.Column("owner", sa.String(), nullable=True),
        sa.Column("owner_name", sa.String(), nullable=True),
        sa.Column("stage", sa.String(), nullable=False),
        _utc("stage_entered_at", False),
        sa.Column("contact_channel", sa.String(), nullable=False),
        sa.Column("contact_chat_id", sa.String(), nullable=False),
        sa.Column("contact_thread_id", sa.String(), nullable=True),
        sa.Column("merchant_signoff_by", sa.String(), nullable=True),
        _utc("merchant_signoff_at"),
        sa.Column("team_signoff_by", sa.String(), nullable=True),
        _utc("team_signoff_at"),
        _utc("go_live_at"),
        _utc("next_due_at"),
        sa.Column("reminded_day_before", sa.Boolean(), nullable=False),
        sa.Column("reminded_hour_before", sa.Boolean(), nullable=False),
        sa.Column("stall_nudged", sa.Boolean(), nullable=False),
        _utc("created_at", False),
        _utc("updated_at", False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_project_reference", "project", ["reference"], unique=True)
    op.create_index("ix_project_merchant_id", "project", ["merchant_id"])
    op.create_index("ix_project_stage", "project", ["stage"])
    op.create_index("ix_project_next_due_at", "project", ["next_due_at"])
    op.create_table(
        "project_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        _utc("entered_at", False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_project_stage_project_id", "project_stage", ["project_id"])
    op.create_table(
        "project_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("done_by", sa.String(), nullable=True),
        _utc("done_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "stage", "position"),
    )
    op.create_index("ix_project_check_project_id", "project_check", ["project_id"])
    op.create_table(
        "uat_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("ticket_reference", sa.String(), nullable=True),
        sa.Column("updated_by", sa.String(), nullable=True),
        _utc("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number"),
    )
    op.create_index("ix_uat_case_project_id", "uat_case", ["project_id"])
    op.create_table(
        "project_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        _utc("created_at", False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_project_event_project", "project_event", ["project_id", "id"])
    # Nullable columns: the existing tickets stay as they are, linked to nothing.
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merchant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("program_label", sa.Text(), nullable=True))
        batch_op.create_index("ix_ticket_project_id", ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_project_id")
        batch_op.drop_column("program_label")
        batch_op.drop_column("project_id")
        batch_op.drop_column("merchant_id")
    for table in ("project_event", "uat_case", "project_check", "project_stage", "project"):
        op.drop_table(table)
    op.drop_table("merchant_identity")
    op.drop_table("merchant")
