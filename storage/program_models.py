"""The integration program's tables: merchants, the chat identities that speak for them, and
their integration projects with stage history, checklists, UAT cases and an audit trail.
Alembic (0002_program) owns the schema; these mirror it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Merchant(SQLModel, table=True):
    __tablename__ = "merchant"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    # As the merchant gives it; ClickPesa's own format is not checked here.
    account_id: str = Field(sa_column=Column(Text, nullable=False))
    phone: str | None = None
    email: str | None = None
    created_at: datetime = Field(sa_column=_utc(nullable=False))


class MerchantIdentity(SQLModel, table=True):
    """A chat identity (`telegram:<id>`, `slack:<id>`, `console:<name>`) speaking for a merchant;
    one identity belongs to one merchant."""

    __tablename__ = "merchant_identity"

    id: int | None = Field(default=None, primary_key=True)
    merchant_id: int = Field(foreign_key="merchant.id", index=True)
    identity: str = Field(unique=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False))


class Project(SQLModel, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(default="", index=True, unique=True)
    merchant_id: int = Field(foreign_key="merchant.id", index=True)
    overview: str = Field(sa_column=Column(Text, nullable=False))
    objectives: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    systems: str = Field(default="", sa_column=Column(Text, nullable=False))
    monthly_volume: str | None = Field(default=None, sa_column=Column(Text))
    target_go_live: str | None = None  # YYYY-MM-DD as agreed, a date not an instant
    owner: str | None = None
    owner_name: str | None = None
    stage: str = Field(default="requested", index=True)
    stage_entered_at: datetime = Field(sa_column=_utc(nullable=False))
    # Where the merchant asked from: notices about the project go back there.
    contact_channel: str
    contact_chat_id: str
    contact_thread_id: str | None = None
    merchant_signoff_by: str | None = None
    merchant_signoff_at: datetime | None = Field(default=None, sa_column=_utc())
    team_signoff_by: str | None = None
    team_signoff_at: datetime | None = Field(default=None, sa_column=_utc())
    go_live_at: datetime | None = Field(default=None, sa_column=_utc())
    # Scheduled work lives on the row, like escalation: the earliest due moment (indexed) and
    # what has been done, so a restart or a second process repeats nothing.
    next_due_at: datetime | None = Field(default=None, sa_column=_utc(index=True))
    reminded_day_before: bool = False
    reminded_hour_before: bool = False
    stall_nudged: bool = False
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class ProjectStage(SQLModel, table=True):
    """Stage history: one row per stage entered."""

    __tablename__ = "project_stage"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    stage: str
    entered_at: datetime = Field(sa_column=_utc(nullable=False))
    by: str
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class ProjectCheck(SQLModel, table=True):
    """One checklist item of one stage, numbered from 1 within the stage."""

    __tablename__ = "project_check"
    __table_args__ = (UniqueConstraint("project_id", "stage", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    stage: str
    position: int
    item: str = Field(sa_column=Column(Text, nullable=False))
    done_by: str | None = None
    done_at: datetime | None = Field(default=None, sa_column=_utc())


class UatCase(SQLModel, table=True):
    __tablename__ = "uat_case"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    number: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    required: bool = True
    status: str = "not_run"  # not_run, pass, fail
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    ticket_reference: str | None = None
    updated_by: str | None = None
    updated_at: datetime | None = Field(default=None, sa_column=_utc())


class ProjectEvent(SQLModel, table=True):
    """The project's audit trail: every change, note and reply, who and when."""

    __tablename__ = "project_event"
    __table_args__ = (Index("ix_project_event_project", "project_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    actor: str
    action: str
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
