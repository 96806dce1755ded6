"""Shared fixtures: a migrated SQLite database in a temp folder, a movable clock, and a desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.notify import Target
from storage import Database, Store
from tests.support import Chat, RecordingSender

TEAM = frozenset({"console:lead", "console:ops"})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}")
    await db.upgrade()
    yield db
    await db.close()


@pytest.fixture
def store(database: Database) -> Store:
    return Store(database, "INT")


@pytest.fixture
def sent() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def dispatcher(store: Store, sent: RecordingSender, clock: FakeClock) -> OutboxDispatcher:
    return OutboxDispatcher(store, {"console": sent}, clock)


@pytest.fixture
def desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, leads=("console:lead",), max_title_length=120),
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
    )


@pytest.fixture
def alice(desk: Desk) -> Chat:
    return Chat(desk, "alice")


@pytest.fixture
def bob(desk: Desk) -> Chat:
    return Chat(desk, "bob")


@pytest.fixture
def lead(desk: Desk) -> Chat:
    return Chat(desk, "lead")
