"""Shared setup of the race tests: two bot processes on one database, doing the same thing at
the same moment.

The two desks run on two `Database` objects (two engines, two connection pools), as two processes
would (the `other_store` fixture in tests/conftest.py gives the second), and their presses run
truly concurrently (`asyncio.gather`): on PostgreSQL both transactions are open at once, so a
plain SELECT would let both see the same state. On SQLite the write lock already puts them one
after the other; the same tests run there too.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

from sqlmodel import col, func, select

from handlers.clock import FakeClock
from handlers.desk import Desk, DeskSettings
from handlers.limits import Limits
from handlers.notify import Target
from storage import Store
from storage.files import FileStore
from storage.models import OutboxItem, TicketEvent
from tests.conftest import TEAM
from tests.support import Chat

ROUNDS = 8
# One reporter files every round's Critical ticket: [limits] off, the race is the point.
NO_LIMITS = Limits(open_tickets=0, tickets_per_hour=0, critical_per_hour=0, messages_per_minute=0)


def desk_on(store: Store, clock: FakeClock) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, leads=("console:lead",), limits=NO_LIMITS),
        team_targets=[Target("console", "team")],
        clock=clock,
        # As the bot always runs (reports offer their files step); these races store no bytes.
        files=FileStore(Path(tempfile.gettempdir()) / "deskbot-racing-attachments"),
    )


def reporter_and_members(
    store: Store, other_store: Store, clock: FakeClock
) -> tuple[Chat, Chat, Chat]:
    """alice reporting and the lead on one process's desk, ops on the other's."""
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    return Chat(desk_a, "alice"), Chat(desk_a, "lead"), Chat(desk_b, "ops")


async def count(store: Store, model: type, **where: object) -> int:
    """Rows of `model` whose fields equal `where`."""
    async with store.transaction() as tx:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int((await tx.session.exec(query)).one())


async def notices(store: Store, chat_id: str) -> list[str]:
    """Texts queued for `chat_id`, oldest first."""
    async with store.transaction() as tx:
        rows = await tx.session.exec(
            select(OutboxItem).where(OutboxItem.chat_id == chat_id).order_by(col(OutboxItem.id))
        )
        return [json.loads(row.payload)["text"] for row in rows.all()]


async def written(store: Store, reference: str) -> tuple[Counter[str], list[str], list[str]]:
    """Outbox kinds, reporter notices and status changes recorded for one ticket."""
    async with store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        items = (
            await tx.session.exec(
                select(OutboxItem)
                .where(OutboxItem.ticket_reference == reference)
                .order_by(col(OutboxItem.id))
            )
        ).all()
        events = (
            await tx.session.exec(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id, TicketEvent.field == "status")
                .order_by(col(TicketEvent.id))
            )
        ).all()
    kinds = Counter(item.kind for item in items)
    texts = [json.loads(item.payload)["text"] for item in items if item.kind == "notice"]
    return kinds, texts, [str(event.new_value) for event in events]
