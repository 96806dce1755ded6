"""Escalation pages in Slack: in the alert's thread, broadcast to the channel, `<!channel>` when
the policy mentions everyone, with an Acknowledge button that works like the alert's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.escalation.policy import EscalationPolicy
from storage.models import Status
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
        desk = harness.desk
        audience = Audience(
            team=tuple(desk.team_targets), leads=(), members=tuple(desk.settings.members)
        )
        escalator = Escalator(
            harness.store, EscalationPolicy(), desk.clock, desk.notifier, audience
        )
        desk.observers.append(escalator)
        harness.escalator = escalator  # type: ignore[attr-defined]
        yield harness


async def test_page_lands_in_the_thread_and_its_button_acknowledges(slack: SlackHarness) -> None:
    escalator: Escalator = slack.escalator  # type: ignore[attr-defined]
    await slack.report_by_form(
        MERCHANT, report_values("All payouts failing", "Every payout 500"), f"D{MERCHANT}"
    )
    alert = slack.alert()

    # Level 1 at once, level 2 (mentioning the team) after 15 minutes.
    await escalator.sweep()
    slack.clock.advance(timedelta(minutes=15))
    await escalator.sweep()
    await slack.dispatcher.deliver_due()

    pages = [
        c.params
        for c in slack.fake.calls_of("chat.postMessage")
        if c.params.get("thread_ts") == alert.ts and "page" in c.params["text"].lower()
    ]
    assert len(pages) == 2
    assert all(p["reply_broadcast"] is True for p in pages)
    assert pages[1]["text"].startswith("<!channel> ")
    assert "<!channel>" not in pages[0]["text"]
    page = slack.posted(TEAM_CHANNEL, alert.ts)[-1]
    assert [
        e["action_id"] for b in page.blocks if b["type"] == "actions" for e in b["elements"]
    ] == ["desk_team_ack"]

    await slack.press(OUTSIDER, page, "Acknowledge")
    await slack.settle()
    await slack.press(MEMBER, page, "Acknowledge")
    await slack.settle()
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None and ticket.status == Status.acknowledged
    refusal, confirmation = [c.params for c in slack.fake.calls_of("chat.postEphemeral")][-2:]
    assert refusal["user"] == OUTSIDER and "integration team only" in refusal["text"]
    assert confirmation["user"] == MEMBER and confirmation["thread_ts"] == alert.ts
    updated = slack.fake.messages[(TEAM_CHANNEL, alert.ts)]
    assert "acknowledged by juma" in json.dumps(updated.blocks)
