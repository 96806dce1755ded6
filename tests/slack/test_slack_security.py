"""End to end: signatures, redelivered events, mrkdwn escaping, and Slack's rate limits."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from bot.run import configured_services, serve
from tests.databases import fresh_database_url
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import SignedRequest
from tests.slack.harness import (
    MERCHANT,
    SHARED_CHANNEL,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
)


async def ticket_count(slack: SlackHarness) -> int:
    async with slack.store.transaction() as tx:
        return await tx.tickets.count()


async def test_bad_signatures_get_401_and_nothing_happens(slack: SlackHarness) -> None:
    good = slack.signer.command(user_id=MERCHANT, channel_id=f"D{MERCHANT}", text="ask Hello?")
    missing = SignedRequest(good.body, {"Content-Type": good.headers["Content-Type"]})
    wrong = SignedRequest(good.body, {**good.headers, "X-Slack-Signature": "v0=" + "0" * 64})
    tampered = SignedRequest(good.body.replace("Hello", "Hullo"), good.headers)
    stale = slack.signer.command(
        user_id=MERCHANT, channel_id=f"D{MERCHANT}", text="ask Hi", timestamp=int(time.time()) - 600
    )
    other_secret = SignedRequest(good.body, dict(good.headers))
    other_secret.headers["X-Slack-Signature"] = "v0=deadbeef"
    event = slack.signer.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": MERCHANT,
            "channel": f"D{MERCHANT}",
            "text": "ask x?",
            "ts": "1.1",
        }
    )
    bad_event = SignedRequest(event.body, {**event.headers, "X-Slack-Request-Timestamp": "1"})
    for request in (missing, wrong, tampered, stale, other_secret, bad_event):
        status, _ = await slack.send(request, work=False)
        assert status == 401
    assert await ticket_count(slack) == 0
    # The bot made no Web API call beyond checking its token at start-up.
    assert [c.method for c in slack.fake.calls] == ["auth.test"]


async def test_redelivered_event_creates_one_ticket(slack: SlackHarness) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{MERCHANT}",
        "user": MERCHANT,
        "text": "ask Why does generate-token return 401?",
        "ts": "1764231111.000100",
    }
    first = slack.signer.event(event, event_id="Ev0RETRY")
    again = slack.signer.event(event, event_id="Ev0RETRY", retry_num=1)
    third = slack.signer.event(event, event_id="Ev0RETRY", retry_num=2)
    for request in (first, again, third):
        status, _ = await slack.send(request)
        assert status == 200
    await slack.settle()
    assert await ticket_count(slack) == 1
    assert len(slack.posted(f"D{MERCHANT}")) == 1
    assert len(slack.posted(TEAM_CHANNEL)) == 1


async def test_user_text_reaches_slack_escaped(slack: SlackHarness) -> None:
    hostile = "Pay <!channel> now <https://evil.example|bank> & <!here> <@U0BOSS>"
    await slack.report_by_form(
        MERCHANT, report_values(hostile, f"details {hostile}"), SHARED_CHANNEL
    )

    posted = [c.params for c in slack.fake.calls_of("chat.postMessage")]
    assert posted, "something was posted"
    escaped = "Pay &lt;!channel&gt; now &lt;https://evil.example|bank&gt; &amp; &lt;!here&gt;"
    for params in posted:
        wire = params["text"] + json.dumps(params.get("blocks", []))
        for raw in ("<!channel>", "<!here>", "<https://evil", "<@U0BOSS>"):
            assert raw not in wire, (raw, params)
    alert = next(p for p in posted if p["channel"] == TEAM_CHANNEL)
    assert escaped in alert["text"] or escaped in json.dumps(alert["blocks"])
    # The title is stored exactly as typed.
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None and ticket.title == hostile


async def test_slack_text_markup_is_stored_as_typed(slack: SlackHarness) -> None:
    await slack.dm(
        MERCHANT, "ask Is &lt;b&gt; ok &amp; is <https://docs.clickpesa.com|the docs> right?"
    )
    await slack.settle()
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        typed = "Is <b> ok & is the docs (https://docs.clickpesa.com) right?"
        assert ticket.title == typed
        assert typed in ticket.description


async def test_rate_limits_are_waited_out_and_nothing_is_dropped(slack: SlackHarness) -> None:
    # Two 429s: the client waits Retry-After each time and gets through.
    slack.fake.rate_limit("chat.postMessage", times=2, retry_after=3)
    await slack.dm(MERCHANT, "ask What is the payout cooldown?")
    await slack.settle()
    assert slack.waits[:2] == [3.0, 3.0]
    assert len(slack.posted(f"D{MERCHANT}")) == 1
    assert len(slack.posted(TEAM_CHANNEL)) == 1

    # Slack keeps limiting beyond the client's retries: the outbox keeps the alert and sends it
    # after Retry-After.
    slack.fake.rate_limit("chat.postMessage", times=50, retry_after=30)
    await slack.dm(MERCHANT, "ask Second question?")
    await slack.settle()
    assert len(slack.posted(TEAM_CHANNEL)) == 1
    assert len(slack.posted(f"D{MERCHANT}")) == 1
    async with slack.store.transaction() as tx:
        pending = [i for i in await tx.outbox.items() if i.status == "pending"]
    # The team alert and the answer to the merchant are both kept.
    assert {i.kind for i in pending} == {"alert", "reply"}
    assert all(i.last_error == "ratelimited" for i in pending)
    slack.fake.rate_limit("chat.postMessage", times=0)
    slack.clock.advance(timedelta(seconds=29))
    assert await slack.dispatcher.deliver_due() == 0
    slack.clock.advance(timedelta(seconds=1))
    assert await slack.dispatcher.deliver_due() == len(pending)
    assert len(slack.posted(TEAM_CHANNEL)) == 2
    answers = slack.posted(f"D{MERCHANT}")
    assert len(answers) == 2 and "INT-2" in answers[1].text


async def test_url_verification_challenge_is_answered(slack: SlackHarness) -> None:
    body = json.dumps({"token": "x", "challenge": "3eZbrw1aB", "type": "url_verification"})
    request = slack.signer.signed(body, "application/json", None, {})
    status, answer = await slack.send(request, work=False)
    assert status == 200 and json.loads(answer) == {"challenge": "3eZbrw1aB"}


def test_manifest_declares_what_the_adapter_uses() -> None:
    manifest = (Path(__file__).resolve().parents[2] / "slack-manifest.yml").read_text()
    for needed in (
        "command: /desk",
        "- commands",
        "- chat:write",
        "- im:history",
        "- im:write",
        "- channels:history",
        "- groups:history",
        "- users:read",
        "- app_mentions:read",
        "- message.im",
        "- message.channels",
        "- app_mention",
        "is_enabled: true",
        "socket_mode_enabled: true",
        "/slack/events",
    ):
        assert needed in manifest, needed


async def test_a_token_slack_rejects_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    async with FakeSlackApi(token="xoxb-the-real-one") as fake:
        config = parse_config(
            {
                "desk": {"database_url": await fresh_database_url(tmp_path)},
                "slack": {
                    "bot_token": "xoxb-revoked",
                    "signing_secret": "s",
                    "mode": "http",
                    "port": 3999,
                    "api_base_url": fake.base_url,
                },
            },
            env={},
        )
        with pytest.raises(ConfigError) as refused:
            await asyncio.wait_for(serve(config, configured_services(config, "tester")), 10)
    assert refused.value.key == "slack.bot_token"
    assert "xoxb-revoked" not in str(refused.value)
