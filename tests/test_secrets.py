"""No secret in any output, database column or traceback; one record, one log line (issue 13
items 5, 6 and 13). Fault runs are real `deskbot run` processes: a Bot API that answers with
malformed HTTP, one that refuses connections, and wrong or unreachable database URLs."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from bot.logs import CONTINUATION, Throttle, setup_logging
from handlers.events import Message
from tests.databases import on_postgres, sqlite_url
from tests.telegram_harness import TEAM, desk_on_telegram

ROOT = Path(__file__).parent.parent
TOKEN = "123456789:AAH-leaky-token_value"
PASSWORD = "Sup3r-S3cret-Pw"
SIGNING = "sig-secret-42"


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook)
    yield capsys
    root.handlers[:], root.level, sys.excepthook = saved


def test_short_secrets_and_encoded_secrets_are_blanked(logs: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", ["pw1", "a/b:c", ""])
    log = logging.getLogger("deskbot.test")
    log.info("password is pw1, token a/b:c, encoded a%2Fb%3Ac")
    err = logs.readouterr().err
    assert "pw1" not in err and "a/b:c" not in err and "a%2Fb%3Ac" not in err
    assert err.count("[redacted]") == 3


def test_control_characters_cannot_forge_log_lines(logs: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", [])
    log = logging.getLogger("deskbot.test")
    forged = "hi\r\n2026-11-30 06:00:00,000 INFO deskbot: admin logged in\x1b[2J"
    log.info("merchant wrote %s", forged)
    try:
        raise ValueError(forged)
    except ValueError:
        log.exception("failed on %r", "x")
    lines = logs.readouterr().err.splitlines()
    assert lines[0].endswith(
        "merchant wrote hi\\r\\n2026-11-30 06:00:00,000 INFO deskbot: admin logged in\\x1b[2J"
    )
    assert "\x1b" not in "".join(lines) and "\r" not in "".join(lines)
    # Every line of the traceback is marked as belonging to the record above it.
    assert lines[1].endswith("failed on 'x'")
    assert all(line.startswith(CONTINUATION) for line in lines[2:]), lines
    assert len([line for line in lines if line.startswith("20")]) == 2


def test_throttled_warnings_say_how_many_were_left_out(logs: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", [])
    now = [0.0]
    throttle = Throttle(every=60, clock=lambda: now[0])
    log = logging.getLogger("deskbot.test")
    for _ in range(500):
        throttle.warning(log, "bad-signature", "request with a bad signature refused")
    now[0] = 61
    throttle.warning(log, "bad-signature", "request with a bad signature refused")
    lines = logs.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[1].endswith("refused (499 more like it not logged)")


def test_a_wrong_database_url_is_named_without_its_password() -> None:
    with pytest.raises(ConfigError) as wrong:
        parse_config({}, {"DESKBOT_DATABASE_URL": f"postgres://deskbot:{PASSWORD}@db/desk"})
    assert wrong.value.key == "desk.database_url"
    assert PASSWORD not in str(wrong.value) and "deskbot:***@db" in str(wrong.value)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _malformed_http_server() -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n{")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0)


async def _deskbot_run(tmp_path: Path, config: str, env: dict[str, str]) -> tuple[int, str, str]:
    path = tmp_path / "config.toml"
    path.write_text(config)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(path),
        cwd=tmp_path, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DESKBOT_")},
            "PYTHONPATH": str(ROOT),
            **env,
        },
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _telegram_config(tmp_path: Path, api: str) -> str:
    return (
        f'[desk]\ndatabase_url = "{sqlite_url(tmp_path)}"\n'
        f'[telegram]\napi_base_url = "{api}"\nteam_chat_id = -100123\n'
    )


async def test_fault_runs_leak_no_secret(tmp_path: Path) -> None:
    server = await _malformed_http_server()
    port = server.sockets[0].getsockname()[1]
    secrets = {"DESKBOT_TELEGRAM_TOKEN": TOKEN, "DESKBOT_SLACK_SIGNING_SECRET": SIGNING}
    runs = {}
    async with server:
        runs["malformed"] = await _deskbot_run(
            tmp_path, _telegram_config(tmp_path, f"http://127.0.0.1:{port}"), secrets
        )
    runs["refused"] = await _deskbot_run(
        tmp_path, _telegram_config(tmp_path, f"http://127.0.0.1:{_closed_port()}"), secrets
    )
    database = f"postgresql+asyncpg://deskbot:{PASSWORD}@127.0.0.1:{_closed_port()}/desk"
    runs["database refused"] = await _deskbot_run(
        tmp_path, "", {**secrets, "DESKBOT_DATABASE_URL": database}
    )
    runs["database url"] = await _deskbot_run(
        tmp_path, "", {"DESKBOT_DATABASE_URL": f"postgres://deskbot:{PASSWORD}@db/desk"}
    )
    for name, (code, out, err) in runs.items():
        assert code != 0, (name, out, err)
        for secret in (TOKEN, TOKEN.split(":")[1], PASSWORD, SIGNING):
            assert secret not in out + err, (name, secret, err)
    for name in ("malformed", "refused", "database refused"):
        code, _, err = runs[name]
        assert code == 1 and "CRITICAL deskbot: stopped by an error" in err, (name, err)
        # One record: the traceback is indented under it, nothing else starts a line.
        assert all(line.startswith(("20", CONTINUATION)) for line in err.splitlines()), err
    assert runs["database url"][0] == 2
    assert "deskbot:***@db" in runs["database url"][2]


async def test_a_failed_delivery_stores_no_token(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        env.api.malformed("sendMessage", times=5)
        await env.runtime.desk.queue("telegram", str(TEAM.id), [Message("hello team")])
        await env.runtime.dispatcher.deliver_due()
        # The running dispatcher may have taken the row first: wait for its outcome.
        await env.retry_recorded()
        async with env.runtime.store.transaction() as tx:
            (item,) = await tx.outbox.items()
        assert item.status == "pending" and item.last_error, item
        assert "aiohttp" in item.last_error
        assert env.api.token not in item.last_error
    if on_postgres():
        return  # the column was checked above; the server's files are not ours to read
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("desk.db*"))
    assert b"hello team" in stored
    assert env.api.token.encode() not in stored
    assert env.api.token.split(":")[1].encode() not in stored
