"""An aiosqlite-shaped connection that runs sqlite3 calls on the event loop's own thread.

aiosqlite hands every call to a worker thread and back, and SQLAlchemy's adapter makes four such
calls per statement (cursor, execute, fetch, close). On these machines a hand-off costs about
40 µs while the SQLite work itself takes a few, so the hand-offs were most of a message's time
(engine benchmark: 540 messages/s through aiosqlite's thread). Statements on an indexed WAL
database return in microseconds, so running them inline is faster and never waits on a network.

The one thing that could block is another process's write lock. So the connection never waits in
SQLite (busy_timeout is 0); `storage.database` takes the write lock with BEGIN IMMEDIATE as a
transaction's first statement and retries that, asynchronously, while another process holds it.

Plugged in through SQLAlchemy's public `async_creator` hook; the dialect, URL and error types stay
aiosqlite's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def __await__(self):  # type: ignore[no-untyped-def]
        yield from ()
        return self

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    async def create_function(
        self, name: str, num_params: int, func: Callable[..., Any], **kw: Any
    ) -> None:
        self._conn.create_function(name, num_params, func, **kw)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._conn.isolation_level = value  # type: ignore[assignment]


def creator(path: str) -> Callable[[], Any]:
    async def connect() -> InlineConnection:
        # isolation_level=None: the driver opens no transactions of its own; we BEGIN IMMEDIATE.
        return InlineConnection(
            sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=0)
        )

    return connect
