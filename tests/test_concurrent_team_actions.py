"""Two bot processes on one database: two members acting on the same ticket at the same moment
change it once, and the merchant and the team hear about it once.

Setup in tests/racing.py: on PostgreSQL both transactions are open at once, so a plain SELECT
would let both see an unacknowledged ticket.
"""

from __future__ import annotations

import asyncio

from handlers.clock import FakeClock
from storage import Store
from tests.racing import ROUNDS, reporter_and_members, written


async def test_two_members_acknowledging_at_once_acknowledge_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"Payouts stuck, round {round_}")
        reference = f"INT-{round_}"
        answers = await asyncio.gather(
            lead.press(f"team:ack:{reference}"), ops.say(f"ack {reference}")
        )
        done = [a for a in answers if a.startswith(f"{reference} acknowledged by")]
        refused = [a for a in answers if "already acknowledged" in a]
        assert (len(done), len(refused)) == (1, 1), answers
        kinds, notices, statuses = await written(store, reference)
        assert statuses == ["acknowledged"]
        assert len(notices) == 1 and "was acknowledged" in notices[0]
        assert (kinds["alert_update"], kinds["timeline"]) == (1, 1), kinds


async def test_take_and_acknowledge_at_once_acknowledge_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"Checksum mismatch, round {round_}")
        reference = f"INT-{round_}"
        await asyncio.gather(lead.press(f"team:take:{reference}"), ops.say(f"ack {reference}"))
        _, notices, statuses = await written(store, reference)
        assert statuses.count("acknowledged") == 1, statuses
        assert statuses[-1] == "in_progress", statuses
        assert sum("was acknowledged" in notice for notice in notices) == 1, notices
        async with store.transaction() as tx:
            ticket = await tx.tickets.get(reference)
        assert ticket is not None and ticket.assignee == "console:lead"


async def test_two_members_resolving_at_once_resolve_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"Refund missing, round {round_}")
        reference = f"INT-{round_}"
        answers = await asyncio.gather(
            lead.say(f"resolve {reference} fixed by lead"),
            ops.press(f"team:resolve:{reference}"),
        )
        assert sum(a.startswith(f"{reference} resolved by") for a in answers) == 1, answers
        kinds, notices, statuses = await written(store, reference)
        assert statuses == ["resolved"]
        assert len(notices) == 1 and (kinds["alert_update"], kinds["timeline"]) == (1, 1)
