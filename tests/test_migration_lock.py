"""Any number of processes may start at once, on an empty database too, and every CLI command
waits for SQLite's write lock instead of failing with "database is locked"."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.cli import main
from storage import Database, Store
from storage.database import alembic_config
from tests.databases import database_url_for, sqlite_url
from tests.test_console_cli import ROOT, _env
from tests.test_storage import _ticket

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _versions(url: str) -> list[str]:
    async with Database(url) as database, database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
        return [row[0] for row in rows]


async def test_several_engines_upgrading_an_empty_database_at_once_all_succeed(
    database_url: str,
) -> None:
    engines = [Database(database_url) for _ in range(6)]
    try:
        await asyncio.wait_for(asyncio.gather(*(db.upgrade() for db in engines)), 120)
    finally:
        for db in engines:
            await db.close()
    assert await _versions(database_url) == [HEAD]


def test_processes_starting_at_once_on_an_empty_database_all_succeed(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{database_url_for(tmp_path)}"\n')
    commands = [["db", "upgrade"]] * 3 + [["tickets", "list", "--json"]]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", *command, "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=ROOT,
        )
        for command in commands
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for status, _, err in results:
        assert status == 0, err
    assert json.loads(results[-1][1]) == []
    assert asyncio.run(_versions(database_url_for(tmp_path))) == [HEAD]


async def test_a_cli_command_waits_for_sqlite_write_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own behaviour, so on SQLite in both runs: `deskbot tickets list` while the bot
    holds the write lock waits for it (as the bot's transactions do) and then answers."""
    url = sqlite_url(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{url}"\n')
    bot = Database(url)
    await bot.upgrade()
    holding, release = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    waits: list[float] = []

    async def locked_out(delay: float) -> None:
        # Runs in the CLI's thread: the CLI found the lock taken, now let the bot finish.
        waits.append(delay)
        loop.call_soon_threadsafe(release.set)
        await asyncio.sleep(0)

    monkeypatch.setattr(Database, "_pause", staticmethod(locked_out))

    async def bot_writes() -> None:
        async with Store(bot).transaction() as tx:
            await tx.tickets.create(_ticket("written while the CLI waited"), "console:amina")
            holding.set()
            await release.wait()

    writer = asyncio.create_task(bot_writes())
    await holding.wait()
    # The CLI runs its own event loop, so it runs in a thread beside this one.
    status = await asyncio.to_thread(main, ["tickets", "list", "--json", "--config", str(config)])
    await asyncio.wait_for(writer, 10)
    await bot.close()
    assert status == 0
    assert waits, "the CLI never had to wait, so this proves nothing"
    listed = json.loads(capsys.readouterr().out)
    assert [ticket["title"] for ticket in listed] == ["written while the CLI waited"]
