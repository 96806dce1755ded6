"""Two bot processes on one SQLite file: every page is claimed by exactly one of them."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from handlers.clock import FakeClock
from handlers.desk import Desk, DeskSettings
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from handlers.notify import Target
from storage import Database, Store
from tests.conftest import TEAM
from tests.escalation.conftest import make_escalator, outbox, pages
from tests.support import Chat


@pytest.fixture
async def second_database(tmp_path: Path, database: Database) -> AsyncIterator[Database]:
    # The same file as the `database` fixture, through its own engine and connections.
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}")
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
    while clock.now() < start + timedelta(hours=3):
        await asyncio.gather(*(engine.sweep() for engine in engines))
        clock.advance(timedelta(seconds=30))
    sent = await pages(store)
    per_page = Counter((p.ticket_id, p.level, p.repeat) for p in sent)
    assert len(per_page) == 12 * 11  # every page of every ticket...
    assert set(per_page.values()) == {1}  # ...exactly once
    # Both really competed: each sent some pages and lost some claims to the other.
    assert all(engine.pages_sent > 0 for engine in engines)
    assert sum(engine.claims_lost for engine in engines) > 0
    assert sum(engine.pages_sent for engine in engines) == len(sent)
    keys = [item.idempotency_key for item in await outbox(store, "page")]
    assert len(keys) == len(set(keys)) == 12 * (2 + 9 * 2)
