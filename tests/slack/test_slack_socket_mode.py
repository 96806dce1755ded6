"""Socket Mode: the same app over a WebSocket from the fake, acks sent back per envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.slack.harness import MERCHANT, TEAM_CHANNEL, SlackHarness, running_slack


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path, mode="socket") as harness:
        yield harness


async def test_socket_mode_slash_command_and_redelivered_event(slack: SlackHarness) -> None:
    assert slack.service.http is None
    opened = slack.fake.calls_of("apps.connections.open")
    assert len(opened) == 1 and opened[0].token == "xapp-test-token"

    command = {
        "token": "legacy",
        "team_id": slack.fake.team_id,
        "channel_id": f"D{MERCHANT}",
        "user_id": MERCHANT,
        "user_name": "amina",
        "command": "/desk",
        "text": "ask Which phone format does USSD push take?",
        "response_url": slack.fake.response_url("socket-1"),
        "trigger_id": "1.2.3",
    }
    ack = await slack.push("slash_commands", command)
    assert ack["envelope_id"] == "env-1"
    await slack.settle()
    assert len(slack.posted(TEAM_CHANNEL)) == 1

    event_body = {
        "team_id": slack.fake.team_id,
        "api_app_id": "A0DESK",
        "type": "event_callback",
        "event_id": "Ev0SOCKET",
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{MERCHANT}",
            "user": MERCHANT,
            "text": "ask How do I get a staging account?",
            "ts": "1764233000.000100",
        },
    }
    await slack.push("events_api", event_body)
    await slack.push("events_api", event_body, retry_attempt=1)
    await slack.settle()
    async with slack.store.transaction() as tx:
        assert await tx.tickets.count() == 2
    assert len(slack.posted(TEAM_CHANNEL)) == 2
