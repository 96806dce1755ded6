"""Tickets, their transcripts and their audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, or_
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.attachments import AttachmentRepository
from storage.database import core_connection, sqlite_driver
from storage.models import UNRESOLVED, ChannelMessage, Page, Ticket, TicketEvent, TicketMessage
from storage.types import sqlite_time

ALERT_PURPOSE = "alert"

_ticket_table = Ticket.__table__  # type: ignore[attr-defined]
_PG_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_CREATE_COLUMNS = [c.name for c in _ticket_table.columns if c.name not in ("id", "reference")]
# The id comes from the column's own sequence, so the reference is written with the row. The
# casts give each parameter its column's type (an INSERT ... SELECT does not infer them).
# The merchant the identity in $2 speaks for, unless the ticket names one (NULL: none).
_MERCHANT_OF = "COALESCE({0}, (SELECT merchant_id FROM merchant_identity WHERE identity = {1}))"
_PG_CREATE = (
    f"INSERT INTO ticket (id, reference, {', '.join(_CREATE_COLUMNS)}) "
    "SELECT n.id, $1::text || n.id, "
    + ", ".join(
        _MERCHANT_OF.format(f"${number}::INTEGER", "$2::text")
        if name == "merchant_id"
        else f"${number}::{_ticket_table.c[name].type.compile(dialect=_PG_DIALECT)}"
        for number, name in enumerate(_CREATE_COLUMNS, start=3)
    )
    + " FROM (SELECT nextval(pg_get_serial_sequence('ticket', 'id')) AS id) AS n "
    "RETURNING id, merchant_id"
)
# SQLite: the id is the row's, known once it is written (the transaction holds the write lock).
_SQLITE_CREATE = (
    f"INSERT INTO ticket (reference, {', '.join(_CREATE_COLUMNS)}) VALUES (?1, "
    + ", ".join(
        _MERCHANT_OF.format(f"?{number}", "?2") if name == "merchant_id" else f"?{number}"
        for number, name in enumerate(_CREATE_COLUMNS, start=3)
    )
    + ") RETURNING id, merchant_id"
)
_SQLITE_REFERENCE = "UPDATE ticket SET reference = ? WHERE id = ?"
# The columns `record` writes.
_EVENT_COLUMNS = ("ticket_id", "created_at", "actor", "action", "field", "old_value", "new_value")
_SQLITE_EVENT = (
    f"INSERT INTO ticket_event ({', '.join(_EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _EVENT_COLUMNS)})"
)


def _sqlite_value(value: Any) -> Any:
    return sqlite_time(value) if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class Link:
    """A platform message that belongs to a ticket; `purpose` is the outbox kind that posted it."""

    reference: str
    channel: str
    chat_id: str
    message_id: str
    purpose: str = ALERT_PURPOSE


class TicketRepository:
    def __init__(self, session: AsyncSession, prefix: str) -> None:
        self.session = session
        self.prefix = prefix
        # Audit events are written in one batch when the transaction ends (see Store).
        self._events: list[dict[str, Any]] = []

    async def flush_events(self, *, last: bool = False) -> None:
        """Write the events recorded so far. `last`: the unit of work ends after this, so on
        PostgreSQL they join its final statement (storage.pg_fast)."""
        if self._events and last and pg_fast.driver(self.session) is not None:
            sql, args = pg_fast.insert_rows("ticket_event", self._events)
            pg_fast.defer(self.session, "ticket_event", sql, args, relaxed=False)
            self._events = []
        if not self._events:
            return
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            rows = [[_sqlite_value(e[c]) for c in _EVENT_COLUMNS] for e in self._events]
            sqlite.executemany(_SQLITE_EVENT, rows)
        else:
            connection = core_connection(self.session)
            await connection.execute(insert(TicketEvent.__table__), self._events)  # type: ignore[attr-defined]
        self._events = []

    async def create(self, ticket: Ticket, actor: str, merchant_of: str | None = None) -> Ticket:
        """Store a new ticket; its reference is the prefix and the row id (`INT-42`).
        `merchant_of`: an identity whose merchant (if it speaks for one) the ticket points at,
        unless it points at one already (looked up by the same statement).

        Straight on the driver (through the ORM it was an INSERT, an UPDATE for the reference
        and a flush's worth of work); the ticket is then attached to the session as if loaded,
        so a later change to it in this unit of work (the escalator's due times) is an UPDATE
        at the flush."""
        session = self.session
        if merchant_of is not None and (session.new or session.dirty or session.deleted):
            # The lookup bypasses the session: an identity linked in this unit counts.
            await session.flush()
        sqlite = await sqlite_driver(session)
        if sqlite is not None:
            # A placeholder of its own until the id is known: with one shared placeholder ("")
            # the unique index made every other process's new ticket wait for this transaction.
            values = [_sqlite_value(getattr(ticket, name)) for name in _CREATE_COLUMNS]
            placeholder = f"new:{uuid.uuid4().hex}"
            written = sqlite.execute(_SQLITE_CREATE, (placeholder, merchant_of, *values))
            ((ticket.id, ticket.merchant_id),) = written.fetchall()
            ticket.reference = f"{self.prefix}-{ticket.id}"
            sqlite.execute(_SQLITE_REFERENCE, (ticket.reference, ticket.id))
        else:
            await pg_fast.begin(session)
            values = [getattr(ticket, name) for name in _CREATE_COLUMNS]
            prefix = f"{self.prefix}-"
            row = await pg_fast.fetchrow(session, _PG_CREATE, prefix, merchant_of, *values)
            ticket.id, ticket.merchant_id = row
            ticket.reference = f"{self.prefix}-{ticket.id}"
        make_transient_to_detached(ticket)
        self.session.add(ticket)
        self.record(ticket, actor, "created", ticket.created_at, new=ticket.status)
        return ticket

    async def get(self, reference: str, *, for_update: bool = False) -> Ticket | None:
        """`for_update`: lock the row until this transaction ends, for a change another process
        could be making at the same moment. A second process asking for it waits here, then
        reads what the first wrote (SQLite needs no lock: its transactions take the write lock
        up front, so they already run one after another)."""
        query = select(Ticket).where(Ticket.reference == reference)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        result = await self.session.exec(query)
        return result.first()

    async def lock(self, references: Sequence[str]) -> None:
        """Lock these tickets' rows until the transaction ends, in id order (see `get`)."""
        if references:
            query = (
                select(Ticket.id)
                .where(col(Ticket.reference).in_(references))
                .order_by(col(Ticket.id))
                .with_for_update()
            )
            await self.session.exec(query)

    async def for_reporter(
        self, channel: str, user_id: str, unresolved_only: bool = False, limit: int = 20
    ) -> Sequence[Ticket]:
        query = select(Ticket).where(
            Ticket.reporter_channel == channel, Ticket.reporter_user_id == user_id
        )
        if unresolved_only:
            query = query.where(col(Ticket.status).in_(UNRESOLVED))
        query = query.order_by(col(Ticket.id).desc()).limit(limit)
        return (await self.session.exec(query)).all()

    async def search(
        self,
        statuses: Sequence[str] | None = None,
        severity: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> Sequence[Ticket]:
        query = select(Ticket)
        if statuses:
            query = query.where(col(Ticket.status).in_(statuses))
        if severity:
            query = query.where(Ticket.severity == severity)
        if kind:
            query = query.where(Ticket.kind == kind)
        query = query.order_by(col(Ticket.id))
        if limit:
            query = query.limit(limit)
        return (await self.session.exec(query)).all()

    async def find(self, words: Sequence[Sequence[str]], limit: int = 20) -> Sequence[Ticket]:
        """Tickets whose title, details, transcript (public or internal) or payment details
        hold every one of `words` (each given as its alternative forms, e.g. a phone number as
        typed and in E.164), any case, newest first. The words are matched literally: `%`, `_`
        and the escape character itself are escaped, so "100%" finds "100%", not everything."""
        query = select(Ticket)
        for forms in words:
            alternatives = []
            for form in forms:
                pattern = f"%{_escape_like(form)}%"
                alternatives += [
                    col(Ticket.title).ilike(pattern, escape=_LIKE_ESCAPE),
                    col(Ticket.description).ilike(pattern, escape=_LIKE_ESCAPE),
                    col(Ticket.facts).ilike(pattern, escape=_LIKE_ESCAPE),
                    exists(
                        select(TicketMessage.id).where(
                            TicketMessage.ticket_id == Ticket.id,
                            col(TicketMessage.text).ilike(pattern, escape=_LIKE_ESCAPE),
                        )
                    ),
                ]
            query = query.where(or_(*alternatives))
        query = query.order_by(col(Ticket.id).desc()).limit(limit)
        return (await self.session.exec(query)).all()

    async def assigned_to(self, member: str, limit: int = 50) -> Sequence[Ticket]:
        """Unresolved tickets assigned to `member` (`channel:id`), oldest first."""
        query = (
            select(Ticket)
            .where(Ticket.assignee == member, col(Ticket.status).in_(UNRESOLVED))
            .order_by(col(Ticket.id))
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    def record(
        self,
        ticket: Ticket,
        actor: str,
        action: str,
        now: datetime,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        self._events.append(
            {
                "ticket_id": ticket.id,
                "created_at": now,
                "actor": actor,
                "action": action,
                "field": field,
                "old_value": None if old is None else str(old),
                "new_value": None if new is None else str(new),
            }
        )

    def change(self, ticket: Ticket, actor: str, now: datetime, **fields: Any) -> None:
        """Set fields on the ticket and write one audit event per field that really changed."""
        for name, value in fields.items():
            old = getattr(ticket, name)
            if old == value:
                continue
            setattr(ticket, name, value)
            self.record(ticket, actor, "changed", now, name, _plain(old), _plain(value))
        ticket.updated_at = now
        self.session.add(ticket)

    def add_message(
        self, ticket: Ticket, author: str, author_name: str, text: str, public: bool, now: datetime
    ) -> TicketMessage:
        message = TicketMessage(
            ticket_id=ticket.id,  # type: ignore[arg-type]
            created_at=now,
            author=author,
            author_name=author_name,
            public=public,
            text=text,
        )
        self.session.add(message)
        return message

    async def message_id(self, message: TicketMessage) -> int:
        """The id of a message added in this transaction (written now to get it)."""
        await self.session.flush()
        assert message.id is not None
        return message.id

    async def remove_message(self, ticket: Ticket, message_id: int, author: str) -> str | None:
        """Take back a message `author` added to `ticket` (a merchant's "not about this
        ticket"); its text, or None when it is not there (already taken back, or not theirs).
        The caller holds the ticket's row lock, so two presses remove it once."""
        query = select(TicketMessage).where(
            TicketMessage.id == message_id,
            TicketMessage.ticket_id == ticket.id,
            TicketMessage.author == author,
        )
        message = (await self.session.exec(query)).first()
        if message is None:
            return None
        text = message.text
        # What came with it (an over-long follow-up's details.txt) is taken back too.
        await AttachmentRepository(self.session).remove_with_message(message_id)
        await self.session.delete(message)
        return text

    async def messages(self, ticket: Ticket) -> Sequence[TicketMessage]:
        query = (
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket.id)
            .order_by(col(TicketMessage.id))
        )
        return (await self.session.exec(query)).all()

    async def events(self, ticket: Ticket) -> Sequence[TicketEvent]:
        await self.flush_events()
        query = (
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(col(TicketEvent.id))
        )
        return (await self.session.exec(query)).all()

    async def pages(self, ticket: Ticket) -> Sequence[Page]:
        query = select(Page).where(Page.ticket_id == ticket.id).order_by(col(Page.id))
        return (await self.session.exec(query)).all()

    async def count(self) -> int:
        return (await self.session.exec(select(func.count()).select_from(Ticket))).one()

    # Platform messages tied to a ticket (its team alerts).

    async def link_messages(self, links: Sequence[Link], now: datetime) -> None:
        """Remember platform messages that belong to tickets (alerts, timeline entries, pages).
        A link already known is left as it is: this must never fail a delivery's bookkeeping."""
        if not links:
            return
        references = {link.reference for link in links}
        rows = await self.session.exec(
            select(Ticket.reference, Ticket.id).where(col(Ticket.reference).in_(references))
        )
        ids = dict(rows.all())
        values = [
            {
                "ticket_id": ids[link.reference],
                "channel": link.channel,
                "chat_id": link.chat_id,
                "message_id": link.message_id,
                "purpose": link.purpose,
                "created_at": now,
            }
            for link in links
            if link.reference in ids
        ]
        if values:
            connection = core_connection(self.session)
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            await connection.execute(
                insert(ChannelMessage.__table__).on_conflict_do_nothing(),  # type: ignore[attr-defined]
                values,
            )

    async def alert_message_id(self, reference: str, channel: str, chat_id: str) -> str | None:
        query = (
            select(ChannelMessage.message_id)
            .join(Ticket, col(Ticket.id) == ChannelMessage.ticket_id)
            .where(
                Ticket.reference == reference,
                ChannelMessage.channel == channel,
                ChannelMessage.chat_id == chat_id,
                ChannelMessage.purpose == ALERT_PURPOSE,
            )
            .order_by(col(ChannelMessage.id))
        )
        return (await self.session.exec(query)).first()

    async def by_platform_message(
        self, channel: str, chat_id: str, message_id: str
    ) -> Ticket | None:
        query = (
            select(Ticket)
            .join(ChannelMessage, col(Ticket.id) == ChannelMessage.ticket_id)
            .where(
                ChannelMessage.channel == channel,
                ChannelMessage.chat_id == chat_id,
                ChannelMessage.message_id == message_id,
            )
        )
        return (await self.session.exec(query)).first()


_LIKE_ESCAPE = "\\"


def _escape_like(word: str) -> str:
    return (
        word.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
