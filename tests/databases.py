"""Which database a test runs on: a SQLite file in its own folder, or the PostgreSQL test database.

`./scripts/test` runs the whole suite twice: once on SQLite, once with
`DESKBOT_TEST_DATABASE_URL=postgresql+asyncpg://...` (a database of the run's own, which the
script creates). Every test that touches storage gets its URL from `fresh_database_url(tmp_path)`
(`database_url_for` in synchronous code), so harnesses, CLI subprocesses and the `database`
fixture all run on whichever the run chose.

On PostgreSQL the test database is emptied once per test (the first time any helper asks for it
within that test), so a fixture and a harness in the same test share one database, as on SQLite
they share one file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("DESKBOT_TEST_DATABASE_URL", "")
_EMPTIED = ".postgres-emptied"


def on_postgres() -> bool:
    return bool(POSTGRES_URL)


def sqlite_url(folder: Path, name: str = "desk.db") -> str:
    return f"sqlite+aiosqlite:///{folder / name}"


def driver_dsn(url: str) -> str:
    """The plain `postgresql://` form asyncpg itself accepts."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


async def empty_postgres(url: str) -> None:
    """Drop everything in the `public` schema. A test that left a connection holding a lock
    fails here, clearly, instead of hanging the run."""
    connection = await asyncpg.connect(driver_dsn(url))
    try:
        await connection.execute("SET lock_timeout = '20s'")
        await connection.execute("DROP SCHEMA public CASCADE")
        await connection.execute("CREATE SCHEMA public")
    finally:
        await connection.close()


async def fresh_database_url(tmp_path: Path) -> str:
    """This test's database URL (empty at the first call within a test)."""
    if not POSTGRES_URL:
        return sqlite_url(tmp_path)
    marker = tmp_path / _EMPTIED
    if not marker.exists():
        await empty_postgres(POSTGRES_URL)
        marker.touch()
    return POSTGRES_URL


def database_url_for(tmp_path: Path) -> str:
    """`fresh_database_url` for synchronous code, inside or outside a running event loop."""
    if not POSTGRES_URL:
        return sqlite_url(tmp_path)
    if (tmp_path / _EMPTIED).exists():
        return POSTGRES_URL
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fresh_database_url(tmp_path)).result()
