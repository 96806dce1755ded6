"""References typed loosely (`INT4`, `int 4`, `#4`, `int-4`) work wherever a reference is
expected: merchant status, team commands in chat, Telegram's team group and Slack's `/desk`."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers import commands
from handlers.clock import FakeClock
from handlers.references import normalise_reference, split_reference, tighten
from storage import Store
from storage.models import Status
from tests.slack.harness import MEMBER as SLACK_MEMBER
from tests.slack.harness import MERCHANT as SLACK_MERCHANT
from tests.slack.harness import TEAM_CHANNEL, report_values, running_slack
from tests.support import Chat
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, desk_on_telegram

LOOSE = ("INT4", "int 4", "#4", "int-4", "Int #4", "#INT-4", "int4")


@pytest.mark.parametrize("typed", LOOSE)
def test_every_loose_form_reads_as_the_reference(typed: str) -> None:
    assert normalise_reference(typed, "INT") == "INT-4"
    word, rest = split_reference(f"{typed} fixed the URL", ("INT",))
    assert (normalise_reference(word, "INT"), rest) == ("INT-4", "fixed the URL")


def test_only_the_desks_prefixes_are_read_loosely() -> None:
    # "status of 4 payouts" is prose, not ticket OF-4.
    assert tighten("of 4 payouts", ("INT",)) == "of 4 payouts"
    assert tighten("int 4x", ("INT",)) == "int 4x"
    assert tighten("PRJ3 2", ("INT", "PRJ")) == "PRJ-3 2"
    assert commands.parse("status of 4 payouts", False, ("INT",)) is None
    assert commands.parse("status int 4", False, ("INT",)) == ("status", "INT-4")
    assert commands.parse("ack INT4", False, ("INT",)) == ("ack", "INT-4")
    # A question's text is never rewritten.
    assert commands.parse("ask int 4 what now", False, ("INT",)) == ("ask", "int 4 what now")


async def test_merchant_status_with_every_form(alice: Chat, clock: FakeClock) -> None:
    for _ in range(4):
        await alice.report(title="Payouts REVERSED", severity="Minor")
    clock.advance(60)  # the reports' 28 messages leave the per-minute window
    for typed in LOOSE:
        clock.advance(10)  # under the per-minute message limit
        answer = await alice.say(f"status {typed}")
        assert answer.startswith("INT-4 ·"), (typed, answer)
        assert "Title: Payouts REVERSED" in answer
    assert (await alice.say("/status INT4")).startswith("INT-4 ·")
    assert (await alice.say("hali int 4")).startswith("INT-4 ·")


async def test_team_commands_in_chat_take_loose_forms(
    alice: Chat, lead: Chat, store: Store
) -> None:
    for _ in range(4):
        await alice.report(severity="Minor")
    assert "INT-4 acknowledged" in await lead.say("ack int 4")
    assert "INT-3" in await lead.say("/take INT3")
    assert "Reply sent" in await lead.say("reply #2 please retry now")
    assert "resolved" in await lead.say("resolve int-1 int 4 fixed upstream")
    async with store.transaction() as tx:
        statuses = {r: (await tx.tickets.get(r)) for r in ("INT-1", "INT-2", "INT-3", "INT-4")}
        messages = await tx.tickets.messages(statuses["INT-2"])  # type: ignore[arg-type]
    assert statuses["INT-1"].status == Status.resolved  # type: ignore[union-attr]
    assert statuses["INT-4"].status == Status.resolved  # type: ignore[union-attr]
    assert statuses["INT-3"].status == Status.in_progress  # type: ignore[union-attr]
    assert [m.text for m in messages if m.public][-1] == "please retry now"


pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_telegram_team_group_and_merchant_take_loose_forms(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Payout stuck in PROCESSING")
        acked = await env.say(MEMBER, "/ack int 1", chat=TEAM)
        assert "INT-1 acknowledged" in acked.params["text"]
        status = await env.say(MERCHANT, "status INT1")
        assert "Payout stuck in PROCESSING" in status.params["text"]
        assert (await env.ticket("INT-1")).status == Status.acknowledged


async def test_slack_desk_command_takes_loose_forms(tmp_path: Path) -> None:
    async with running_slack(tmp_path) as slack:
        await slack.report_by_form(
            SLACK_MERCHANT, report_values("Webhook not received", "None"), f"D{SLACK_MERCHANT}"
        )
        await slack.command(SLACK_MEMBER, "ack int 1", channel=TEAM_CHANNEL)
        await slack.settle()
        await slack.command(SLACK_MERCHANT, "status INT1", channel=f"D{SLACK_MERCHANT}")
        await slack.settle()
        assert "Webhook not received" in slack.fake.calls_of("response_url")[-1].params["text"]
        await slack.command(SLACK_MEMBER, "resolve #1 fixed", channel=TEAM_CHANNEL)
        await slack.settle()
        async with slack.store.transaction() as tx:
            ticket = await tx.tickets.get("INT-1")
        assert ticket is not None and ticket.status == Status.resolved
        assert ticket.acknowledged_at is not None
