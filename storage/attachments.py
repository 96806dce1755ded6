"""Attachment rows: what was sent about a ticket, and the queue that fetches the bytes.

Two things race on a row: the download finishing (pending -> stored) and the report it belongs
to being filed (ticket set). Each is one conditional UPDATE ... RETURNING, and whichever comes
second sees the other's value and queues the team's copy, so the team gets it exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, update
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection
from storage.models import Attachment, Ticket

PENDING, STORED, FAILED = "pending", "stored", "failed"
# Same bytes already on the same ticket: kept as a row (it was sent), not sent to the team again.
DUPLICATE = "duplicate"
# Taken back by its sender ("Not about INT-4").
REMOVED = "removed"

_t = Attachment.__table__  # type: ignore[attr-defined]


class AttachmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.added = 0  # rows written in this transaction that wait for their bytes

    async def add(self, attachment: Attachment) -> Attachment:
        """Write the row now (its id goes into the conversation's state)."""
        if attachment.status == PENDING:
            self.added += 1
        self.session.add(attachment)
        await self.session.flush()
        return attachment

    async def get(self, attachment_id: int) -> Attachment | None:
        return await self.session.get(Attachment, attachment_id)

    async def next_number(self, ticket_id: int) -> int:
        """The next free number on a ticket; callers hold the ticket's row lock."""
        await self.session.flush()
        found = await core_connection(self.session).execute(
            core_select(func.max(_t.c.number)).where(_t.c.ticket_id == ticket_id)
        )
        return int(found.scalar() or 0) + 1

    async def count(self, ticket_id: int) -> int:
        await self.session.flush()
        found = await core_connection(self.session).execute(
            core_select(func.count()).where(_t.c.ticket_id == ticket_id, _t.c.status != REMOVED)
        )
        return int(found.scalar() or 0)

    async def link(
        self, attachment_id: int, ticket_id: int, number: int, message_id: int | None
    ) -> str | None:
        """Put a row written before its ticket existed on that ticket. Returns the row's status
        as it is after the update (None when it was linked already)."""
        await self.session.flush()
        found = await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.id == attachment_id, _t.c.ticket_id.is_(None))
            .values(ticket_id=ticket_id, number=number, message_id=message_id)
            .returning(_t.c.status)
        )
        row = found.first()
        return None if row is None else str(row[0])

    async def move(
        self, attachment_id: int, ticket_id: int, number: int, message_id: int | None
    ) -> str | None:
        """Put a removed row on another ticket (its sender chose where it belongs), under the
        transcript message `message_id`. Returns its restored status (None when it was not
        removed: moved already)."""
        await self.session.flush()
        found = await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.id == attachment_id, _t.c.status == REMOVED)
            .values(
                ticket_id=ticket_id,
                number=number,
                message_id=message_id,
                status=func.coalesce(_t.c.reason, PENDING),
                reason=None,
            )
            .returning(_t.c.status)
        )
        row = found.first()
        return None if row is None else str(row[0])

    async def take_off(self, ticket_id: int, message_id: int, owner: str) -> list[Attachment]:
        """Take the files `owner` sent with one message off its ticket ("Not about INT-4"); their
        status is kept in `reason` to restore it, and the message can then be deleted. The
        caller holds the ticket's row lock, so two presses take them off once."""
        await self.session.flush()
        found = await core_connection(self.session).execute(
            update(_t)
            .where(
                _t.c.ticket_id == ticket_id,
                _t.c.message_id == message_id,
                _t.c.owner == owner,
                _t.c.status != REMOVED,
            )
            .values(
                status=REMOVED, reason=_t.c.status, ticket_id=None, number=None, message_id=None
            )
            .returning(_t.c.id)
        )
        ids = [int(row[0]) for row in found]
        if not ids:
            return []
        query = select(Attachment).where(col(Attachment.id).in_(ids)).order_by(col(Attachment.id))
        rows = await self.session.exec(query.execution_options(populate_existing=True))
        return list(rows.all())

    async def remove_with_message(self, message_id: int) -> None:
        """Take the rows that came with a transcript message off its ticket (that message is
        being taken back), keeping no reference to it."""
        await self.session.flush()
        await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.message_id == message_id)
            .values(
                status=REMOVED,
                # Its status, kept to restore it (as `take_off` does), unless removed already.
                reason=case((_t.c.status == REMOVED, _t.c.reason), else_=_t.c.status),
                ticket_id=None,
                number=None,
                message_id=None,
            )
        )

    async def for_ticket(self, ticket_id: int) -> Sequence[Attachment]:
        await self.session.flush()
        query = (
            select(Attachment)
            .where(Attachment.ticket_id == ticket_id, Attachment.status != REMOVED)
            .order_by(col(Attachment.number), col(Attachment.id))
        )
        return (await self.session.exec(query)).all()

    async def by_number(self, ticket_id: int, number: int) -> Attachment | None:
        query = select(Attachment).where(
            Attachment.ticket_id == ticket_id, Attachment.number == number
        )
        return (await self.session.exec(query)).first()

    async def first_with_hash(self, ticket_id: int, sha256: str, before: int) -> int | None:
        """The number of an earlier stored row on the ticket holding the same bytes."""
        found = await core_connection(self.session).execute(
            core_select(_t.c.number)
            .where(
                _t.c.ticket_id == ticket_id,
                _t.c.sha256 == sha256,
                _t.c.status == STORED,
                _t.c.id < before,
            )
            .order_by(_t.c.id)
            .limit(1)
        )
        row = found.first()
        return None if row is None else int(row[0])

    async def mark_duplicate(self, attachment_id: int) -> None:
        await core_connection(self.session).execute(
            update(_t).where(_t.c.id == attachment_id).values(status=DUPLICATE)
        )

    async def mark_stored(self, attachment_id: int) -> None:
        """A duplicate that is the first of its bytes on the ticket it is on now."""
        await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.id == attachment_id, _t.c.status == DUPLICATE)
            .values(status=STORED)
        )

    # The download queue -------------------------------------------------------------------

    async def claim_due(
        self, channels: Sequence[str], now: datetime, lease: timedelta, limit: int = 20
    ) -> list[Attachment]:
        """Lease rows whose bytes are due to be fetched; a second process skips them."""
        connection = core_connection(self.session)
        due = (
            core_select(_t.c.id)
            .where(
                _t.c.status == PENDING,
                _t.c.channel.in_(channels),
                _t.c.next_attempt_at <= now,
                or_(_t.c.claimed_until.is_(None), _t.c.claimed_until <= now),
            )
            .order_by(_t.c.id)
            .limit(limit)
        )
        if connection.dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = [row[0] for row in (await connection.execute(due)).all()]
        if not ids:
            return []
        await connection.execute(
            update(_t).where(_t.c.id.in_(ids)).values(claimed_until=now + lease)
        )
        query = select(Attachment).where(col(Attachment.id).in_(ids)).order_by(col(Attachment.id))
        rows = (await self.session.exec(query.execution_options(populate_existing=True))).all()
        return list(rows)

    async def stored(
        self, attachment_id: int, now: datetime, **fields: Any
    ) -> tuple[int | None, int | None] | None:
        """pending -> stored with what the bytes showed; returns (ticket id, number) as they are
        now, or None when the row is no longer waiting for them (stored by another process).
        A row taken off its ticket while downloading ("Not about INT-4") keeps its bytes and
        stays removed, to come back stored (its team copy then) wherever its sender puts it."""
        taken_back = _t.c.status == REMOVED
        found = await core_connection(self.session).execute(
            update(_t)
            .where(
                _t.c.id == attachment_id,
                or_(_t.c.status == PENDING, and_(taken_back, _t.c.reason == PENDING)),
            )
            .values(
                status=case((taken_back, REMOVED), else_=STORED),
                reason=case((taken_back, STORED), else_=_t.c.reason),
                stored_at=now,
                claimed_until=None,
                **fields,
            )
            .returning(_t.c.ticket_id, _t.c.number)
        )
        row = found.first()
        return None if row is None else (row[0], row[1])

    async def failed(
        self, attachment_id: int, reason: str, error: str
    ) -> tuple[int | None, int | None] | None:
        found = await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.id == attachment_id, _t.c.status == PENDING)
            .values(
                status=FAILED,
                reason=reason,
                last_error=error[:2000],
                claimed_until=None,
                attempts=_t.c.attempts + 1,
            )
            .returning(_t.c.ticket_id, _t.c.number)
        )
        row = found.first()
        return None if row is None else (row[0], row[1])

    async def retry(self, attachment_id: int, at: datetime, error: str) -> None:
        await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.id == attachment_id, _t.c.status == PENDING)
            .values(
                next_attempt_at=at,
                claimed_until=None,
                attempts=_t.c.attempts + 1,
                last_error=error[:2000],
            )
        )

    async def ticket_of(self, ticket_id: int) -> Ticket | None:
        return await self.session.get(Ticket, ticket_id)

    async def all(self) -> Sequence[Attachment]:
        await self.session.flush()
        return (await self.session.exec(select(Attachment).order_by(col(Attachment.id)))).all()
