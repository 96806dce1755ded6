"""A second `deskbot run` polling Telegram with the same bot token is refused with one clear
message, and the first one keeps serving.

Telegram serves one getUpdates per bot at a time: a new one ends the one still open, which gets
409 Conflict ("terminated by other getUpdates request"); the fake does the same. The first
process, polling for a while already, polls again (ending the newcomer's request in turn); the
newcomer, refused before it ever polled, stops. Only one process can poll a bot: several
processes serve Telegram by webhook.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.databases import database_url_for
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser
from tests.test_console_cli import ROOT, _env

MERCHANT = FakeUser(7301, "Neema", username="neema_pay")


async def _deskbot_run(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
    )  # fmt: skip


async def _answers(api: FakeTelegramAPI) -> None:
    mark = api.mark()
    await api.push_text(MERCHANT, "/start")
    menu = await api.wait_call(
        "sendMessage", lambda c: c.chat_id == MERCHANT.id, after=mark, timeout=60
    )
    assert "integration desk" in menu.params["text"]


async def test_a_second_polling_process_is_refused_and_the_first_keeps_serving(
    tmp_path: Path,
) -> None:
    async with FakeTelegramAPI() as api:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[desk]\ndatabase_url = "{database_url_for(tmp_path)}"\n'
            f'[telegram]\ntoken = "{api.token}"\napi_base_url = "{api.api_base_url}"\n'
            '[kb]\npath = ""\n'
        )
        first = await _deskbot_run(config)
        try:
            await api.wait_long_poll(timeout=90)
            await _answers(api)  # the first process has polled: it is the poller
            second = await _deskbot_run(config)
            out, err = await asyncio.wait_for(second.communicate(), 90)
            assert second.returncode == 2, (out, err)
            message = err.decode()
            assert "another process is already polling Telegram with this bot token" in message
            assert "409 Conflict" in message and 'mode = "webhook"' in message
            assert "Traceback" not in message
            conflicts = [c for c in api.calls_of("getUpdates", ok_only=False) if c.status == 409]
            assert conflicts, "the fake never answered 409, so this proves nothing"

            await _answers(api)
            assert first.returncode is None
        finally:
            if first.returncode is None:
                first.terminate()
            _, first_err = await asyncio.wait_for(first.communicate(), 30)
        # The newcomer's request had ended the first one's: it said so and polled again.
        assert "another getUpdates interrupted ours; polling again" in first_err.decode()
