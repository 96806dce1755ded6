"""Two bot processes on one SQLite file: every page is claimed by exactly one of them."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from handlers.clock import FakeClock
from handlers.desk import Desk, DeskSettings
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from handlers.notify import Target
from storage import Database, Store
from storage.escalations import EscalationRepository, Snapshot
from tests.conftest import TEAM
from tests.escalation.conftest import make_escalator, outbox, pages
from tests.support import Chat


@pytest.fixture
async def second_database(database_url: str, database: Database) -> AsyncIterator[Database]:
    # The same database as the `database` fixture, through its own engine and connections.
    db = Database(database_url)
    yield db
    await db.close()


def desk_on(store: Store, clock: FakeClock) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, leads=("console:lead",)),
        team_targets=[Target("console", "team")],
        clock=clock,
    )


async def test_two_engines_sharing_one_database_send_each_page_once(
    store: Store, second_database: Database, clock: FakeClock
) -> None:
    policy = EscalationPolicy()
    desk_a = desk_on(store, clock)
    desk_b = desk_on(Store(second_database, "INT"), clock)
    engines: list[Escalator] = [
        make_escalator(desk_a, desk_a.store, policy),
        make_escalator(desk_b, desk_b.store, policy),
    ]
    desk_a.observers.append(engines[0])
    desk_b.observers.append(engines[1])
    start = clock.now()
    # Tickets filed through both processes, a few seconds apart.
    for number in range(12):
        desk = desk_a if number % 2 else desk_b
        await Chat(desk, f"merchant{number}").report(severity="Critical")
        clock.advance(timedelta(seconds=5))
    sweep = 0
    while clock.now() < start + timedelta(hours=3):
        # Each sweep holds SQLite's write lock from read to claim, so the two processes take
        # turns; which one goes first alternates, as it would between real processes.
        sweep += 1
        order = engines if sweep % 2 else engines[::-1]
        await asyncio.gather(*(engine.sweep() for engine in order))
        clock.advance(timedelta(seconds=30))
    sent = await pages(store)
    per_page = Counter((p.ticket_id, p.level, p.repeat) for p in sent)
    assert len(per_page) == 12 * 11  # every page of every ticket...
    assert set(per_page.values()) == {1}  # ...exactly once
    # Both really took part: each sent some of the pages.
    assert all(engine.pages_sent > 0 for engine in engines)
    assert sum(engine.pages_sent for engine in engines) == len(sent)
    keys = [item.idempotency_key for item in await outbox(store, "page")]
    assert len(keys) == len(set(keys)) == 12 * (2 + 9 * 2)


async def test_a_claim_on_a_stale_read_sends_nothing(
    store: Store, second_database: Database, clock: FakeClock
) -> None:
    """What guards PostgreSQL, where a read does not lock: a process whose read is out of date
    (another one paged meanwhile) finds its conditional claim matches no row."""
    policy = EscalationPolicy()
    desk = desk_on(store, clock)
    other_desk = desk_on(Store(second_database, "INT"), clock)
    other = make_escalator(other_desk, other_desk.store, policy)
    desk.observers.append(make_escalator(desk, store, policy))
    await Chat(desk, "merchant").report(severity="Critical")
    async with store.transaction() as tx:
        (ticket,) = await EscalationRepository(tx.session).due(clock.now(), 10)
        stale = Snapshot(
            ticket_id=ticket.id or 0,
            next_escalation_at=ticket.next_escalation_at or clock.now(),
            level=ticket.escalation_level,
            repeats=ticket.escalation_repeats,
            acknowledged=False,
        )
    await other.sweep()  # the other process pages level 1 first
    async with store.transaction() as tx:
        assert not await EscalationRepository(tx.session).claim(stale, escalation_level=1)
    assert len(await pages(store)) == 1
