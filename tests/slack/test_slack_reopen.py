"""Reopening, "Did this solve it?" and the reply that acknowledges, on Slack, against the fake
Web API with signed requests: 👍/👎 buttons on the resolved notice, 👎 offering Reopen, the
alert edited back to open with the news in its thread, `/desk reopen`, and the Reply modal
acknowledging an unacknowledged ticket."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.models import Status
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
    running_slack,
)

DM = f"D{MERCHANT}"


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        await harness.command(MERCHANT, "report", channel=DM)
        await harness.settle()
        view = harness.fake.calls_of("views.open")[0].params["view"]
        values = report_values("Payouts reversed", "55 payouts REVERSED", severity="sev:major")
        await harness.submit(MERCHANT, view, values)
        await harness.settle()
        yield harness


async def status_of(slack: SlackHarness) -> str:
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    return ticket.status


async def test_thumbs_down_reopens_and_the_alert_shows_it_open(slack: SlackHarness) -> None:
    alert = slack.alert()
    await slack.press(MEMBER, alert, "Resolve")
    await slack.settle()
    asked = slack.posted(DM)[-1]
    assert asked.text.endswith("Did this solve it? Press or type 👍 or 👎.")

    await slack.press(MERCHANT, asked, "👎")
    await slack.settle()
    offer = slack.posted(DM)[-1]
    assert offer.text.startswith("Sorry INT-1 is not solved.")
    updates_before = len(slack.fake.calls_of("chat.update"))

    await slack.press(MERCHANT, offer, "Reopen INT-1")
    await slack.settle()
    assert slack.posted(DM)[-1].text.startswith("INT-1 is open again")
    assert await status_of(slack) == Status.open
    edits = [
        c.params
        for c in slack.fake.calls_of("chat.update")[updates_before:]
        if c.params["channel"] == TEAM_CHANNEL and c.params["ts"] == alert.ts
    ]
    assert edits and "Acknowledge" in json.dumps(edits[-1]["blocks"])
    thread = [m.text for m in slack.posted(TEAM_CHANNEL, alert.ts)]
    assert "🔁 INT-1 reopened by amina" in thread
    assert any("answered 👎" in text for text in thread)


async def test_thumbs_up_is_stored_and_a_stale_button_says_so(slack: SlackHarness) -> None:
    await slack.command(MEMBER, "resolve INT-1 provider fixed", channel=TEAM_CHANNEL)
    await slack.settle()
    asked = slack.posted(DM)[-1]
    await slack.command(MEMBER, "reopen INT-1", channel=TEAM_CHANNEL)
    await slack.settle()
    answered = slack.fake.calls_of("response_url")[-1].params
    assert "INT-1 reopened by juma." in json.dumps(answered)
    # The 👍 from before the reopen belongs to the earlier resolve.
    await slack.press(MERCHANT, asked, "👍")
    await slack.settle()
    assert slack.posted(DM)[-1].text == (
        "That answer is for an earlier resolve of INT-1; it was reopened since."
    )


async def test_merchants_cannot_use_the_team_subcommand(slack: SlackHarness) -> None:
    status, body = await slack.command(MERCHANT, "reopen INT-1", work=False)
    assert status == 200 and "for the integration team only" in body


async def test_the_reply_modal_acknowledges_an_unacknowledged_ticket(
    slack: SlackHarness,
) -> None:
    alert = slack.alert()
    await slack.press(MEMBER, alert, "Reply to merchant")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    values = {"reply": {"value": {"type": "plain_text_input", "value": "Looking at it now"}}}
    await slack.submit(MEMBER, view, values)
    await slack.settle()
    assert await status_of(slack) == Status.acknowledged
    told = [m.text for m in slack.posted(DM)]
    assert sum("was acknowledged" in text for text in told) == 1
    assert "Looking at it now" in told[-1]
