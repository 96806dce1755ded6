"""Reopening, "Did this solve it?" and the reply that acknowledges, on Slack, against the fake
Web API with signed requests: 👍/👎 buttons on the resolved notice, 👎 offering Reopen, the
alert edited back to open with the news in its thread, `/desk reopen`, and the Reply modal
acknowledging an unacknowledged ticket."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.models import Status
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    OUTSIDER,
    TEAM_CHANNEL,
    SlackHarness,
    buttons,
    report_values,
    running_slack,
)

DM = f"D{MERCHANT}"


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        values = report_values("Payouts reversed", "55 payouts REVERSED", severity="sev:major")
        await harness.report_by_form(MERCHANT, values, DM)
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


async def test_the_resolved_alert_has_a_reopen_button_for_team_members_only(
    slack: SlackHarness,
) -> None:
    alert = slack.alert()
    await slack.press(MEMBER, alert, "Resolve")
    await slack.settle()
    # A copy: the fake's message changes in place with every chat.update.
    resolved = copy.deepcopy(slack.fake.messages[(TEAM_CHANNEL, alert.ts)])
    assert buttons(resolved) == ["Reopen", "Reply to merchant"]
    [reopen] = [e for b in resolved.blocks if b["type"] == "actions" for e in b["elements"]][:1]
    assert (reopen["action_id"], reopen["value"]) == ("desk_team_reopen", "team:reopen:INT-1")
    notices_before = len(slack.posted(DM))

    # The merchant, or anyone outside the team, is refused; nothing changes.
    updates_before = len(slack.fake.calls_of("chat.update"))
    for stranger in (OUTSIDER, MERCHANT):
        status, _ = await slack.press(stranger, resolved, "Reopen")
        assert status == 200
        await slack.settle()
    refusals = [c.params for c in slack.fake.calls_of("chat.postEphemeral")][-2:]
    assert [r["user"] for r in refusals] == [OUTSIDER, MERCHANT]
    assert all("integration team only" in r["text"] for r in refusals)
    assert len(slack.fake.calls_of("chat.update")) == updates_before
    assert await status_of(slack) == Status.resolved

    await slack.press(MEMBER, resolved, "Reopen")
    await slack.settle()
    assert await status_of(slack) == Status.open
    reopened = slack.fake.messages[(TEAM_CHANNEL, alert.ts)]
    assert buttons(reopened) == ["Acknowledge", "Take", "Resolve", "Reply to merchant"]
    thread = [m.text for m in slack.posted(TEAM_CHANNEL, alert.ts)]
    assert thread.count("🔁 INT-1 reopened by juma") == 1
    told = [m.text for m in slack.posted(DM)[notices_before:]]
    assert len(told) == 1
    assert told[0].startswith("Your ticket INT-1 (Payouts reversed) was reopened")

    # Pressed again on a copy still showing Reopen: told so, nothing more is sent.
    updates_before = len(slack.fake.calls_of("chat.update"))
    await slack.press(MEMBER, resolved, "Reopen")
    await slack.settle()
    answered = json.dumps([c.params for c in slack.fake.calls_of("chat.postEphemeral")][-1])
    assert "INT-1 is already open again." in answered
    assert len(slack.fake.calls_of("chat.update")) == updates_before
    assert [m.text for m in slack.posted(TEAM_CHANNEL, alert.ts)] == thread
    assert len(slack.posted(DM)) == notices_before + 1
