"""The durable outbox: messages are written in the transaction that causes them and delivered
later, so nothing is lost while a platform is down and nothing is sent twice.

Order: a chat's messages go out in the order they were written, across processes. A row is
leased only when every earlier pending row of its chat can be leased now too, and leases are
taken one process at a time (SQLite's write lock; an advisory lock on PostgreSQL), so a chat is
only ever being sent by the one process that holds its oldest pending row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, not_, or_, text, update
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import core_connection, sqlite_driver
from storage.models import UNRESOLVED, OutboxItem, Ticket

PENDING, SENT, FAILED = "pending", "sent", "failed"
# A page whose ticket was acknowledged (or resolved) before it could go out: never sent.
CANCELLED = "cancelled"
# Any constant will do: it only has to be the same in every process sharing the database.
_CLAIM_LOCK = 7_121_400

_t = OutboxItem.__table__  # type: ignore[attr-defined]
_PG_WAITING = (
    f"SELECT 1 FROM outbox WHERE channel = $1 AND chat_id = $2 AND status = '{PENDING}' LIMIT 1"
)
_SQLITE_WAITING = _PG_WAITING.replace("$", "?")
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
_RENEW = (
    update(_t)
    .where(_t.c.id == bindparam("b_id"), _t.c.status == PENDING)
    .values(claimed_until=bindparam("b_until"))
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
    # Leased before by a sender whose lease ran out (a process killed while sending it): the
    # platform may have it already.
    taken_over: bool = False


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Rows are inserted in one batch when the transaction ends (see Store).
        self._pending: list[dict[str, Any]] = []
        self._ahead = 0
        self.added = 0  # rows queued in this transaction, so callers know to wake the sender
        self.leased = 0  # of those, rows leased to this process as they were written
        self._leased_rows: list[dict[str, Any]] = []

    async def flush(self, *, last: bool = False) -> None:
        """Write the rows queued so far. `last`: the unit of work ends after this, so on
        PostgreSQL they join its final statement (storage.pg_fast)."""
        if not self._pending:
            return
        connection = core_connection(self.session)
        leased = any(row["claimed_until"] is not None for row in self._pending)
        if last and pg_fast.driver(self.session) is not None:
            sql, args = pg_fast.insert_rows("outbox", self._pending)
            if not leased:
                pg_fast.defer(self.session, "outbox", sql, args, relaxed=False)
            else:
                # The sender needs the leased rows' ids: the final statement returns them, so
                # the unit of work needs no statement (nor BEGIN and COMMIT) of its own for them.
                sql += " RETURNING id, idempotency_key"
                collect = partial(self._leased_ids, self._pending)
                pg_fast.defer(self.session, "outbox", sql, args, relaxed=False, collect=collect)
        elif leased:
            # Leased rows are handed straight to the sender, which needs their ids.
            statement = insert(_t).returning(_t.c.id, sort_by_parameter_order=True)
            ids = (await connection.execute(statement, self._pending)).scalars().all()
            for row, row_id in zip(self._pending, ids, strict=True):
                if row["claimed_until"] is not None:
                    self._leased_rows.append({**row, "id": row_id})
        else:
            await connection.execute(insert(_t), self._pending)
        self._pending = []
        self._ahead = 0

    def _leased_ids(self, rows: list[dict[str, Any]], written: list[Any]) -> None:
        ids = {key: row_id for row_id, key in written}
        for row in rows:
            if row["claimed_until"] is not None:
                self._leased_rows.append({**row, "id": ids[row["idempotency_key"]]})

    def leased_deliveries(self) -> list[Delivery]:
        """The rows written leased to this process (after the transaction's flush)."""
        return [_delivery(row) for row in self._leased_rows]

    async def chat_idle(self, channel: str, chat_id: str) -> bool:
        """Whether no message to this chat is waiting: new ones may then go at once, by whoever
        wrote them, without overtaking anything."""
        # Asked for nearly every message a channel hands in: straight on the driver (through
        # SQLAlchemy it cost several times the statement, and on PostgreSQL a BEGIN and COMMIT).
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            return sqlite.execute(_SQLITE_WAITING, (channel, chat_id)).fetchone() is None
        if pg_fast.driver(self.session) is not None:
            return await pg_fast.fetchrow(self.session, _PG_WAITING, channel, chat_id) is None
        waiting = core_select(_t.c.id).where(
            _t.c.channel == channel, _t.c.chat_id == chat_id, _t.c.status == PENDING
        )
        found = await core_connection(self.session).execute(waiting.limit(1))
        return found.first() is None

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
        ahead: bool = False,
        leased_until: datetime | None = None,
    ) -> None:
        """`ahead`: before the rows this transaction queued without it (an answer to the
        person who acted goes before the notices their action caused). `leased_until`: the row
        is written leased to this process, which sends it right after the commit."""
        self.added += 1
        if leased_until is not None:
            self.leased += 1
        row = {
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
            "claimed_until": leased_until,
            "created_at": now,
        }
        if ahead:
            self._pending.insert(self._ahead, row)
            self._ahead += 1
        else:
            self._pending.append(row)

    async def claim_due(
        self, channels: Sequence[str], now: datetime, lease: timedelta, limit: int = 200
    ) -> list[Delivery]:
        """Lease due rows for this process, oldest first, keeping each chat in order: a row is
        taken only if no earlier row of its chat is still waiting (in backoff, or leased by
        someone else)."""
        connection = core_connection(self.session)
        if connection.dialect.name == "postgresql":
            # Serialises lease-taking (held until this short transaction ends), as SQLite's write
            # lock does: two claimers deciding at once could each see the other's rows as free.
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({_CLAIM_LOCK})"))
        earlier = _t.alias("earlier")
        waiting = exists().where(
            earlier.c.status == PENDING,
            earlier.c.channel == _t.c.channel,
            earlier.c.chat_id == _t.c.chat_id,
            earlier.c.id < _t.c.id,
            not_(
                and_(
                    earlier.c.next_attempt_at <= now,
                    or_(earlier.c.claimed_until.is_(None), earlier.c.claimed_until <= now),
                )
            ),
        )
        due = (
            core_select(_t)
            .where(
                _t.c.status == PENDING,
                _t.c.channel.in_(channels),
                _t.c.next_attempt_at <= now,
                or_(_t.c.claimed_until.is_(None), _t.c.claimed_until <= now),
                not_(waiting),
            )
            .order_by(_t.c.id)
            .limit(limit)
        )
        rows = list((await connection.execute(due)).mappings().all())
        if not rows:
            return []
        await connection.execute(
            update(_t)
            .where(_t.c.id.in_([row["id"] for row in rows]))
            .values(claimed_until=now + lease)
        )
        return [_delivery(row, taken_over=row["claimed_until"] is not None) for row in rows]

    async def renew(self, ids: Sequence[int], until: datetime) -> None:
        """Extend the lease on rows still being sent, so a slow send is not taken for a crash."""
        if ids:
            await core_connection(self.session).execute(
                _RENEW, [{"b_id": i, "b_until": until} for i in ids]
            )

    async def unclaim(self, ids: Sequence[int]) -> None:
        """End the leases just taken on rows this process will not send now."""
        if ids:
            await core_connection(self.session).execute(
                update(_t).where(_t.c.id.in_(ids)).values(claimed_until=None)
            )

    async def release(self, channel: str, chat_id: str) -> None:
        """End the leases on one chat's rows: for a chat only this process serves (a console
        user), a lease left by a killed predecessor need not be waited out."""
        await core_connection(self.session).execute(
            update(_t)
            .where(_t.c.channel == channel, _t.c.chat_id == chat_id, _t.c.status == PENDING)
            .values(claimed_until=None)
        )

    async def cancel_acknowledged_pages(self, ids: Sequence[int]) -> list[int]:
        """Of the page rows `ids`, cancel those whose ticket is acknowledged or closed by now;
        returns the ids cancelled. A page queued before an ack is never sent after it."""
        if not ids:
            return []
        tickets = Ticket.__table__  # type: ignore[attr-defined]
        done = exists().where(
            tickets.c.reference == _t.c.ticket_reference,
            or_(tickets.c.acknowledged_at.is_not(None), tickets.c.status.not_in(UNRESOLVED)),
        )
        connection = core_connection(self.session)
        found = await connection.execute(core_select(_t.c.id).where(_t.c.id.in_(ids), done))
        cancelled = [row[0] for row in found.all()]
        if cancelled:
            await connection.execute(
                update(_t)
                .where(_t.c.id.in_(cancelled), _t.c.status == PENDING)
                .values(status=CANCELLED, claimed_until=None, last_error="acknowledged before sent")
            )
        return cancelled

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


def _delivery(row: Any, taken_over: bool = False) -> Delivery:
    return Delivery(
        id=row["id"],
        idempotency_key=row["idempotency_key"],
        channel=row["channel"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        kind=row["kind"],
        ticket_reference=row["ticket_reference"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        taken_over=taken_over,
    )
