"""The real AsyncIOScheduler around the escalator: a new critical ticket wakes it at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.escalation_scheduler import EscalationScheduler
from handlers.clock import FakeClock
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from storage import Store
from tests.escalation.conftest import pages
from tests.support import Chat

SAFETY = 5.0


async def test_a_new_critical_ticket_is_paged_without_waiting_for_the_interval(
    alice: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    swept: asyncio.Queue[int] = asyncio.Queue()

    async def sweep() -> datetime | None:
        next_due = await escalator.sweep()
        swept.put_nowait(escalator.pages_sent)
        return next_due

    # An hour-long interval: only the exact wake-up can explain a prompt page.
    policy = EscalationPolicy(sweep_interval=timedelta(hours=1))
    scheduler = EscalationScheduler(policy, clock, sweep)
    escalator.wake = scheduler.wake_at
    scheduler.start()
    try:
        assert await asyncio.wait_for(swept.get(), SAFETY) == 0  # the start-up sweep
        await alice.report(severity="Critical")  # commit -> after_commit -> wake_at(now)
        while await asyncio.wait_for(swept.get(), SAFETY) == 0:
            pass
        assert [(p.level, p.repeat) for p in await pages(store)] == [(1, 0)]
        # The next page is 15 minutes away on the ticket's clock, so the next sweep is planned
        # for then, sooner than the hour-long interval.
        planned = scheduler.next_sweep_at()
        assert planned is not None
        ahead = planned - datetime.now(UTC)
        assert timedelta(minutes=14) < ahead <= timedelta(minutes=15)
    finally:
        scheduler.shutdown()
