"""The database a benchmark runs on: `--database-url`, or a SQLite file in a temporary folder."""

from __future__ import annotations

import argparse
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default="",
        help="database to run on (default: a new SQLite file in a temporary folder). A "
        "PostgreSQL database given here is EMPTIED first (its public schema is dropped): "
        "give the benchmark a database of its own, e.g. "
        "postgresql+asyncpg://postgres@127.0.0.1/deskbot_bench",
    )


async def prepare(url: str, folder: Path) -> str:
    """The URL to run on, with an empty database behind it."""
    if not url:
        return f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute("DROP SCHEMA public CASCADE")
            await connection.execute("CREATE SCHEMA public")
        finally:
            await connection.close()
    return url
