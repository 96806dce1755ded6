"""Routing of free text on Telegram and Slack, against the loopback fakes: the status answer and
the "Not about INT-1" undo, knowledge-base answers without "?", and the urgent offer, each with
its choices as the platform's buttons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.slack.harness import MERCHANT as SLACK_MERCHANT
from tests.slack.harness import SlackHarness, report_values, running_slack
from tests.telegram_harness import MERCHANT, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
ROOT = Path(__file__).resolve().parent.parent
DM = f"D{SLACK_MERCHANT}"


def buttons(blocks: list[dict]) -> list[str]:
    return [
        element["text"]["text"]
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


async def test_telegram_any_update_status_and_undo(tmp_path: Path) -> None:
    extra = {"kb": {"path": str(ROOT / "kb")}}
    async with desk_on_telegram(tmp_path, extra=extra) as env:
        await env.report(MERCHANT, "Payouts failing in production")
        mark = env.api.mark()
        await env.say(MERCHANT, "any update??")
        noted = await env.answer(MERCHANT.id, after=mark, with_buttons="Not about INT-1")
        status = env.api.calls_of("sendMessage", after=mark)[0]
        assert "Title: Payouts failing in production" in status.params["text"]
        assert "I lost my API key" not in status.params["text"]
        mark = await env.press(MERCHANT, noted, "Not about INT-1")
        offer = await env.answer(MERCHANT.id, after=mark, with_buttons="Report an issue")
        assert offer.button_labels == ["Report an issue", "Ask the team"]
        ticket = await env.ticket("INT-1")
        async with env.runtime.store.transaction() as tx:
            assert await tx.tickets.messages(ticket) == []


async def test_telegram_plain_problem_gets_the_kb_and_urgent_gets_critical(
    tmp_path: Path,
) -> None:
    extra = {"kb": {"path": str(ROOT / "kb")}}
    async with desk_on_telegram(tmp_path, extra=extra) as env:
        mark = env.api.mark()
        await env.say(MERCHANT, "checksum mismatch on payout request")
        helped = await env.answer(MERCHANT.id, after=mark, with_buttons="Yes")
        first = env.api.calls_of("sendMessage", after=mark)[0]
        assert first.params["text"].startswith("Checksum mismatch")
        assert helped.button_labels == ["Yes", "No"]
        offer = await env.say(MERCHANT, "URGENT!!! production down, customers not receiving money")
        assert offer.button_labels == ["Report as Critical", "Ask the team"]
        mark = await env.press(MERCHANT, offer, "Report as Critical")
        where = await env.answer(MERCHANT.id, after=mark, with_buttons="Production")
        mark = await env.press(MERCHANT, where, "Production")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        assert "Critical" in summary.params["text"]


async def slack_answers(slack: SlackHarness, text: str) -> list[tuple[str, list[str]]]:
    before = len(slack.posted(DM))
    await slack.dm(SLACK_MERCHANT, text)
    await slack.settle()
    return [(m.text, buttons(m.blocks)) for m in slack.posted(DM)[before:]]


async def test_slack_followup_undo_and_urgent(tmp_path: Path) -> None:
    async with running_slack(tmp_path, knowledge=True) as slack:
        await slack.report_by_form(SLACK_MERCHANT, report_values("Payouts failing", "500s"), DM)
        answers = await slack_answers(slack, "still failing, now 55 payouts REVERSED")
        ((text, labels),) = answers
        assert text.startswith("I've added your message to INT-1")
        assert labels == ["Not about INT-1"]
        await slack.press(SLACK_MERCHANT, slack.posted(DM)[-1], "Not about INT-1")
        await slack.settle()
        last = slack.posted(DM)[-1]
        assert "taken your message off INT-1" in last.text
        assert buttons(last.blocks) == ["Report an issue", "Ask the team"]

        answers = await slack_answers(slack, "haraka! mfumo umesimama")
        assert answers[-1][1][0] == "Report as Critical"  # understood; spoken in English

        answers = await slack_answers(slack, "webhook haifiki kwenye server yetu")
        assert answers[-1][1][:2] == ["Yes", "No"]
