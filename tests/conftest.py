"""Shared fixtures: a migrated database (SQLite, or PostgreSQL in the suite's second run), a movable
clock, and a desk."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.knowledge import KnowledgeBase
from handlers.notify import Notifier, Target
from storage import Database, Store
from storage.files import FileStore
from tests.databases import POSTGRES_URL, fresh_database_url
from tests.support import Chat, RecordingSender

__all__ = ["POSTGRES_URL", "TEAM"]

TEAM = frozenset({"console:lead", "console:ops"})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """This test's empty database (see tests/databases.py)."""
    return await fresh_database_url(tmp_path)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await db.upgrade()
    yield db
    await db.close()


@pytest.fixture
def store(database: Database) -> Store:
    return Store(database, "INT")


@pytest.fixture
async def other_store(database_url: str, database: Database) -> AsyncIterator[Store]:
    """The `database` fixture's database through an engine and pool of its own, as a second bot
    process would reach it (the race tests; see tests/racing.py)."""
    other = Database(database_url)
    yield Store(other, "INT")
    await other.close()


@pytest.fixture
def sent() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def dispatcher(store: Store, sent: RecordingSender, clock: FakeClock) -> OutboxDispatcher:
    return OutboxDispatcher(store, {"console": sent}, clock, Notifier([Target("console", "team")]))


def console_desk(
    store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, **extra: Any
) -> Desk:
    """The console desk the tests talk to; `extra` adds Desk fields (knowledge, files)."""
    return Desk(
        store,
        DeskSettings(members=TEAM, leads=("console:lead",), max_title_length=120),
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
        **extra,
    )


@pytest.fixture
def desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, tmp_path: Path) -> Desk:
    # With an attachment folder, as the bot always runs: reports offer their files step.
    return console_desk(store, clock, dispatcher, files=FileStore(tmp_path / "attachments"))


@functools.cache
def repo_kb() -> KnowledgeBase:
    """The knowledge base shipped in kb/, loaded once for the whole run."""
    return KnowledgeBase.load(Path(__file__).resolve().parent.parent / "kb")


@pytest.fixture
def kb_desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, tmp_path: Path) -> Desk:
    """The console desk answering from the shipped knowledge base."""
    files = FileStore(tmp_path / "attachments")
    return console_desk(store, clock, dispatcher, knowledge=repo_kb(), files=files)


@pytest.fixture
def bare_desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher) -> Desk:
    """A desk with no attachment folder (`files` None): it keeps no file, so asks for none."""
    return console_desk(store, clock, dispatcher)


@pytest.fixture
def alice(desk: Desk) -> Chat:
    return Chat(desk, "alice")


@pytest.fixture
def bob(desk: Desk) -> Chat:
    return Chat(desk, "bob")


@pytest.fixture
def lead(desk: Desk) -> Chat:
    return Chat(desk, "lead")
