"""PostgreSQL's fast path: the statements run on every message go straight to asyncpg, and a
unit of work that only moves a conversation along costs two round trips.

Why: through SQLAlchemy each statement costs a round through its greenlet bridge, and every
transaction costs a BEGIN and a COMMIT round trip on top of its statements. A report step reads
where the person stands (one statement, `storage.conversations._PG_TURN`) and writes where they
stand now (one statement): nothing in between needs a transaction of its own.

How it stays correct:
- SQLAlchemy's asyncpg adapter sends BEGIN lazily, before its own first statement, and COMMIT
  only if it sent BEGIN. The fast path's reads before that run on their own, which under READ
  COMMITTED (every statement sees what was committed when it started) reads the same as inside
  the transaction: nothing was written or locked yet. Reads after it run inside it.
- Writes are deferred (`defer`) to the end of the unit of work (`flush`, after every other write
  of the unit). If the unit opened a transaction (a ticket, an outbox row, a lock), they run inside
  it and commit with it. If not, they are one statement (several writes become data-modifying
  CTEs of one statement), which PostgreSQL commits atomically on its own.
- A write may be conditional (`lost`: the conversation saved only over the version the turn read).
  Its statement returns a row when it wrote; if it matched none, the combined statement fails on
  purpose (see `combined`), so whatever else the unit wrote is undone with it, inside a
  transaction or alone, and `lost` is raised for the caller to run the event again.
- Such a unit only changed where people stand in a conversation and the language they speak
  (`relaxed` writes), so it commits without waiting for the WAL flush (`synchronous_commit` off,
  for that one transaction; `[desk] durable_steps` turns this off). A crash of the PostgreSQL
  server itself may forget the last fraction of a second of such steps (never half of one, never
  anything out of order); a crash of the bot loses nothing. Tickets, outbox rows, processed
  updates and every other write wait for the flush as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import sqlalchemy
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import DURABLE_STEPS, core_connection

# SQLAlchemy internals this module relies on (the asyncpg adapter's lazy BEGIN and its error
# translation); pyproject.toml pins SQLAlchemy to the minor series they were checked against.
_INTERNALS = ("_transaction", "_start_transaction", "_handle_exception_no_connection")


def _check_internals(adapter: type) -> None:
    """Fail at import, naming what is gone, rather than on the first message on PostgreSQL."""
    missing = [
        name
        for name in _INTERNALS
        if not hasattr(adapter, name)
        and not any(name in getattr(k, "__slots__", ()) for k in adapter.__mro__)
    ]
    if missing:
        raise ImportError(
            f"storage.pg_fast needs SQLAlchemy's {adapter.__name__}.{', .'.join(missing)}, "
            f"which SQLAlchemy {sqlalchemy.__version__} does not have; install the version "
            "in requirements/run.lock"
        )


_check_internals(AsyncAdapt_asyncpg_connection)

_DRIVER = "deskbot.pg_driver"
_WRITES = "deskbot.pg_writes"
_PARAM = re.compile(r"\$(\d+)")


@dataclass(frozen=True, slots=True)
class _Write:
    sql: str  # one INSERT / UPDATE, parameters $1..$n
    args: tuple[Any, ...]
    relaxed: bool
    # Conditional: `sql` returns a row when it wrote; when it did not, this is raised.
    lost: Exception | None = None
    # Given the rows `sql` returned (RETURNING), as a list of records, once it ran.
    collect: Callable[[list[Any]], None] | None = None


def driver(session: AsyncSession) -> Any | None:
    """The asyncpg connection under a PostgreSQL unit of work (None on other databases)."""
    info = session.info
    if _DRIVER not in info:
        connection = core_connection(session)
        found = None
        if connection.dialect.name == "postgresql":
            # Already checked out and connected: no await, no round trip.
            found = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
        info[_DRIVER] = found
    return info[_DRIVER]


async def fetchrow(session: AsyncSession, sql: str, *args: Any) -> Any:
    """One row of a statement on the unit of work's asyncpg connection."""
    try:
        return await driver(session).fetchrow(sql, *args)  # type: ignore[union-attr]
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise _translated(session, sql, args, error) from error


async def begin(session: AsyncSession) -> None:
    """Open the unit of work's transaction now, as SQLAlchemy's adapter does before its own
    first statement (and commits or rolls back with the unit), for a statement that must run
    inside it (a row lock held until the commit)."""
    sync = core_connection(session).sync_connection
    adapter: Any = sync.connection.dbapi_connection  # type: ignore[union-attr]
    if adapter._transaction is None:
        await adapter._start_transaction()


async def execute(session: AsyncSession, sql: str, *args: Any) -> None:
    """A statement returning nothing, on the unit of work's asyncpg connection."""
    await _execute(session, sql, args)


