"""Two bot processes on one database, pressing at the same moment: a reopen happens once (one
event, one alert edit, one timeline entry, one notice), whether by the merchant's button or the
team alert's Reopen button; a "Did this solve it?" answer is stored once; and two members
replying to an unacknowledged ticket acknowledge it once."""

from __future__ import annotations

import asyncio

from handlers.clock import FakeClock
from storage import Store
from storage.models import TicketEvent, TicketFeedback
from tests.racing import ROUNDS, count, desk_on, reporter_and_members, written
from tests.support import Chat


async def test_two_presses_of_reopen_and_the_team_at_once_reopen_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    alice_a, alice_b = Chat(desk_a, "alice"), Chat(desk_b, "alice")
    lead = Chat(desk_b, "lead")
    for round_ in range(1, ROUNDS + 1):
        await alice_a.report(title=f"Payouts reversed, round {round_}")
        reference = f"INT-{round_}"
        await lead.say(f"resolve {reference}")
        _, before, _ = await written(store, reference)
        answers = await asyncio.gather(
            alice_a.press(f"reopen:yes:{reference}"),
            alice_b.press(f"reopen:yes:{reference}"),
            lead.say(f"reopen {reference}"),
        )
        done = [a for a in answers if "open again and" in a or "reopened by" in a]
        assert len(done) == 1, answers
        assert sum("already open again" in a for a in answers) == 2, answers
        kinds, notices, _ = await written(store, reference)
        assert (kinds["alert_update"], kinds["timeline"]) == (2, 2), kinds  # resolve + reopen
        reopened_by_team = answers[2].startswith(f"{reference} reopened by")
        assert len(notices) - len(before) == (1 if reopened_by_team else 0), notices
    assert await count(store, TicketEvent, action="reopened") == ROUNDS


async def test_two_members_pressing_the_alerts_reopen_at_once_reopen_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"Payouts reversed, round {round_}")
        reference = f"INT-{round_}"
        await lead.say(f"resolve {reference}")
        _, before, _ = await written(store, reference)
        answers = await asyncio.gather(
            lead.press(f"team:reopen:{reference}"),
            ops.press(f"team:reopen:{reference}"),
            ops.say(f"reopen {reference}"),
        )
        assert sum("reopened by" in a for a in answers) == 1, answers
        assert sum("already open again" in a for a in answers) == 2, answers
        kinds, notices, _ = await written(store, reference)
        assert (kinds["alert_update"], kinds["timeline"]) == (2, 2), kinds  # resolve + reopen
        assert len(notices) - len(before) == 1, notices
    assert await count(store, TicketEvent, action="reopened") == ROUNDS


async def test_two_presses_of_thumbs_at_once_store_one_answer(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    alice_a, alice_b = Chat(desk_a, "alice"), Chat(desk_b, "alice")
    lead = Chat(desk_a, "lead")
    for round_ in range(1, ROUNDS + 1):
        await alice_a.report(title=f"Checksum mismatch, round {round_}")
        reference = f"INT-{round_}"
        await lead.say(f"resolve {reference}")
        answers = await asyncio.gather(
            alice_a.press(f"csat:up:{reference}:0"), alice_b.press(f"csat:down:{reference}:0")
        )
        assert sum(a.startswith("You already answered") for a in answers) == 1, answers
    assert await count(store, TicketFeedback) == ROUNDS
    assert await count(store, TicketEvent, action="satisfaction") == ROUNDS


async def test_two_members_replying_at_once_acknowledge_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"USSD push timeout, round {round_}")
        reference = f"INT-{round_}"
        await asyncio.gather(
            lead.say(f"reply {reference} Looking at it now"),
            ops.press(f"team:ack:{reference}"),
            ops.say(f"reply {reference} Which order reference?"),
        )
        _, notices, statuses = await written(store, reference)
        assert statuses == ["acknowledged"], statuses
        assert sum("was acknowledged" in notice for notice in notices) == 1, notices
        assert sum("replied on" in notice for notice in notices) == 2, notices
