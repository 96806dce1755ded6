"""End to end: the team side. Thread notes stay internal, Reply to merchant reaches the
merchant, outsiders change nothing, team subcommands."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.models import Status
from tests.fakes.slack_api import PostedMessage
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    OUTSIDER,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
    running_slack,
)


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        await harness.report_by_form(
            MERCHANT, report_values("Webhook not received", "No callback"), f"D{MERCHANT}"
        )
        yield harness


def merchant_texts(slack: SlackHarness) -> list[str]:
    return [m.text for m in slack.posted(f"D{MERCHANT}")]


async def thread_reply(slack: SlackHarness, alert: PostedMessage, user: str, text: str) -> None:
    event = {
        "type": "message",
        "channel_type": "channel",
        "channel": TEAM_CHANNEL,
        "user": user,
        "text": text,
        "ts": f"1764231000.{len(slack.fake.calls):06d}",
        "thread_ts": alert.ts,
    }
    status, _ = await slack.send(slack.signer.event(event))
    assert status == 200
    await slack.settle()


async def ticket_status(slack: SlackHarness) -> str:
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        return ticket.status


async def test_thread_reply_is_an_internal_note(slack: SlackHarness) -> None:
    alert = slack.alert()
    before = merchant_texts(slack)
    thread_before = slack.posted(TEAM_CHANNEL, alert.ts)
    await thread_reply(
        slack, alert, MEMBER, "Checked logs: their <endpoint> returns 404 & times out"
    )

    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        notes = [m for m in await tx.tickets.messages(ticket) if not m.public]
    assert [n.text for n in notes] == ["Checked logs: their <endpoint> returns 404 & times out"]
    assert merchant_texts(slack) == before, "the merchant heard nothing"
    # No echo of the note into the thread it was written in; the member got a quiet confirmation.
    assert slack.posted(TEAM_CHANNEL, alert.ts) == thread_before
    confirmation = slack.fake.calls_of("chat.postEphemeral")[-1].params
    assert confirmation["user"] == MEMBER and "Internal note" in confirmation["text"]
    assert confirmation["thread_ts"] == alert.ts


async def test_reply_to_merchant_button_opens_a_modal_and_reaches_the_merchant(
    slack: SlackHarness,
) -> None:
    alert = slack.alert()
    await slack.press(MEMBER, alert, "Reply to merchant")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    assert view["callback_id"] == "desk_reply"

    empty = {"reply": {"value": {"type": "plain_text_input", "value": "  "}}}
    status, body = await slack.submit(MEMBER, view, empty, work=False)
    assert status == 200 and json.loads(body)["response_action"] == "errors"

    answer = "Please whitelist 41.59.0.0 & retry"
    values = {"reply": {"value": {"type": "plain_text_input", "value": answer}}}
    await slack.submit(MEMBER, view, values)
    await slack.settle()

    notice = merchant_texts(slack)[-1]
    assert "Please whitelist 41.59.0.0 &amp; retry" in notice
    thread = [m.text for m in slack.posted(TEAM_CHANNEL, alert.ts)]
    assert any("Reply sent to the reporter of INT-1" in text for text in thread)


async def test_outsider_pressing_a_button_changes_nothing(slack: SlackHarness) -> None:
    alert = slack.alert()
    calls_before = len(slack.fake.calls_of("chat.update"))
    merchant_before = merchant_texts(slack)
    for label in ("Acknowledge", "Take", "Resolve", "Reply to merchant"):
        status, _ = await slack.press(OUTSIDER, alert, label)
        assert status == 200
        await slack.settle()
    refusals = [c.params for c in slack.fake.calls_of("chat.postEphemeral")]
    assert len(refusals) == 4
    assert all(r["user"] == OUTSIDER and "integration team only" in r["text"] for r in refusals)
    assert len(slack.fake.calls_of("chat.update")) == calls_before
    assert len(slack.fake.calls_of("views.open")) == 1  # only the merchant's report modal
    assert await ticket_status(slack) == Status.open
    assert merchant_texts(slack) == merchant_before

    # An outsider's reply in the thread is not stored either.
    await thread_reply(slack, alert, OUTSIDER, "I am not on the team")
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        assert [m.text for m in await tx.tickets.messages(ticket) if not m.public] == []


async def test_take_then_resolve_updates_alert_and_notifies(slack: SlackHarness) -> None:
    alert = slack.alert()
    await slack.press(MEMBER, alert, "Take")
    await slack.settle()
    current = slack.fake.messages[(TEAM_CHANNEL, alert.ts)]
    await slack.press(MEMBER, current, "Resolve")
    await slack.settle()
    assert await ticket_status(slack) == Status.resolved
    final = slack.fake.messages[(TEAM_CHANNEL, alert.ts)]
    labels = [
        e["text"]["text"] for b in final.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == ["Reopen", "Reply to merchant"]
    assert "resolved by juma" in json.dumps(final.blocks)
    assert any("resolved" in text for text in merchant_texts(slack))


async def test_team_subcommands(slack: SlackHarness) -> None:
    fake = slack.fake
    await slack.command(MEMBER, "list critical", channel=TEAM_CHANNEL)
    await slack.settle()
    listing = fake.calls_of("response_url")[-1].params
    assert listing["response_type"] == "ephemeral" and "INT-1" in listing["text"]

    await slack.command(MEMBER, "note INT-1 merchant on old SDK", channel=TEAM_CHANNEL)
    await slack.settle()
    assert "Internal note added" in fake.calls_of("response_url")[-1].params["text"]
    alert = slack.alert()
    assert any("merchant on old SDK" in m.text for m in slack.posted(TEAM_CHANNEL, alert.ts))

    await slack.command(MEMBER, "reply INT-1 Fixed <!here>, retry now", channel=TEAM_CHANNEL)
    await slack.settle()
    assert "Fixed &lt;!here&gt;, retry now" in merchant_texts(slack)[-1]

    await slack.command(MEMBER, "ack INT-1", channel=TEAM_CHANNEL)
    await slack.settle()
    assert await ticket_status(slack) == Status.acknowledged

    status, body = await slack.command(OUTSIDER, "ack INT-1", channel=TEAM_CHANNEL, work=False)
    assert status == 200 and "integration team only" in body


async def test_desk_resolve_takes_several_references_and_a_note(slack: SlackHarness) -> None:
    await slack.command(MERCHANT, "report", channel=f"D{MERCHANT}")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    await slack.submit(MERCHANT, view, report_values("Payouts reversed", "Since 6am"))
    await slack.settle()
    await slack.command(MEMBER, "resolve INT-1 INT-2 provider fixed it", channel=TEAM_CHANNEL)
    await slack.settle()
    async with slack.store.transaction() as tx:
        for reference in ("INT-1", "INT-2"):
            ticket = await tx.tickets.get(reference)
            assert ticket is not None and ticket.status == Status.resolved
    told = [text for text in merchant_texts(slack) if "resolved" in text]
    assert any("INT-1" in text for text in told) and any("INT-2" in text for text in told)
