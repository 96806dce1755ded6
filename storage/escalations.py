"""Escalation reads and claims on ticket rows.

The claim is a conditional UPDATE: it only matches while the row still holds the escalation state
the sweep read (`next_escalation_at`, level, repeats, still unacknowledged and unresolved). If
another process claimed the page first, or someone acknowledged meanwhile, the row no longer
matches, rowcount is 0 and this process sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import UNRESOLVED, Page, Ticket


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The escalation state a claim expects to find unchanged."""

    ticket_id: int
    next_escalation_at: datetime
    level: int
    repeats: int
    acknowledged: bool


class EscalationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, now: datetime, limit: int) -> Sequence[Ticket]:
        """Tickets whose next escalation moment has come, oldest first (uses its index)."""
        query = (
            select(Ticket)
            .where(col(Ticket.next_escalation_at) <= now)
            .order_by(col(Ticket.next_escalation_at))
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def next_due(self) -> datetime | None:
        query = select(func.min(Ticket.next_escalation_at))
        value: datetime | None = (await self.session.exec(query)).one()
        if value is not None and value.tzinfo is None:
            # Should func.min ever lose the column type, the stored value is still UTC.
            value = value.replace(tzinfo=UTC)
        return value

    async def claim(self, snapshot: Snapshot, **values: Any) -> bool:
        """Write `values` only if the row is still as the snapshot saw it. True when it was."""
        conditions = [
            col(Ticket.id) == snapshot.ticket_id,
            col(Ticket.next_escalation_at) == snapshot.next_escalation_at,
            col(Ticket.escalation_level) == snapshot.level,
            col(Ticket.escalation_repeats) == snapshot.repeats,
            col(Ticket.status).in_(UNRESOLVED),
        ]
        if not snapshot.acknowledged:
            conditions.append(col(Ticket.acknowledged_at).is_(None))
        result = await self.session.exec(update(Ticket).where(*conditions).values(**values))
        return bool(result.rowcount == 1)

    def add_page(
        self,
        ticket_id: int,
        level: int,
        repeat: int,
        due_at: datetime,
        now: datetime,
        targets: Sequence[str],
    ) -> None:
        self.session.add(
            Page(
                ticket_id=ticket_id,
                level=level,
                repeat=repeat,
                due_at=due_at,
                created_at=now,
                targets=",".join(targets),
            )
        )

    async def open_tickets(self) -> Sequence[Ticket]:
        query = select(Ticket).where(col(Ticket.status).in_(UNRESOLVED)).order_by(col(Ticket.id))
        return (await self.session.exec(query)).all()
