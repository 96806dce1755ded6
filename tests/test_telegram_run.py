"""`deskbot run` starts Telegram when a token is configured; secrets stay out of the logs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from bot.channels.telegram.service import TelegramService
from bot.config import parse_config
from bot.config_error import ConfigError
from bot.run import configured_services, serve
from tests.databases import fresh_database_url
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram_harness import MERCHANT, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_token_means_telegram_and_no_console(tmp_path: Path) -> None:
    config = parse_config({"telegram": {"token": "123:abc", "team_chat_id": TEAM.id}}, env={})
    (service,) = configured_services(config, "tester")
    assert isinstance(service, TelegramService)
    assert [(t.channel, t.chat_id) for t in service.team_targets()] == [("telegram", str(TEAM.id))]


def test_token_from_the_environment(tmp_path: Path) -> None:
    config = parse_config({}, env={"DESKBOT_TELEGRAM_TOKEN": "123:fromenv"})
    (service,) = configured_services(config, "tester")
    assert isinstance(service, TelegramService)


async def test_serve_answers_a_merchant_through_telegram(tmp_path: Path) -> None:
    async with FakeTelegramAPI() as api:
        raw = {
            "desk": {"database_url": await fresh_database_url(tmp_path)},
            "telegram": {"token": api.token, "api_base_url": api.api_base_url},
        }
        config = parse_config(raw, env={})
        running = asyncio.create_task(serve(config, configured_services(config, "tester")))
        try:
            await api.wait_long_poll()
            mark = api.mark()
            await api.push_text(MERCHANT, "/start")
            menu = await api.wait_call("sendMessage", after=mark)
            assert "integration desk" in menu.params["text"]
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(running, 10)


async def test_token_and_secret_never_reach_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        await env.report(MERCHANT, "Token expired after 1 hour")
        assert env.service.webhook is not None
        await env.api.post_to_webhook({"update_id": 1}, "forged", env.service.webhook.local_url)
    assert caplog.records, "the run logged nothing, so the check proves nothing"
    assert env.api.token not in caplog.text
    assert env.api.token.split(":")[1] not in caplog.text
    assert env.config.telegram.webhook_secret not in caplog.text


async def test_a_token_telegram_rejects_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    async with FakeTelegramAPI() as api:
        raw = {
            "desk": {"database_url": await fresh_database_url(tmp_path)},
            "telegram": {"token": "999:revoked-token", "api_base_url": api.api_base_url},
        }
        config = parse_config(raw, env={})
        with pytest.raises(ConfigError) as refused:
            await asyncio.wait_for(serve(config, configured_services(config, "tester")), 10)
    assert refused.value.key == "telegram.token"
    assert "revoked-token" not in str(refused.value)
