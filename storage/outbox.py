"""The durable outbox: messages are written in the transaction that causes them and delivered
later, so nothing is lost while a platform is down and nothing is sent twice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection
from storage.models import OutboxItem

PENDING, SENT, FAILED = "pending", "sent", "failed"


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
    ) -> None:
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
                "next_attempt_at": now,
                "created_at": now,
            }
        )

    async def claim_due(
        self, channels: Sequence[str], now: datetime, lease: timedelta, limit: int = 50
    ) -> list[Delivery]:
        """Lease due rows for this process. The conditional UPDATE is the claim: a row another
        process leased meanwhile no longer matches and is skipped."""
        due = (
            select(OutboxItem.id)
            .where(
                OutboxItem.status == PENDING,
                col(OutboxItem.channel).in_(channels),
                col(OutboxItem.next_attempt_at) <= now,
                or_(col(OutboxItem.claimed_until).is_(None), col(OutboxItem.claimed_until) <= now),
            )
            .order_by(col(OutboxItem.id))
            .limit(limit)
        )
        ids = list((await self.session.exec(due)).all())
        claimed: list[Delivery] = []
        for item_id in ids:
            result = await self.session.exec(
                update(OutboxItem)  # type: ignore[call-overload]
                .where(
                    col(OutboxItem.id) == item_id,
                    OutboxItem.status == PENDING,
                    or_(
                        col(OutboxItem.claimed_until).is_(None),
                        col(OutboxItem.claimed_until) <= now,
                    ),
                )
                .values(claimed_until=now + lease)
            )
            if result.rowcount != 1:
                continue
            row = await self.session.get(OutboxItem, item_id)
            assert row is not None
            claimed.append(
                Delivery(
                    id=item_id,
                    idempotency_key=row.idempotency_key,
                    channel=row.channel,
                    chat_id=row.chat_id,
                    thread_id=row.thread_id,
                    kind=row.kind,
                    ticket_reference=row.ticket_reference,
                    payload=json.loads(row.payload),
                    attempts=row.attempts,
                )
            )
        return claimed

    async def mark_sent(self, item_id: int, now: datetime, platform_message_id: str | None) -> None:
        await self.session.exec(
            update(OutboxItem)  # type: ignore[call-overload]
            .where(col(OutboxItem.id) == item_id)
            .values(
                status=SENT,
                sent_at=now,
                claimed_until=None,
                attempts=OutboxItem.attempts + 1,
                platform_message_id=platform_message_id,
            )
        )

    async def mark_retry(self, item_id: int, retry_at: datetime, error: str) -> None:
        await self.session.exec(
            update(OutboxItem)  # type: ignore[call-overload]
            .where(col(OutboxItem.id) == item_id)
            .values(
                next_attempt_at=retry_at,
                claimed_until=None,
                attempts=OutboxItem.attempts + 1,
                last_error=error[:2000],
            )
        )

    async def mark_failed(self, item_id: int, error: str) -> None:
        await self.session.exec(
            update(OutboxItem)  # type: ignore[call-overload]
            .where(col(OutboxItem.id) == item_id)
            .values(
                status=FAILED,
                claimed_until=None,
                attempts=OutboxItem.attempts + 1,
                last_error=error[:2000],
            )
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
