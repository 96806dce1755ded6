"""The async engine, its SQLite tuning, and schema upgrades through Alembic."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import greenlet_spawn
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import inline_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; NORMAL sync is safe under WAL and much faster
    # than FULL. busy_timeout stays 0: waiting for another process's lock happens in
    # Database.session, asynchronously, not inside SQLite on the event loop's thread.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _private_files(path: str) -> None:
    """Tickets hold merchants' data: the database is the owner's alone (0600). SQLite creates
    the -wal and -shm files with the main file's permissions, so creating that one private covers
    them; files left readable by an older version are narrowed."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(name, 0o600)


def _drop_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # asyncpg notices a socket the server closed (restart, idle timeout) without a round trip;
    # raising DisconnectionError makes the pool open a fresh connection instead.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("connection closed by the server")


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _begin_immediate(connection: Connection) -> None:
    # Take the write lock up front: a transaction that read first and wrote later could find,
    # under WAL, that another process wrote meanwhile and fail half-way. Failing here, before
    # anything happened, is safe to retry. Migrations ask for EXCLUSIVE (the same lock under
    # WAL; also keeps readers out on a database not yet in WAL mode).
    mode = connection.get_execution_options().get(_BEGIN_MODE, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _is_locked(error: OperationalError) -> bool:
    return "locked" in str(error.orig) or "busy" in str(error.orig)


LOCK_WAIT_SECONDS = 10.0
# PostgreSQL connections per process (`[desk] pool_size`, `max_overflow`): a unit of work holds
# one from its first statement to its commit.
POOL_SIZE = 10
MAX_OVERFLOW = 10
POOL_TIMEOUT = 30.0
# Migrations can take a while on a big desk, and every other starting process waits for them.
MIGRATION_WAIT_SECONDS = 300.0
# The PostgreSQL advisory lock every process's migrations take ("desk" in ASCII).
MIGRATION_LOCK_KEY = 0x6465736B
_BEGIN_MODE = "deskbot_begin"
_CONNECTION = "deskbot.connection"
_AFTER_COMMIT = "deskbot.after_commit"
_SQLITE = "deskbot.sqlite"
DURABLE_STEPS = "deskbot.durable_steps"


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` once this unit of work has committed (never after a rollback)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


async def sqlite_driver(session: AsyncSession) -> sqlite3.Connection | None:
    """The sqlite3 connection under a SQLite unit of work (None on other databases), for the
    statements run on every message: SQLAlchemy's async bridge costs several times what SQLite
    itself spends on them. Same connection, so same transaction."""
    if _SQLITE not in session.info:
        connection = core_connection(session)
        driver = None
        if connection.dialect.name == "sqlite":
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection._conn  # type: ignore[union-attr]
        session.info[_SQLITE] = driver
    return session.info[_SQLITE]  # type: ignore[no-any-return]


def core_connection(session: AsyncSession) -> AsyncConnection:
    """The connection a session's transaction runs on, for Core statements on hot paths (asking
    the session for it again costs a round through SQLAlchemy's greenlet bridge)."""
    return session.info[_CONNECTION]  # type: ignore[no-any-return]


def _end(connection: Connection, commit: bool) -> None:
    """Commit (or roll back) and return the connection to the pool, in one pass through the
    greenlet bridge."""
    try:
        if commit:
            connection.commit()
        else:
            connection.rollback()
    finally:
        connection.close()


class WriterTurns:
    """SQLite's write lock within this process: first come first served, except that urgent
    units go before every ordinary one waiting (asyncio.Lock has one queue)."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        return self._held

    async def acquire(self, urgent: bool = False) -> None:
        if not self._held:
            self._held = True
            return
        queue = self._urgent if urgent else self._ordinary
        waiter = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed the lock just as it was cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)
            raise

    def release(self) -> None:
        # Handed straight to the next waiter (it stays held), so nobody can slip in between.
        for queue in (self._urgent, self._ordinary):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._held = False


class Database:
    """Owns the engine. `async with Database(url) as db` opens it and disposes of it."""

    # How a transaction locked out by another process waits; tests observe it.
    _pause = staticmethod(asyncio.sleep)

    def __init__(
        self,
        url: str,
        pool_size: int = POOL_SIZE,
        max_overflow: int = MAX_OVERFLOW,
        durable_steps: bool = False,
    ) -> None:
        self.url = url
        # PostgreSQL: whether a unit of work that only moved a conversation along waits for the
        # WAL flush too (`[desk] durable_steps`; see storage.pg_fast).
        self.durable_steps = durable_steps
        parsed = make_url(url)
        self.engine: AsyncEngine
        if parsed.get_backend_name() == "sqlite":
            path = parsed.database or ":memory:"
            memory = path == ":memory:"
            if not memory and not path.startswith("file:"):
                _private_files(path)
            self.engine = create_async_engine(
                url,
                async_creator=inline_sqlite.creator(path),
                # An in-memory database exists once per connection, so it gets exactly one.
                poolclass=StaticPool if memory else None,
            )
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _begin_immediate)
        else:
            # No pre-ping: it cost three round trips (BEGIN, a query, ROLLBACK) on every
            # checkout. A connection the server closed is dropped at checkout without one
            # (_drop_closed); one that dies mid-transaction fails that unit of work, and
            # SQLAlchemy then replaces every pooled connection.
            self.engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=POOL_TIMEOUT
            )
            event.listen(self.engine.sync_engine, "checkout", _drop_closed)
        # SQLite has one writer and every unit of work is a write transaction (BEGIN IMMEDIATE):
        # this process's own units queue here, first come first served, instead of polling
        # the file lock with growing pauses (which left the lock idle under load).
        # Urgent units (see `session`) go before every ordinary one waiting.
        self._writer = WriterTurns() if self.dialect == "sqlite" else None
        # PostgreSQL: units of work wait for a connection here, first come first served. The
        # pool's own queue lets a unit that just returned a connection take it straight back
        # ahead of those waiting, so under load some waited seconds (32 conversations on 20
        # connections: p99 57-99 ms, the worst several seconds) while others never waited.
        # Only the kept connections (pool_size) take turns: an overflow connection is closed
        # when returned, so under steady load every unit past pool_size opened a new one
        # (milliseconds each, its statements prepared again; 35-54 per 1,200 messages at 32
        # conversations, about a fifth more CPU per message). Overflow stays for work outside
        # the turns (migrations, copying a desk, urgent units).
        self._turns = asyncio.Semaphore(pool_size) if self.dialect == "postgresql" else None
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent).

        Any number of processes may call this at once, on an empty database too: each takes the
        migration lock first (a transaction-scoped advisory lock on PostgreSQL, SQLite's write
        lock, waited for), so one migrates while the others wait, then find nothing to do.
        """
        writer = self._writer
        if writer is not None:
            await writer.acquire()
        try:
            connection = await self._begin(exclusive=True, wait=MIGRATION_WAIT_SECONDS)
            try:
                if self.dialect == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                await connection.run_sync(
                    lambda sync_conn: command.upgrade(alembic_config(sync_conn), "head")
                )
                await connection.commit()
            except BaseException:
                await connection.rollback()
                raise
            finally:
                await connection.close()
        finally:
            if writer is not None:
                writer.release()

    @asynccontextmanager
    async def session(self, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        The transaction belongs to the connection, and the ORM session joins it: most messages
        only touch conversation state through Core statements, and a session that owned the
        transaction would cost its own begin, commit and close on every one of them.

        `urgent`: short work that must not wait behind a backlog of ordinary units (renewing
        the outbox's leases, writing what was sent, before a lease lapses and another process
        sends the message again). On PostgreSQL it takes no turn: its connection comes
        straight from the pool (an overflow one when the turns hold every kept connection);
        on SQLite it is next for the write lock, ahead of every ordinary unit waiting.
        """
        writer = self._writer
        turns = None if urgent else self._turns
        if writer is not None:
            await writer.acquire(urgent)
        elif turns is not None and turns.locked():
            # As long as the pool would have waited for a connection, then the same error.
            try:
                # asyncio.timeout, not wait_for: no task of its own for every unit that waits.
                async with asyncio.timeout(POOL_TIMEOUT):
                    await turns.acquire()
            except TimeoutError:
                raise SQLAlchemyTimeoutError(
                    f"no database connection free for {POOL_TIMEOUT:.0f} s"
                ) from None
        elif turns is not None:
            await turns.acquire()
        try:
            connection = await self._begin()
            session = self._sessions(bind=connection)
            session.info[_CONNECTION] = connection
            session.info[DURABLE_STEPS] = self.durable_steps
            sync = connection.sync_connection
            try:
                yield session
            except BaseException:
                await greenlet_spawn(_end, sync, False)
                raise
            await greenlet_spawn(_end, sync, True)
        finally:
            if writer is not None:
                writer.release()
            elif turns is not None:
                turns.release()
        for callback in session.info.get(_AFTER_COMMIT, ()):
            callback()

    async def begin(self) -> AsyncConnection:
        """A connection in a transaction of its own, for work outside the unit-of-work pattern
        (copying a desk). The caller commits or rolls back, and closes it."""
        return await self._begin()

    async def _begin(
        self, exclusive: bool = False, wait: float = LOCK_WAIT_SECONDS
    ) -> AsyncConnection:
        """A connection whose transaction has begun, waiting (without blocking the loop) while
        another process holds SQLite's write lock."""
        deadline = time.monotonic() + wait
        delay = 0.001
        while True:
            try:
                sync = await greenlet_spawn(self._connect, exclusive)
                return AsyncConnection(self.engine, sync)
            except OperationalError as error:
                if not _is_locked(error) or time.monotonic() > deadline:
                    raise
            await self._pause(delay)
            delay = min(delay * 2, 0.05)

    def _connect(self, exclusive: bool) -> Connection:
        # Checkout and BEGIN in one pass through SQLAlchemy's greenlet bridge (each pass costs
        # as much as a short statement, and every message pays for these).
        sync = self.engine.sync_engine.connect()
        try:
            if exclusive:
                sync.execution_options(**{_BEGIN_MODE: "EXCLUSIVE"})
            sync.begin()
        except BaseException:
            # Locked while connecting (the WAL pragma on a new database) leaves nothing open.
            sync.close()
            raise
        return sync

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