async def _execute(
    session: AsyncSession,
    sql: str,
    args: tuple[Any, ...],
    lost: Exception | None = None,
    fetch: bool = False,
) -> Any:
    """`fetch`: the statement's one row, else nothing."""
    connection = driver(session)
    try:
        if fetch:
            return await connection.fetchrow(sql, *args)  # type: ignore[union-attr]
        await connection.execute(sql, *args)  # type: ignore[union-attr]
        return None
    except asyncpg.DivisionByZeroError as error:
        if lost is None:
            raise _translated(session, sql, args, error) from error
        raise lost from error
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise _translated(session, sql, args, error) from error


def _translated(session: AsyncSession, sql: str, args: tuple[Any, ...], error: Exception) -> Any:
    """The error SQLAlchemy would have raised for it (IntegrityError for a duplicate key, ...),
    so callers catch the same exceptions whichever way a statement went."""
    dialect = core_connection(session).dialect
    dbapi = dialect.loaded_dbapi
    try:
        AsyncAdapt_asyncpg_connection._handle_exception_no_connection(dbapi, error)
    except dbapi.Error as translated:
        return DBAPIError.instance(sql, args, translated, dbapi.Error, dialect=dialect)
    return error  # pragma: no cover - the call above always raises


def defer(
    session: AsyncSession,
    key: object,
    sql: str,
    args: tuple[Any, ...],
    *,
    relaxed: bool,
    lost: Exception | None = None,
    collect: Callable[[list[Any]], None] | None = None,
) -> None:
    """Write at the end of the unit of work. A later write with the same `key` replaces this
    one (the newest conversation state, the newest language pick). With `lost`, `sql` must
    return a row when it writes (RETURNING); when it writes nothing, the whole unit of work is
    undone and `lost` raised. With `collect`, it is given the rows `sql` returns (RETURNING)."""
    writes: dict[object, _Write] = session.info.setdefault(_WRITES, {})
    writes.pop(key, None)
    writes[key] = _Write(sql, args, relaxed, lost, collect)


async def flush(session: AsyncSession) -> None:
    """Run the deferred writes (last in the unit of work; see the module's docstring)."""
    writes: dict[object, _Write] = session.info.pop(_WRITES, {})
    if not writes:
        return
    connection = driver(session)
    assert connection is not None
    # Inside a transaction the unit of work opened, they commit with it (and wait for the
    # flush); on their own, they are the whole transaction.
    relaxed = (
        not connection.is_in_transaction()
        and not session.info.get(DURABLE_STEPS, False)
        and all(w.relaxed for w in writes.values())
    )
    sql, args = combined(list(writes.values()), relaxed)
    lost = next((w.lost for w in writes.values() if w.lost is not None), None)
    collecting = [w.collect for w in writes.values() if w.collect is not None]
    row = await _execute(session, sql, args, lost, fetch=bool(collecting))
    if collecting:
        # Their rows are the last columns, in the order of the writes.
        for collect, rows in zip(collecting, row[len(row) - len(collecting) :], strict=True):
            collect(list(rows or ()))


def insert_rows(table: str, rows: list[dict[str, Any]]) -> tuple[str, tuple[Any, ...]]:
    """One INSERT of `rows` (dicts with the same keys, in the same order)."""
    columns = list(rows[0])
    width = len(columns)
    values = ", ".join(
        "(" + ", ".join(f"${n * width + c + 1}" for c in range(width)) + ")"
        for n in range(len(rows))
    )
    args = tuple(row[column] for row in rows for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}", args


def combined(writes: list[_Write], relaxed: bool) -> tuple[str, tuple[Any, ...]]:
    """One statement running every write (data-modifying CTEs always run, referenced or not)."""
    parts: list[str] = []
    args: list[Any] = []
    # is_local: for this statement's own transaction only.
    selected = ["set_config('synchronous_commit', 'off', true)" if relaxed else "1"]
    for number, write in enumerate(writes):
        sql = _renumbered(write.sql, len(args))
        parts.append(f"w{number} AS ({sql})")
        args.extend(write.args)
        if write.lost is not None:
            # A conditional write that wrote nothing fails the statement with a division by
            # zero (plain SQL has no RAISE; the count is known only at run time, so the planner
            # cannot fold it into an error every time), undoing every write in it and in its
            # transaction; `_execute` turns that error into `lost`.
            selected.append(f"1 / (SELECT count(*) FROM w{number})")
    selected += [
        f"(SELECT array_agg(w{number}) FROM w{number})"
        for number, write in enumerate(writes)
        if write.collect is not None
    ]
    return f"WITH {', '.join(parts)} SELECT {', '.join(selected)}", tuple(args)


@lru_cache(maxsize=256)
def _renumbered(sql: str, offset: int) -> str:
    # The same few statements come back on every message.
    return _PARAM.sub(partial(_shift, offset), sql) if offset else sql


def _shift(offset: int, match: re.Match[str]) -> str:
    return f"${int(match.group(1)) + offset}"
