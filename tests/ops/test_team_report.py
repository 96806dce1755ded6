"""The team's `report [days]` command in the engine: figures for a member, a usage answer for a
bad number, and the issue flow for a merchant."""

from __future__ import annotations

from datetime import timedelta

from handlers.clock import FakeClock
from tests.support import Chat


async def test_member_gets_the_report_and_bad_days_get_the_usage(
    lead: Chat, alice: Chat, clock: FakeClock
) -> None:
    await alice.report()
    clock.advance(timedelta(minutes=5))
    answer = await lead.say("report 3")
    assert answer.startswith("Desk report ")
    assert "Tickets opened: 1 (critical 1)" in answer
    for bad in ("report 0", "report 367", "/report 99999"):
        assert await lead.say(bad) == "Usage: report [days], e.g. report 7 (1-366 days).", bad
    # Older than the period asked for: not counted.
    clock.advance(timedelta(days=2))
    assert "No tickets were opened in this period." in await lead.say("/report 1")


async def test_a_merchant_typing_report_with_a_number_files_an_issue(alice: Chat) -> None:
    answer = await alice.say("report 7")
    assert "Desk report" not in answer
    assert "What happened?" in answer  # "7" was taken as the issue's title
