"""Shared fixtures: a migrated SQLite database in a temp folder, a movable clock, and a desk."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.notify import Notifier, Target
from storage import Database, Store
from tests.support import Chat, RecordingSender

TEAM = frozenset({"console:lead", "console:ops"})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# The suite runs on SQLite. DESKBOT_TEST_DATABASE_URL=postgresql+asyncpg://... runs the tests
# that use this fixture on PostgreSQL instead (each test starts from an empty schema).
POSTGRES_URL = os.environ.get("DESKBOT_TEST_DATABASE_URL", "")


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    if POSTGRES_URL:
        db = Database(POSTGRES_URL)
        async with db.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    else:
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
    return OutboxDispatcher(store, {"console": sent}, clock, Notifier([Target("console", "team")]))


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
