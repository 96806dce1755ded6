"""`deskbot db copy`: a whole desk from a SQLite file into the run's database (PostgreSQL in the
suite's second run) and back out into a new SQLite file, through the real `deskbot` command."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.clock import FakeClock
from handlers.desk import Desk, DeskSettings
from handlers.notify import Target
from storage import Database, Store
from storage.copy import tables
from tests.conftest import TEAM
from tests.databases import sqlite_url
from tests.support import Chat

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def desk_on(database: Database) -> Desk:
    return Desk(
        Store(database, "INT"),
        DeskSettings(members=TEAM, leads=("console:lead",)),
        team_targets=[Target("console", "team")],
        clock=FakeClock(START),
    )


async def fill(url: str) -> None:
    """A desk with some history: tickets, a follow-up, an ack, a resolution, notes, a question."""
    async with Database(url) as database:
        await database.upgrade()
        desk = desk_on(database)
        alice, bob, lead = Chat(desk, "alice"), Chat(desk, "bob"), Chat(desk, "lead")
        await alice.report(title="Payouts stuck <b>PROCESSING</b> 💸")
        await bob.report(title="Checksum mismatch", severity="Major")
        await alice.report(title="Refund missing", severity="Minor")
        await lead.say("ack INT-1")
        await lead.say("note INT-2 looking at the signature code")
        await lead.say("resolve INT-3 refunded by hand")
        await bob.say("/report")  # a conversation left half-way


async def snapshot(url: str) -> dict[str, list[dict[str, Any]]]:
    async with Database(url) as database, database.engine.connect() as connection:
        found = {}
        for table in tables():
            rows = await connection.execute(select(table).order_by(*table.primary_key.columns))
            found[table.name] = [dict(row) for row in rows.mappings()]
        return found


async def deskbot(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    # The command runs its own event loop, so in a thread beside the test's.
    status = await asyncio.to_thread(main, list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


async def next_reference(url: str) -> str:
    async with Database(url) as database:
        chat = Chat(desk_on(database), "carol")
        answer = await chat.report(title="After the copy")
    return answer.split("logged as ")[1].split(" ")[0]


async def test_a_desk_copied_there_and_back_keeps_every_row_and_its_numbering(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sqlite_url(tmp_path, "source.db")
    back = sqlite_url(tmp_path, "back.db")
    await fill(source)
    original = await snapshot(source)
    assert all(original[name] for name in ("ticket", "ticket_event", "outbox", "conversation"))

    status, out, err = await deskbot(capsys, "db", "copy", "--from", source, "--to", database_url)
    assert status == 0, err
    assert "row counts match" in out and "ticket: 3 rows" in out
    assert await snapshot(database_url) == original
    assert await next_reference(database_url) == "INT-4"

    status, out, err = await deskbot(capsys, "db", "copy", "--from", database_url, "--to", back)
    assert status == 0, err
    copied_back = await snapshot(back)
    assert copied_back == await snapshot(database_url)
    assert len(copied_back["ticket"]) == 4
    assert await next_reference(back) == "INT-5"


async def test_a_non_empty_target_is_refused_unless_forced(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sqlite_url(tmp_path, "source.db")
    await fill(source)
    async with Database(database_url) as target:
        await target.upgrade()
        await Chat(desk_on(target), "zed").report(title="Already here")
    before = await snapshot(database_url)

    status, _, err = await deskbot(capsys, "db", "copy", "--from", source, "--to", database_url)
    assert status == 1
    assert "target is not empty" in err and "ticket (1)" in err and "--force" in err
    assert await snapshot(database_url) == before

    status, _, err = await deskbot(
        capsys, "db", "copy", "--from", source, "--to", database_url, "--force"
    )
    assert status == 0, err
    assert await snapshot(database_url) == await snapshot(source)
    assert await next_reference(database_url) == "INT-4"


async def test_urls_are_checked_and_passwords_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sqlite_url(tmp_path, "source.db")
    secret_url = "postgresql+asyncpg://desk:pw-s3cret-71@127.0.0.1:1/nowhere"
    status, out, err = await deskbot(capsys, "db", "copy", "--from", source, "--to", secret_url)
    assert status == 1  # nothing listens on port 1
    assert "pw-s3cret-71" not in out + err
    assert "desk:***@127.0.0.1:1/nowhere" in out

    status, _, err = await deskbot(
        capsys, "db", "copy", "--from", source, "--to", "mysql://u:pw-x@h/d"
    )
    assert status == 2 and "--to" in err and "pw-x" not in err
    status, _, err = await deskbot(capsys, "db", "copy", "--from", source, "--to", source)
    assert status == 2 and "same database" in err
