"""The desk on Telegram and Slack at once, for the operations tests: the real TelegramService
(real PTB, long polling) and SlackService (real Bolt in HTTP mode, real slack-sdk) against the
loopback fakes, one SQLite database, a FakeClock, escalation hooked in, and the ops listener on
port 0. The outbox is delivered when a test says so (`deliver`), so what is pending at each
moment is the test's choice, not a race."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import Runtime, open_runtime
from bot.channels.slack.service import SlackService
from bot.channels.telegram.service import TelegramService
from bot.config import Config, parse_config
from bot.config_escalation import parse_escalation
from bot.ops.server import OpsServer
from bot.ops.wiring import Ops
from handlers.clock import FakeClock
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from tests.databases import fresh_database_url
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser
from tests.slack.harness import (
    MEMBER as SLACK_MEMBER,
)
from tests.slack.harness import (
    MERCHANT as SLACK_MERCHANT,
)
from tests.slack.harness import (
    SECRET,
    TEAM_CHANNEL,
    TOKEN,
    SlackHarness,
    report_values,
)
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, RecordingSleep

__all__ = ["MEMBER", "MERCHANT", "SLACK_MEMBER", "SLACK_MERCHANT", "TEAM", "TEAM_CHANNEL"]


@dataclass
class DeskOnBoth:
    telegram: FakeTelegramAPI
    slack: FakeSlackApi
    runtime: Runtime
    config: Config
    ops: Ops
    server: OpsServer
    slack_service: SlackService
    telegram_service: TelegramService
    slack_harness: SlackHarness
    escalator: Escalator
    http: aiohttp.ClientSession

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.runtime.clock, FakeClock)
        return self.runtime.clock

    async def deliver(self) -> int:
        return await self.runtime.dispatcher.deliver_due()

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.server.url + path) as response:
            return response.status, await response.text()

    async def metrics(self) -> dict[str, float]:
        """The scrape, as {"name{labels}": value}."""
        status, body = await self.get("/metrics")
        assert status == 200
        values: dict[str, float] = {}
        for line in body.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                values[name] = float(value)
        return values

    async def telegram_says(self, user: FakeUser, text: str) -> None:
        mark = self.telegram.mark()
        await self.telegram.push_text(user, text)
        await self.telegram.wait_call(
            "sendMessage", lambda c: c.chat_id == user.private_chat.id, after=mark
        )

    async def slack_report(self, title: str, severity: str = "sev:critical") -> None:
        """A merchant files a ticket through Slack's form (signed requests), then the desk's
        work for it is finished (its outbox is not delivered)."""
        harness = self.slack_harness
        opened = len(self.slack.calls_of("views.open"))
        status, _ = await harness.command(SLACK_MERCHANT, "report", channel=f"D{SLACK_MERCHANT}")
        assert status == 200
        await self.slack_service.bridge.wait_finished(harness._work)  # type: ignore[union-attr]
        view = (await self.slack.called("views.open", opened + 1)).params["view"]
        status, _ = await harness.submit(
            SLACK_MERCHANT, view, report_values(title, "Every call fails", severity=severity)
        )
        assert status == 200
        await self.slack_service.bridge.wait_finished(harness._work)  # type: ignore[union-attr]


@asynccontextmanager
async def desk_on_both(tmp_path: Path, **ops: Any) -> AsyncIterator[DeskOnBoth]:
    telegram = FakeTelegramAPI()
    slack = FakeSlackApi(token=TOKEN)
    async with telegram, slack, aiohttp.ClientSession() as http:
        slack.add_user(SLACK_MERCHANT, "amina", "Amina Mushi")
        slack.add_user(SLACK_MEMBER, "juma", "Juma Team")
        slack.add_channel(TEAM_CHANNEL, "integration-team")
        raw = {
            "desk": {"database_url": await fresh_database_url(tmp_path)},
            "team": {
                "members": [f"telegram:{MEMBER.id}", f"slack:{SLACK_MEMBER}"],
                "leads": [f"telegram:{MEMBER.id}", f"slack:{SLACK_MEMBER}"],
            },
            "telegram": {
                "token": telegram.token,
                "api_base_url": telegram.api_base_url,
                "team_chat_id": TEAM.id,
            },
            "slack": {
                "bot_token": TOKEN,
                "signing_secret": SECRET,
                "mode": "http",
                "api_base_url": slack.base_url,
                "team_channel": TEAM_CHANNEL,
            },
            "ops": {"metrics_port": 9100, **ops},
        }
        config = parse_config(raw, env={})
        sleep = RecordingSleep()
        tg_service = TelegramService(dataclasses.replace(config.telegram, port=0), sleep=sleep)
        sl_service = SlackService(
            dataclasses.replace(config.slack, port=0, listen="127.0.0.1"), sleep=sleep
        )
        services = [tg_service, sl_service]
        senders = {s.name: s.sender for s in services}
        targets = [target for s in services for target in s.team_targets()]
        async with open_runtime(config, senders, targets, FakeClock()) as runtime:
            policy = parse_escalation(config.escalation)
            audience = Audience(
                team=tuple(targets),
                leads=config.team.leads,
                members=config.team.members,
                channels=frozenset(senders),
            )
            escalator = Escalator(
                runtime.store, policy, runtime.clock, runtime.desk.notifier, audience
            )
            runtime.desk.observers.append(escalator)
            ops_wiring = Ops(runtime, services)
            # The config refuses port 0; the test binds a free port all the same.
            server = OpsServer(ops_wiring.health, listen="127.0.0.1", port=0)
            await server.start()
            polls = telegram.long_polls
            telegram_task = asyncio.create_task(tg_service.run(runtime))
            try:
                await telegram.wait_long_poll(after=polls)
                await asyncio.wait_for(sl_service.start(runtime.desk, runtime.store), 10)
                assert isinstance(runtime.clock, FakeClock)
                harness = SlackHarness(
                    slack, sl_service, runtime.desk, runtime.store, runtime.dispatcher,
                    runtime.clock, http,
                )  # fmt: skip
                yield DeskOnBoth(
                    telegram, slack, runtime, config, ops_wiring, server, sl_service,
                    tg_service, harness, escalator, http,
                )  # fmt: skip
            finally:
                await sl_service.stop()
                telegram_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(telegram_task, 10)
                await server.stop()
