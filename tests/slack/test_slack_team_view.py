"""The team on Slack reads everything: alert details, `/desk show`, `/desk find`, `/desk mine`,
`/desk digest`, and the team's commands for a word `/desk` does not know (issue 10, item 2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.escalation.policy import EscalationPolicy
from tests.fakes.slack_limits import SECTION_TEXT
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
    running_slack,
)

LONG = "Payouts REVERSED for orders ORD-1 to ORD-90, call 0754 111 222 <urgent> & more. " * 35


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        await harness.report_by_form(
            MERCHANT,
            report_values("Payouts reversed", LONG, "env:production", "sev:major"),
            f"D{MERCHANT}",
        )
        yield harness


def block_texts(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(
        str(b["text"]["text"]) for b in blocks if b.get("type") == "section" and "text" in b
    )


async def responses(slack: SlackHarness, text: str) -> list[dict[str, Any]]:
    """What `/desk <text>` typed by a member in the team channel answers, privately."""
    before = len(slack.fake.calls_of("response_url"))
    await slack.command(MEMBER, text, channel=TEAM_CHANNEL)
    await slack.settle()
    calls = slack.fake.calls_of("response_url")[before:]
    assert all(call.refused is None for call in calls), [c.refused for c in calls]
    return [call.params for call in calls]


async def test_alert_blocks_carry_the_details(slack: SlackHarness) -> None:
    alert = slack.alert()
    text = block_texts(alert.blocks)
    assert "│ Payouts REVERSED for orders ORD-1 to ORD-90" in text
    assert "&lt;urgent&gt; &amp; more" in text
    assert "…full text: show INT-1" in text
    assert "Environment: Production" in text


async def test_desk_show_answers_within_slack_limits(slack: SlackHarness) -> None:
    for n in range(12):
        await slack.command(
            MEMBER, f"note INT-1 n{n} {'looked at the logs ' * 30}", channel=TEAM_CHANNEL
        )
        await slack.settle()
    answers = await responses(slack, "show int-1")
    assert 1 < len(answers) <= 5, "a response_url takes at most five answers"
    for answer in answers:
        for block in answer["blocks"]:
            if block.get("type") == "section":
                assert len(block["text"]["text"]) <= SECTION_TEXT
    shown = "\n".join(block_texts(a["blocks"]) for a in answers)
    assert shown.startswith("INT-1 · issue · Major · Production · open")
    assert shown.count("ORD-90") == 35, "the details in full"
    assert "internal note:" in shown and "n11 looked at the logs" in shown
    assert "Last events:" in shown


async def test_desk_find_mine_and_digest(slack: SlackHarness) -> None:
    (found,) = await responses(slack, "find reversed")
    assert "1 ticket(s) mention “reversed”" in found["text"]
    await slack.command(MEMBER, "take INT-1", channel=TEAM_CHANNEL)
    await slack.settle()
    (mine,) = await responses(slack, "mine")
    assert "1 open ticket(s) assigned to you:" in mine["text"] and "INT-1" in mine["text"]
    (digest,) = await responses(slack, "digest")
    assert "Daily digest for" in digest["text"]


async def test_unknown_subcommand_gets_the_team_commands(slack: SlackHarness) -> None:
    status, body = await slack.command(MEMBER, "escalate INT-1", work=False)
    assert status == 200 and "I don't know “escalate”" in body
    assert "/desk show INT-42" in body and "/desk ack" in body
    status, body = await slack.command(MERCHANT, "frobnicate", work=False)
    assert "/desk show" not in body and "/desk report" in body
    status, body = await slack.command(MERCHANT, "show INT-1", work=False)
    assert "integration team only" in body


async def test_page_in_slack_carries_the_details(slack: SlackHarness) -> None:
    desk = slack.desk
    audience = Audience(team=tuple(desk.team_targets), members=tuple(desk.settings.members))
    escalator = Escalator(slack.store, EscalationPolicy(), desk.clock, desk.notifier, audience)
    desk.observers.append(escalator)
    await slack.command(MERCHANT, "report", channel=f"D{MERCHANT}")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    await slack.submit(MERCHANT, view, report_values("All payouts failing", LONG))
    await slack.settle()
    await escalator.sweep()
    await slack.dispatcher.deliver_due()
    (page,) = [
        c
        for c in slack.fake.calls_of("chat.postMessage")
        if "Level 1 page" in c.params["text"] and "INT-2" in c.params["text"]
    ]
    text = block_texts(page.params["blocks"])
    assert "Environment: Production" in text
    assert "│ Payouts REVERSED for orders ORD-1 to ORD-90" in text
    assert "…full text: show INT-2" in text
