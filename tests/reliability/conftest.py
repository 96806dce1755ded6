"""Each reliability test gets the platform fakes and a real `deskbot run` process for one channel:
`telegram polling`, `telegram webhook` or `slack` (HTTP mode), on the suite's database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.reliability.harness import READY, desk_process, free_port
from tests.reliability.platforms import (
    SLACK_TEAM,
    SlackMerchants,
    TelegramMerchants,
    slack_tables,
    telegram_tables,
)

Merchants = TelegramMerchants | SlackMerchants
Platform = Callable[[str, str | None], AbstractAsyncContextManager[Merchants]]


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    """`async with platform(channel, fault) as merchants:` the fakes up, the desk process
    started (with DESKBOT_FAULT=`fault`) and supervised."""

    @asynccontextmanager
    async def running(channel: str, fault: str | None) -> AsyncIterator[Merchants]:
        port = free_port()
        if channel == "slack":
            async with FakeSlackApi(token="xoxb-reliability") as fake:
                fake.add_channel(SLACK_TEAM, "integration-team")
                async with (
                    aiohttp.ClientSession() as session,
                    desk_process(tmp_path, slack_tables(fake, port), READY["slack"], fault) as desk,
                ):
                    yield SlackMerchants(fake, desk, port, session)
            return
        async with FakeTelegramAPI() as api:
            tables = telegram_tables(api, channel, port)
            async with desk_process(tmp_path, tables, READY[channel], fault) as desk:
                yield TelegramMerchants(api, desk, channel, port)

    return running
