"""A file a merchant sends on Telegram reaches a team that reads Slack: downloaded from the
fake Bot API, uploaded into the alert's Slack thread (files.getUploadURLExternal, the upload,
files.completeUploadExternal)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path

from bot.app import open_runtime
from bot.channels.slack.service import SlackService
from bot.channels.telegram.service import TelegramService
from bot.config import parse_config
from handlers.clock import FakeClock
from tests.databases import fresh_database_url
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_files import FakeSlackFiles
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.telegram_harness import MERCHANT, DeskOnTelegram, RecordingSleep
from tests.test_telegram_attachments import PNG, send_file

TEAM_CHANNEL = "CTEAM"


async def test_a_telegram_photo_reaches_the_slack_team_thread(tmp_path: Path) -> None:
    slack = FakeSlackApi(token="xoxb-cross")
    FakeSlackFiles(slack)
    async with FakeTelegramAPI() as api, slack:
        slack.add_channel(TEAM_CHANNEL, "integration-team")
        raw = {
            "desk": {"database_url": await fresh_database_url(tmp_path)},
            "telegram": {"token": api.token, "api_base_url": api.api_base_url},
            "slack": {
                "bot_token": "xoxb-cross",
                "signing_secret": "s3cret",
                "mode": "http",
                "api_base_url": slack.base_url,
                "team_channel": TEAM_CHANNEL,
            },
            "attachments": {"path": str(tmp_path / "files")},
        }
        config = parse_config(raw, env={})
        sleep = RecordingSleep()
        telegram = TelegramService(dataclasses.replace(config.telegram, port=0), sleep=sleep)
        team = SlackService(config.slack)
        senders = {"telegram": telegram.sender, "slack": team.sender}
        fetchers = {"telegram": telegram.fetcher}
        async with open_runtime(
            config, senders, team.team_targets(), FakeClock(), fetchers=fetchers
        ) as runtime:
            env = DeskOnTelegram(api, runtime, telegram, config, sleep)
            tasks = [
                asyncio.create_task(runtime.dispatcher.run()),
                asyncio.create_task(runtime.downloads.run()),
            ]
            try:
                await env.start_service()
                await env.say(MERCHANT, "/report")
                await env.say(MERCHANT, "Payment page error")
                await env.say(MERCHANT, "The checkout page fails after the phone number")
                got = await send_file(env, MERCHANT, "photo", PNG)
                mark = await env.press(MERCHANT, got, "Continue")
                question = await env.answer(MERCHANT.id, after=mark, with_buttons="Staging")
                mark = await env.press(MERCHANT, question, "Staging")
                question = await env.answer(MERCHANT.id, after=mark, with_buttons="Minor")
                mark = await env.press(MERCHANT, question, "Minor")
                summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
                await env.press(MERCHANT, summary, "Confirm")
                await slack.called("files.completeUploadExternal")
                (alert,) = [m for m in slack.messages.values() if m.channel == TEAM_CHANNEL]
                (shared,) = slack.shared_files
                assert shared["content"] == PNG
                assert (shared["channel"], shared["thread_ts"]) == (TEAM_CHANNEL, alert.ts)
                assert "INT-1" in shared["comment"]
                (upload,) = slack.calls_of("files.getUploadURLExternal")
                assert upload.token == "xoxb-cross" and int(upload.params["length"]) == len(PNG)
            finally:
                while env.tasks:
                    await env.stop_service()
                for task in tasks:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await team.stop()
