"""PostgreSQL for `./scripts/test`: is a server answering, and a fresh database for the run.

    postgres_for_tests.py answers HOST PORT
        exit 0 when a PostgreSQL server there accepts user postgres
    postgres_for_tests.py recreate HOST PORT NAME
        drop and create database NAME, print its URL

Uses asyncpg (a dependency of the desk already), so the script needs no psql on the machine.
"""

from __future__ import annotations

import asyncio
import re
import sys

import asyncpg

USER = "postgres"


async def _connect(host: str, port: int) -> asyncpg.Connection:
    return await asyncpg.connect(host=host, port=port, user=USER, database="postgres", timeout=5)


async def answers(host: str, port: int) -> bool:
    try:
        connection = await _connect(host, port)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


async def recreate(host: str, port: int, name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"DESKBOT_TEST_PG_DB: {name!r} is not a plain lower-case database name")
    connection = await _connect(host, port)
    try:
        # FORCE: connections a killed earlier run left behind must not keep the old one alive.
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"postgresql+asyncpg://{USER}@{host}:{port}/{name}"


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "answers":
        return 0 if asyncio.run(answers(argv[1], int(argv[2]))) else 1
    if len(argv) == 4 and argv[0] == "recreate":
        print(asyncio.run(recreate(argv[1], int(argv[2]), argv[3])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
