"""A message holding an API key, a Bearer JWT and a Luhn-valid card, sent through Telegram (the
real python-telegram-bot against the fake Bot API): stored, shown and forwarded to the team with
all three hidden, the merchant told and their message deleted, and afterwards no byte of any of
the three values anywhere: the database (the SQLite file, or every row of every table on
PostgreSQL), the log file (DEBUG, where python-telegram-bot logs whole updates) and the files
the run wrote."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.cli import main
from bot.logs import setup_logging
from tests.databases import POSTGRES_URL, driver_dsn, on_postgres
from tests.fakes.telegram_api import DEFAULT_TOKEN
from tests.telegram_harness import MERCHANT, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

API_KEY = "SKq8Z2mW7xL4vN9pR3tY6uB1cE5hJ0kDaP"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJJRHgzZlRVTWJXb1RoNFpHIiwiZXhwIjoxNzk1MDAwMDAwfQ"
    ".Qm9b7Yk2Zr1xWq8Lp3Tn6Vc0Hs5Jd4Fg9Ka2Mb7Nc1X"
)
CARD = "4556 7375 8689 9855"
SECRETS = (API_KEY, JWT, CARD, CARD.replace(" ", ""))
# What a pasted value leaves behind when only part of it is stored: 8 characters are enough.
FRAGMENTS = tuple(secret[i : i + 8] for secret in (API_KEY, JWT) for i in (0, 12, 24))

MESSAGE = (
    "Payments to order ORD20261130A7K9 fail with 401. Our setup:\n"
    f"api-key: {API_KEY}\n"
    f"Authorization: Bearer {JWT}\n"
    f"Test card {CARD} was charged TZS 50,000 anyway."
)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The desk's own logging set-up (as `deskbot run` makes it), at DEBUG, into a file."""
    path = tmp_path / "deskbot.log"
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("DEBUG", [DEFAULT_TOKEN], "text")
    with path.open("w", encoding="utf-8") as stream:
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        # Chatty libraries on, as an operator chasing a problem would run it.
        for name in ("httpx", "telegram", "apscheduler"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        try:
            yield path
        finally:
            root.handlers[:], _ = saved
            root.setLevel(saved[1])
            for name in ("httpx", "telegram", "apscheduler"):
                logging.getLogger(name).setLevel(logging.NOTSET)


async def test_three_secrets_are_hidden_everywhere_and_leave_no_trace(
    tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        api = env.api
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Token accepted but payments fail")
        mark = api.mark()
        details = api.make_text_update(MERCHANT, MESSAGE)
        details_id = details["message"]["message_id"]
        await env.deliver(details)
        notice = await env.answer(MERCHANT.id, after=mark)
        text = notice.params["text"]
        assert "API key, access token and card number" in text
        assert "replace it now" in text and "deleted your original message" in text
        # The merchant's message is gone from the chat, the flow goes on.
        await api.wait_call("deleteMessage", after=mark)
        assert api.was_deleted(MERCHANT.id, details_id)
        files = await env.answer(MERCHANT.id, after=mark, with_buttons="Continue")
        mark = await env.press(MERCHANT, files, "Continue")
        environment = await env.answer(MERCHANT.id, after=mark, with_buttons="Production")
        mark = await env.press(MERCHANT, environment, "Production")
        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Major")
        mark = await env.press(MERCHANT, severity, "Major")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        assert "[hidden: API key]" in summary.params["text"]
        mark = await env.press(MERCHANT, summary, "Confirm")
        alert = await env.answer(TEAM.id, after=mark, with_buttons="Resolve")
        await env.alert_linked(alert)

        # The same three again as a follow-up (added to the active ticket at once): forwarded to
        # the team's timeline, hidden.
        mark = api.mark()
        await env.say(MERCHANT, f"Still failing. {MESSAGE}")
        await env.answer(MERCHANT.id, after=mark, with_buttons="Not about INT-1")
        forwarded = await api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "Still failing" in c.params["text"],
            after=mark,
        )
        team_text = forwarded.params["text"]
        for marker in ("[hidden: API key]", "[hidden: access token]", "[hidden: card number]"):
            assert marker in team_text
        assert "ORD20261130A7K9" in team_text and "TZS 50,000" in team_text
        await env.settled()
        sent = [c.params.get("text", "") for c in api.calls]
        ticket = await env.ticket("INT-1")
        assert "[hidden: card number]" in ticket.description
        async with env.runtime.store.transaction() as tx:
            redactions = await tx.redactions.since(ticket.created_at.replace(year=2000))
        assert [r.kinds for r in redactions] == ["api_key,token,card"] * 2

    config = tmp_path / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{env.config.desk.database_url}"\n')
    status = await asyncio.to_thread(main, ["tickets", "show", "INT-1", "--config", str(config)])
    shown = capsys.readouterr().out
    status_json = await asyncio.to_thread(
        main, ["tickets", "show", "INT-1", "--json", "--config", str(config)]
    )
    shown_json = capsys.readouterr().out
    assert status == status_json == 0
    assert "[hidden: API key]" in shown and "[hidden: access token]" in shown
    detail = json.loads(shown_json)
    assert "[hidden: card number]" in detail["description"]

    for where, text in (("sent", "\n".join(sent)), ("shown", shown + shown_json)):
        _no_trace(where, text.encode())
    logged = log_file.read_bytes()
    assert b"deleteMessage" in logged or b"getUpdates" in logged  # the log really ran at DEBUG
    for path in tmp_path.rglob("*"):
        if path.is_file():
            _no_trace(str(path), path.read_bytes())
    if on_postgres():
        _no_trace("postgresql", (await _every_row(POSTGRES_URL)).encode())


def _no_trace(where: str, data: bytes) -> None:
    for value in (*SECRETS, *FRAGMENTS):
        for form in (value, json.dumps(value)[1:-1]):
            assert form.encode() not in data, f"{value[:12]}... found in {where}"


async def _every_row(url: str) -> str:
    """Every row of every table in the database, as text."""
    connection = await asyncpg.connect(driver_dsn(url))
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        rows = []
        for table in tables:
            name = table["tablename"].replace('"', '""')
            rows += [r[0] for r in await connection.fetch(f'SELECT t::text FROM "{name}" AS t')]
        assert any("[hidden: API key]" in row for row in rows)
        return "\n".join(rows)
    finally:
        await connection.close()
