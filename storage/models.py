"""The tables. Alembic migrations in storage/migrations own the schema; these mirror it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import class_mapper
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Kind(StrEnum):
    issue = "issue"
    question = "question"


class Severity(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"


class Environment(StrEnum):
    staging = "staging"
    production = "production"


class Status(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    resolved = "resolved"
    closed = "closed"


UNRESOLVED = (Status.open, Status.acknowledged, Status.in_progress)


def _utc(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (Index("ix_ticket_reporter", "reporter_channel", "reporter_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(default="", index=True, unique=True)
    kind: str = Field(default=Kind.issue)
    title: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    severity: str | None = None
    environment: str | None = None
    status: str = Field(default=Status.open, index=True)
    reporter_channel: str
    reporter_user_id: str
    reporter_name: str = ""
    reporter_chat_id: str
    reporter_thread_id: str | None = None
    # The reporter's language (kept in step with their `person` row), so notices to them and the
    # team's alerts can be written without another query. None: the desk's default language.
    reporter_language: str | None = None
    assignee: str | None = None
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=_utc())
    acknowledged_by: str | None = None
    resolved_at: datetime | None = Field(default=None, sa_column=_utc())
    resolved_by: str | None = None
    # Escalation state lives on the row so a restart or a second process picks it up as it was.
    escalation_level: int = 0
    escalation_repeats: int = 0
    next_escalation_at: datetime | None = Field(default=None, sa_column=_utc(index=True))
    acknowledge_due_at: datetime | None = Field(default=None, sa_column=_utc())
    resolve_due_at: datetime | None = Field(default=None, sa_column=_utc())
    acknowledge_breached_at: datetime | None = Field(default=None, sa_column=_utc())
    resolve_breached_at: datetime | None = Field(default=None, sa_column=_utc())
    # The integration program: the reporter's merchant and its active project when filed, and
    # how alerts name them ("Duka Online · PRJ-3 · UAT"), frozen at filing time.
    merchant_id: int | None = None
    project_id: int | None = Field(default=None, index=True)
    program_label: str | None = Field(default=None, sa_column=Column(Text))
    # Payment details found in the title, details and the reporter's follow-ups (order
    # references, phone numbers in E.164, amounts, HTTP codes, endpoints, statuses): a JSON
    # object of kind -> values, written by handlers/facts.py.
    facts: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    # Reopening: how many times (also the round a satisfaction answer belongs to) and when
    # last; escalation counts from `reopened_at` when set.
    reopen_count: int = 0
    reopened_at: datetime | None = Field(default=None, sa_column=_utc())


class TicketFeedback(SQLModel, table=True):
    """The reporter's answer to "Did this solve it?" after one resolution (`round`: the
    ticket's `reopen_count` when it was resolved). One answer per round, the first one."""

    __tablename__ = "ticket_feedback"
    __table_args__ = (UniqueConstraint("ticket_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    round: int = 0
    solved: bool
    created_at: datetime = Field(sa_column=_utc(nullable=False, index=True))


class TicketMessage(SQLModel, table=True):
    """One line of a ticket's transcript; `public` ones are seen by the reporter."""

    __tablename__ = "ticket_message"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    author: str
    author_name: str = ""
    public: bool = True
    text: str = Field(sa_column=Column(Text, nullable=False))


class TicketEvent(SQLModel, table=True):
    """The audit trail: every change, who made it and when."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    actor: str
    action: str
    field: str | None = None
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))


class Conversation(SQLModel, table=True):
    """Where one user stands in a flow, per channel and chat; written after every step."""

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    user_id: str
    flow: str | None = None
    step: str | None = None
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    # Counts the writes: a turn saves only over the version it read (storage/conversations.py).
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Person(SQLModel, table=True):
    """What the desk knows about one identity (`channel` + platform user id): its language, and
    how that was chosen (`picked`, `platform`, `detected`), since a pick outranks the rest."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("channel", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    user_id: str
    language: str
    language_source: str
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class OutboxItem(SQLModel, table=True):
    """A message waiting to be delivered, written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat_order", "channel", "chat_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    channel: str
    chat_id: str
    thread_id: str | None = None
    kind: str
    ticket_reference: str | None = None
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_utc(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_utc())
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_utc())
    platform_message_id: str | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class ChannelMessage(SQLModel, table=True):
    """A platform message that belongs to a ticket (its team alert), so it can be edited or
    threaded later and so replies to it can be tied back to the ticket."""

    __tablename__ = "channel_message"
    __table_args__ = (
        UniqueConstraint("channel", "chat_id", "message_id"),
        Index("ix_channel_message_ticket", "ticket_id", "channel", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    channel: str
    chat_id: str
    message_id: str
    purpose: str = "alert"
    created_at: datetime = Field(sa_column=_utc(nullable=False))


class ProcessedUpdate(SQLModel, table=True):
    """Inbound deliveries already handled (Telegram update ids, Slack event ids)."""

    __tablename__ = "processed_update"

    source: str = Field(primary_key=True)
    update_id: str = Field(primary_key=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False))


class Redaction(SQLModel, table=True):
    """One message a secret was hidden from before it was stored: who sent it, where, and the
    kinds hidden (`api_key,card`). Never the value: the desk keeps no copy of it anywhere."""

    __tablename__ = "redaction"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False, index=True))
    channel: str
    chat_id: str
    user_id: str
    kinds: str
    # The ticket the text went to when the turn named one (a team note, a follow-up).
    ticket_reference: str | None = None


class MemberName(SQLModel, table=True):
    """A team member's display name as the platform last reported it when they acted: shown
    to merchants instead of their platform id when `[team] names` does not name them."""

    __tablename__ = "member_name"

    member_id: str = Field(primary_key=True)
    name: str
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class Page(SQLModel, table=True):
    """One escalation page sent for a ticket."""

    __tablename__ = "page"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    level: int
    repeat: int = 0
    due_at: datetime = Field(sa_column=_utc(nullable=False))
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    targets: str = ""


class KbLog(SQLModel, table=True):
    """Knowledge-base answers shown and how they were received, for deflection stats."""

    __tablename__ = "kb_log"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=_utc(nullable=False, index=True))
    channel: str
    user_id: str
    question: str = Field(sa_column=Column(Text, nullable=False))
    entry_id: str | None = None
    score: float | None = None
    outcome: str
    ticket_reference: str | None = None
    # The second-best entry's score when an answer was shown: a small lead over it (or over
    # the threshold) marks an answer that may be the wrong entry (`deskbot kb stats`).
    runner_up: float | None = None


class Reporter(SQLModel, table=True):
    """What the desk remembers about one reporter's limits: a block set by the team, and when
    the team was last told they went over a limit (told once per hour, not per message)."""

    __tablename__ = "reporter"

    channel: str = Field(primary_key=True)
    user_id: str = Field(primary_key=True)
    blocked_until: datetime | None = Field(default=None, sa_column=_utc())
    blocked_by: str | None = None
    over_limit_told_at: datetime | None = Field(default=None, sa_column=_utc())


class DeliveryAlarm(SQLModel, table=True):
    """A channel whose outbox is stuck: raised once per incident, cleared when it drains. A
    conditional update on this row decides which process tells the team, so it is told once."""

    __tablename__ = "delivery_alarm"

    channel: str = Field(primary_key=True)
    raised_at: datetime | None = Field(default=None, sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class Attachment(SQLModel, table=True):
    """A file someone sent about a ticket. The row is written when the file is announced; its
    bytes arrive later through the download queue (`status` pending until then), so the row is
    also that queue's entry: attempts, next try and lease, like an outbox row."""

    __tablename__ = "attachment"
    __table_args__ = (
        Index("ix_attachment_due", "status", "next_attempt_at"),
        Index("ix_attachment_ticket_hash", "ticket_id", "sha256"),
        UniqueConstraint("ticket_id", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None while the report it belongs to is still being written.
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    # 1, 2, ... within its ticket (`deskbot attachments get INT-4 2`).
    number: int | None = None
    # The transcript line it came with (its caption).
    message_id: int | None = Field(default=None, foreign_key="ticket_message.id")
    # Who sent it (`channel:user id`) and where from.
    owner: str
    owner_name: str = ""
    channel: str
    chat_id: str
    # The platform's id of the message that brought it, kept only where the bot may delete
    # that message (Telegram private chats): deleted when the file's text held a secret.
    deletable_id: str | None = Field(default=None, sa_column=Column(Text))
    internal: bool = False
    kind: str = "document"
    platform_file_id: str = ""
    # Where the bytes are fetched from when the file id is not enough (Slack's private URL).
    source: str | None = Field(default=None, sa_column=Column(Text))
    name: str
    declared_size: int | None = None
    mime_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    # The generated file name under `[attachments] path`; never the sender's name.
    storage_name: str | None = None
    caption: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = "pending"
    reason: str | None = None
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_utc(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_utc())
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    stored_at: datetime | None = Field(default=None, sa_column=_utc())


def new_row(model: type[_Row], **values: Any) -> _Row:
    """`model(**values)` without SQLModel's constructor, which sets every field through both
    pydantic's and SQLAlchemy's attribute machinery (about 0.2 ms for a ticket, on every report
    filed). Built the way SQLAlchemy builds a row it loads: same fields and defaults, no
    validation (a table model's constructor validates nothing either)."""
    missing = _required(model) - values.keys()
    if missing:
        raise TypeError(f"{model.__name__} needs {', '.join(sorted(missing))}")
    # The constructor ignores them too, but a misspelt field silently stored as its default
    # is a bug to hear about.
    unknown = values.keys() - model.model_fields.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    # class_mapper: the mappers are configured first (the constructor's first call does it).
    row: _Row = class_mapper(model).class_manager.new_instance()
    fields = row.__dict__
    for name, field in model.model_fields.items():
        fields[name] = (
            values[name] if name in values else field.get_default(call_default_factory=True)
        )
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    return row


_Row = TypeVar("_Row", bound=SQLModel)


@cache
def _required(model: type[SQLModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items() if field.is_required())
