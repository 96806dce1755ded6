"""A question passed to the team outside business hours says when the team is back, as a
report does (issue 10, item 6): by `ask`, after a knowledge-base answer that did not help, and
through routing's "Ask the team"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.clock import FakeClock
from handlers.desk import Desk
from tests.conftest import repo_kb
from tests.support import Chat, sw

KB = repo_kb()
# Monday 30 November 2026, 07:27 in Dar es Salaam: before business hours (08:00-17:00).
MONDAY_EARLY = datetime(2026, 11, 30, 4, 27, tzinfo=UTC)
BACK = "It is outside business hours now; the team is back Mon 30 Nov 08:00 EAT."
NO_ANSWER = "What's the weather in Dar es Salaam today?"


@pytest.fixture
def desk(kb_desk: Desk) -> Desk:
    return kb_desk


async def test_a_question_without_answer_before_hours_says_when_the_team_is_back(
    alice: Chat, clock: FakeClock
) -> None:
    clock.set(MONDAY_EARLY)
    answer = await alice.say(f"ask {NO_ANSWER}")
    assert "passed your question to the integration team as INT-1" in answer
    assert BACK in answer
    # A question has no severity, so no SLA line is promised.
    assert "we answer within" not in answer and "paged" not in answer


async def test_an_answer_that_did_not_help_before_hours_says_when_the_team_is_back(
    alice: Chat, clock: FakeClock
) -> None:
    clock.set(MONDAY_EARLY)
    await alice.say("ask how do I get an access token")
    answer = await alice.press_label("No")
    assert "passed your question to the integration team as INT-1" in answer
    assert BACK in answer


async def test_ask_the_team_from_routing_before_hours(alice: Chat, clock: FakeClock) -> None:
    clock.set(MONDAY_EARLY)
    offered = await alice.say(NO_ANSWER)
    assert "Ask the team" in alice.choices, offered
    # The held text is asked at once.
    answer = await alice.press_label("Ask the team")
    assert "INT-1" in answer and BACK in answer


async def test_a_question_inside_business_hours_adds_nothing(alice: Chat) -> None:
    answer = await alice.say(f"ask {NO_ANSWER}")
    assert "INT-1" in answer and "business hours" not in answer


async def test_the_question_line_in_swahili(alice: Chat, clock: FakeClock) -> None:
    clock.set(MONDAY_EARLY)
    await alice.say("lugha sw")
    answer = await alice.say(f"uliza {NO_ANSWER}")
    assert sw("ask.logged", reference="INT-1") in answer
    assert sw("afterhours.back", back="Jumatatu 30 Nov 08:00 EAT") in answer
