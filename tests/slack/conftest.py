"""The Slack tests' common fixture: the desk on Slack against the fake Web API (a test module
that needs a differently configured desk defines its own `slack`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.slack.harness import SlackHarness, running_slack


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness
