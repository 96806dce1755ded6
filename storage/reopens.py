"""Reopening resolved tickets and the reporters' "Did this solve it?" answers.

Both are races between two processes (two presses of the same button, a merchant and a team
member at the same moment): the reopen is a conditional UPDATE that only matches the ticket as
it was read (still resolved, same reopen count), and an answer is an INSERT that a unique
(ticket, round) lets through once. The loser changes nothing and is told so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Status, Ticket, TicketEvent, TicketFeedback

DONE = (Status.resolved, Status.closed)
REOPENED = "reopened"  # the audit event's action


@dataclass(frozen=True, slots=True)
class ReopenFigures:
    resolutions: int  # times a ticket was marked resolved in the period
    reopens: int  # times a ticket was reopened in the period
    solved: int  # "Did this solve it?" answered 👍
    unsolved: int  # answered 👎


class ReopenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def reopen(self, ticket: Ticket, now: datetime) -> bool:
        """Set `ticket` back to open if it is still resolved (or closed) as it was read; True
        when this call did it. The ticket object is refreshed from the row either way."""
        assert ticket.id is not None
        result = await self.session.exec(
            update(Ticket)
            .where(
                col(Ticket.id) == ticket.id,
                col(Ticket.status).in_(DONE),
                col(Ticket.reopen_count) == ticket.reopen_count,
            )
            .values(
                status=Status.open,
                resolved_at=None,
                resolved_by=None,
                acknowledged_at=None,
                acknowledged_by=None,
                escalation_level=0,
                escalation_repeats=0,
                next_escalation_at=None,
                reopen_count=ticket.reopen_count + 1,
                reopened_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(ticket)
        return bool(result.rowcount == 1)

    async def answer(self, ticket: Ticket, round_: int, solved: bool, now: datetime) -> bool:
        """Store the reporter's answer for resolution `round_`; False when one is stored."""
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(TicketFeedback)
            .values(ticket_id=ticket.id, round=round_, solved=solved, created_at=now)
            .on_conflict_do_nothing(index_elements=["ticket_id", "round"])
        )
        result = await self.session.exec(statement)
        return bool(result.rowcount == 1)

    async def answered(self, ticket: Ticket, round_: int) -> bool:
        query = select(TicketFeedback.id).where(
            TicketFeedback.ticket_id == ticket.id, TicketFeedback.round == round_
        )
        return (await self.session.exec(query)).first() is not None

    async def figures(self, since: datetime, until: datetime) -> ReopenFigures:
        resolved = select(func.count()).where(
            col(TicketEvent.created_at) >= since,
            col(TicketEvent.created_at) < until,
            TicketEvent.field == "status",
            TicketEvent.new_value == Status.resolved,
        )
        reopened = select(func.count()).where(
            col(TicketEvent.created_at) >= since,
            col(TicketEvent.created_at) < until,
            TicketEvent.action == REOPENED,
        )
        answers = (
            select(TicketFeedback.solved, func.count())
            .where(
                col(TicketFeedback.created_at) >= since,
                col(TicketFeedback.created_at) < until,
            )
            .group_by(col(TicketFeedback.solved))
        )
        counts = {bool(k): int(v) for k, v in (await self.session.exec(answers)).all()}
        return ReopenFigures(
            resolutions=(await self.session.exec(resolved)).one(),
            reopens=(await self.session.exec(reopened)).one(),
            solved=counts.get(True, 0),
            unsolved=counts.get(False, 0),
        )
