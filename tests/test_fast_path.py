"""The statements run on every message: one read for what a turn starts from, writes at the end
of the unit of work, and (on PostgreSQL) a conversation step that costs two round trips and does
not wait for the WAL flush, while anything else does."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from benchmarks.pg_wire import WireCounter
from handlers.clock import FakeClock
from handlers.desk import Desk, DeskSettings
from handlers.events import Incoming
from handlers.notify import Target
from storage import Database, Store
from storage.conversations import ConversationChanged, ConversationState
from storage.database import sqlite_driver
from storage.people import LanguageChoice
from tests.databases import on_postgres

ALICE = {"channel": "console", "chat_id": "alice", "user_id": "alice", "display_name": "Alice"}


def _desk(store: Store, clock: FakeClock) -> Desk:
    return Desk(store, DeskSettings(), team_targets=[Target("console", "team")], clock=clock)


async def test_a_turn_reads_state_language_and_block_at_once(
    store: Store, clock: FakeClock
) -> None:
    now = clock.now()
    async with store.transaction() as tx:
        empty = await tx.start_turn("console", "alice", "alice")
        assert (empty.flow, empty.step, empty.data) == (None, None, {})
        assert await tx.people.language("console", "alice") is None
        assert await tx.reporters.blocked_until("console", "alice", now) is None
        state = ConversationState("report", "details", {"title": "Café ☕"})
        await tx.conversations.save("console", "alice", "alice", state, now)
        await tx.people.set_language("console", "alice", LanguageChoice("sw", "picked"), now)
        await tx.reporters.block("console", "alice", now + timedelta(hours=1), "console:lead")
    async with store.transaction() as tx:
        state = await tx.start_turn("console", "alice", "alice")
        assert (state.flow, state.step, state.data) == ("report", "details", {"title": "Café ☕"})
        assert await tx.people.language("console", "alice") == LanguageChoice("sw", "picked")
        blocked = await tx.reporters.blocked_until("console", "alice", now)
        assert blocked == now + timedelta(hours=1)
        # A block that has run out reads as none.
        later = now + timedelta(hours=2)
        assert await tx.reporters.blocked_until("console", "alice", later) is None
        # What the unit of work changes itself, it reads back.
        assert await tx.reporters.unblock("console", "alice", now)
        assert await tx.reporters.blocked_until("console", "alice", now) is None
        await tx.people.set_language("console", "alice", LanguageChoice("en", "picked"), now)
        assert await tx.people.language("console", "alice") == LanguageChoice("en", "picked")
    async with store.transaction() as tx:
        await tx.start_turn("console", "alice", "alice")
        assert await tx.reporters.blocked_until("console", "alice", now) is None
        assert await tx.people.language("console", "alice") == LanguageChoice("en", "picked")


async def test_a_unit_of_work_that_fails_writes_none_of_its_steps(
    store: Store, clock: FakeClock
) -> None:
    now = clock.now()
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.start_turn("console", "alice", "alice")
            state = ConversationState("report", "title")
            await tx.conversations.save("console", "alice", "alice", state, now)
            await tx.people.set_language("console", "alice", LanguageChoice("sw", "picked"), now)
            tx.outbox.add(
                key="k", channel="console", chat_id="alice", kind="direct", payload={}, now=now
            )
            raise RuntimeError("the work failed")
    async with store.transaction() as tx:
        state = await tx.start_turn("console", "alice", "alice")
        assert (state.flow, await tx.people.language("console", "alice")) == (None, None)
        assert list(await tx.outbox.items()) == []


@pytest.mark.parametrize("alone", [True, False], ids=["step-alone", "with-outbox"])
async def test_a_save_over_a_state_changed_since_it_was_read_undoes_the_unit(
    store: Store, clock: FakeClock, alone: bool
) -> None:
    """Two turns of one person read the same state; the first saves. The second's save (alone,
    or with other writes in a transaction) loses: it raises, and nothing of its unit stays."""
    now = clock.now()
    async with store.transaction() as tx:
        await tx.conversations.save("console", "alice", "alice", ConversationState("report"), now)
    async with store.transaction() as tx:
        stale = await tx.start_turn("console", "alice", "alice")
    async with store.transaction() as tx:
        first = await tx.start_turn("console", "alice", "alice")
        first.step = "title"
        await tx.conversations.save("console", "alice", "alice", first, now)
    with pytest.raises(ConversationChanged):
        async with store.transaction() as tx:
            stale.step = "details"
            await tx.conversations.save("console", "alice", "alice", stale, now)
            await tx.people.set_language("console", "alice", LanguageChoice("sw", "picked"), now)
            if not alone:
                tx.outbox.add(
                    key="k", channel="console", chat_id="alice", kind="direct", payload={}, now=now
                )
    async with store.transaction() as tx:
        state = await tx.start_turn("console", "alice", "alice")
        assert (state.step, state.version) == ("title", 2)
        assert await tx.people.language("console", "alice") is None
        assert list(await tx.outbox.items()) == []
    # A state saved where there was none loses the same way to one saved meanwhile.
    with pytest.raises(ConversationChanged):
        async with store.transaction() as tx:
            await tx.conversations.save("console", "alice", "alice", ConversationState(), now)


async def test_a_step_writes_state_language_outbox_and_events_together(
    store: Store, clock: FakeClock
) -> None:
    desk = _desk(store, clock)
    for incoming in (
        Incoming(**ALICE, text="/report"),
        Incoming(**ALICE, text="Malipo yamekwama kwenye simu"),
        Incoming(**ALICE, text="initiate returns 500"),
        Incoming(**ALICE, choice="files:continue"),
        Incoming(**ALICE, choice="env:production"),
        Incoming(**ALICE, choice="sev:major"),
        Incoming(**ALICE, choice="confirm:yes"),
    ):
        await desk.handle(incoming)
    async with store.transaction() as tx:
        state = await tx.start_turn("console", "alice", "alice")
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        events = [e.action for e in await tx.tickets.events(ticket)]
        alerts = [item.kind for item in await tx.outbox.items()]
    assert (state.flow, ticket.title, ticket.reporter_language) == (
        None,
        "Malipo yamekwama kwenye simu",
        "en",
    )
    assert events == ["created"] and alerts == ["alert"]


@pytest.mark.parametrize("durable", [False, True])
async def test_a_conversation_step_costs_two_round_trips(database_url: str, durable: bool) -> None:
    """What a report's middle step sends: on PostgreSQL one read and one write, no BEGIN or
    COMMIT, and the write waits for the WAL flush only with `durable_steps`; on SQLite one read
    and one write in its write transaction. Filing the ticket always waits for the flush."""
    clock = FakeClock()
    setup = Database(database_url)
    await setup.upgrade()
    await setup.close()
    counter: WireCounter | None = None
    url = database_url
    if on_postgres():
        parsed = make_url(database_url)
        counter = WireCounter(parsed.host or "127.0.0.1", parsed.port or 5432)
        url = parsed.set(port=await counter.start()).render_as_string(hide_password=False)
    database = Database(url, 1, 0, durable_steps=durable)
    desk = _desk(Store(database), clock)
    await desk.handle(Incoming(**ALICE, text="/report"))
    traced: list[str] = []
    if counter is not None:
        counter.reset()
    else:
        async with database.session() as session:
            driver = await sqlite_driver(session)
            assert isinstance(driver, sqlite3.Connection)
            driver.set_trace_callback(traced.append)
    await desk.handle(Incoming(**ALICE, text="USSD push fails"))
    if counter is not None:
        assert (counter.round_trips, counter.statements, dict(counter.simple)) == (2, 2, {})
        relaxing = [sql for sql in counter.parsed if "synchronous_commit" in sql]
        assert len(relaxing) == (0 if durable else 1)
        counter.reset()
    else:
        work = [sql for sql in traced if sql.split()[0] in ("SELECT", "INSERT", "UPDATE")]
        assert [sql.split()[0] for sql in work] == ["SELECT", "INSERT"]
    for incoming in (
        Incoming(**ALICE, text="initiate returns 500"),
        Incoming(**ALICE, choice="files:continue"),
        Incoming(**ALICE, choice="env:production"),
        Incoming(**ALICE, choice="sev:major"),
    ):
        await desk.handle(incoming)
    if counter is not None:
        counter.reset()
    replies = await desk.handle(Incoming(**ALICE, choice="confirm:yes"))
    assert "INT-1" in replies[0].text
    if counter is not None:
        # The ticket's transaction commits and waits for the flush, whatever the setting.
        assert counter.simple["COMMIT"] == 1
        assert not [sql for sql in counter.parsed if "synchronous_commit" in sql]
        await counter.close()
    await database.close()


async def test_a_state_saved_twice_in_one_unit_is_no_conflict(
    store: Store, clock: FakeClock
) -> None:
    """The second save goes over the version the turn read (PostgreSQL: the first save was
    never written, it is replaced), not the one the first save would write."""
    now = clock.now()
    async with store.transaction() as tx:
        await tx.conversations.save("console", "alice", "alice", ConversationState("a"), now)
    async with store.transaction() as tx:
        state = await tx.start_turn("console", "alice", "alice")
        state.step = "one"
        await tx.conversations.save("console", "alice", "alice", state, now)
        state.step = "two"
        await tx.conversations.save("console", "alice", "alice", state, now)
    # The state now holds the version committed (SQLite wrote twice, PostgreSQL once), so
    # saved again in a later unit it goes over that.
    async with store.transaction() as tx:
        stored = await tx.start_turn("console", "alice", "alice")
    assert (stored.step, stored.version) == ("two", state.version)
    async with store.transaction() as tx:
        state.step = "three"
        await tx.conversations.save("console", "alice", "alice", state, now)
    async with store.transaction() as tx:
        stored = await tx.start_turn("console", "alice", "alice")
    assert (stored.step, stored.version) == ("three", state.version)


async def test_a_rolled_back_save_leaves_the_version_read(store: Store, clock: FakeClock) -> None:
    now = clock.now()
    state = ConversationState("a")
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.conversations.save("console", "alice", "alice", state, now)
            raise RuntimeError("undone")
    assert state.version is None
    async with store.transaction() as tx:
        await tx.conversations.save("console", "alice", "alice", state, now)
    assert state.version == 1


def test_pg_fast_names_the_sqlalchemy_internals_it_misses() -> None:
    """Another SQLAlchemy release without the adapter's internals fails at import, clearly."""
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

    from storage import pg_fast

    pg_fast._check_internals(AsyncAdapt_asyncpg_connection)

    class Renamed:
        __slots__ = ("_transaction",)

        async def _start_transaction(self) -> None: ...

    with pytest.raises(ImportError, match=r"Renamed\._handle_exception_no_connection.*run\.lock"):
        pg_fast._check_internals(Renamed)
