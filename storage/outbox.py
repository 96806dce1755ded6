"""The durable outbox: messages are written in the transaction that causes them and delivered
later, so nothing is lost while a platform is down and nothing is sent twice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection
from storage.models import OutboxItem

PENDING, SENT, FAILED = "pending", "sent", "failed"

_t = OutboxItem.__table__  # type: ignore[attr-defined]
_MARK_SENT = (
    update(_t)
    .where(_t.c.id == bindparam("b_id"))
    .values(
        status=SENT,
        sent_at=bindparam("b_at"),
        platform_message_id=bindparam("b_message"),
        claimed_until=None,
        attempts=_t.c.attempts + 1,
    )
)
_MARK_RETRY = (
    update(_t)
    .where(_t.c.id == bindparam("b_id"))
    .values(
        next_attempt_at=bindparam("b_at"),
        claimed_until=None,
        attempts=_t.c.attempts + bindparam("b_tried"),
        last_error=bindparam("b_error"),
    )
)
_MARK_FAILED = (
    update(_t)
    .where(_t.c.id == bindparam("b_id"))
    .values(
        status=FAILED,
        claimed_until=None,
        attempts=_t.c.attempts + 1,
        last_error=bindparam("b_error"),
    )
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one delivery: SENT (at `at`), PENDING again (retry at `at`), or FAILED.
    `tried` is False for a message held back only because an earlier one to its chat failed."""

    id: int
    status: str
    at: datetime | None = None
    message_id: str | None = None
    error: str = ""
    tried: bool = True


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox row as handed to a channel sender."""

    id: int
    idempotency_key: str
    channel: str
    chat_id: str
    thread_id: str | None
    kind: str
    ticket_reference: str | None
    payload: dict[str, Any]
    attempts: int


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows are inserted in one batch when the transaction ends (see Store).
        self._pending: list[dict[str, Any]] = []
        self.added = 0  # rows queued in this transaction, so callers know to wake the sender

    async def flush(self) -> None:
        if self._pending:
            connection = core_connection(self.session)
            await connection.execute(insert(OutboxItem.__table__), self._pending)  # type: ignore[attr-defined]
            self._pending = []

    def add(
        self,
        *,
        key: str,
        channel: str,
        chat_id: str,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        thread_id: str | None = None,
        ticket_reference: str | None = None,
        due: datetime | None = None,
    ) -> None:
        """`due`: not before then (a platform's retry_after); default `now`."""
        self.added += 1
        self._pending.append(
            {
                "idempotency_key": key,
                "channel": channel,
                "chat_id": chat_id,
                "thread_id": thread_id,
                "kind": kind,
                "ticket_reference": ticket_reference,
                "payload": json.dumps(payload, ensure_ascii=False),
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": due or now,
                "created_at": now,
            }
        )

    async def claim_due(
        self, channels: Sequence[str], now: datetime, lease: timedelta, limit: int = 200
    ) -> list[Delivery]:
        """Lease due rows for this process, oldest first.

        SQLite: the transaction holds the write lock from this read to the lease, so no other
        process can lease the same rows. PostgreSQL: FOR UPDATE SKIP LOCKED gives the same.
        """
        due = (
            select(OutboxItem)
            .where(
                OutboxItem.status == PENDING,
                col(OutboxItem.channel).in_(channels),
                col(OutboxItem.next_attempt_at) <= now,
                or_(col(OutboxItem.claimed_until).is_(None), col(OutboxItem.claimed_until) <= now),
            )
            .order_by(col(OutboxItem.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list((await self.session.exec(due)).all())
        if not rows:
            return []
        await self.session.exec(
            update(OutboxItem)  # type: ignore[call-overload]
            .where(col(OutboxItem.id).in_([row.id for row in rows]))
            .values(claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        return [
            Delivery(
                id=row.id,  # type: ignore[arg-type]
                idempotency_key=row.idempotency_key,
                channel=row.channel,
                chat_id=row.chat_id,
                thread_id=row.thread_id,
                kind=row.kind,
                ticket_reference=row.ticket_reference,
                payload=json.loads(row.payload),
                attempts=row.attempts,
            )
            for row in rows
        ]

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write what became of a batch of deliveries, one statement per kind of outcome."""
        connection = core_connection(self.session)
        sent = [o for o in outcomes if o.status == SENT]
        if sent:
            await connection.execute(
                _MARK_SENT,
                [{"b_id": o.id, "b_at": o.at, "b_message": o.message_id} for o in sent],
            )
        retry = [o for o in outcomes if o.status == PENDING]
        if retry:
            await connection.execute(
                _MARK_RETRY,
                [
                    {"b_id": o.id, "b_at": o.at, "b_error": o.error[:2000], "b_tried": int(o.tried)}
                    for o in retry
                ],
            )
        failed = [o for o in outcomes if o.status == FAILED]
        if failed:
            await connection.execute(
                _MARK_FAILED, [{"b_id": o.id, "b_error": o.error[:2000]} for o in failed]
            )

    async def next_due(self, channels: Sequence[str]) -> datetime | None:
        query = (
            select(OutboxItem.next_attempt_at)
            .where(OutboxItem.status == PENDING, col(OutboxItem.channel).in_(channels))
            .order_by(col(OutboxItem.next_attempt_at))
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def items(self, ticket_reference: str | None = None) -> Sequence[OutboxItem]:
        await self.flush()
        query = select(OutboxItem).order_by(col(OutboxItem.id))
        if ticket_reference is not None:
            query = query.where(OutboxItem.ticket_reference == ticket_reference)
        return (await self.session.exec(query)).all()

    async def waiting(self, channel: str, chat_id: str) -> bool:
        """Whether a message to this chat is still waiting in the outbox (a channel that queued
        answers sends the next ones the same way, so they stay in order)."""
        query = (
            select(OutboxItem.id)
            .where(
                OutboxItem.status == PENDING,
                OutboxItem.channel == channel,
                OutboxItem.chat_id == chat_id,
            )
            .limit(1)
        )
        return (await self.session.exec(query)).first() is not None
