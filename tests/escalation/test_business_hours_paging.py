"""A major ticket counts business hours (EAT), and skips holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.clock import FakeClock
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from storage import Store
from tests.escalation.conftest import outbox, pages, run_minutes
from tests.support import Chat

EAT = ZoneInfo("Africa/Dar_es_Salaam")
FRIDAY_1630 = datetime(2026, 11, 27, 16, 30, tzinfo=EAT)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FRIDAY_1630)


async def test_major_filed_friday_1630_reminds_monday_1130(
    alice: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Major")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    monday_1130 = datetime(2026, 11, 30, 11, 30, tzinfo=EAT)
    assert ticket.next_escalation_at == monday_1130
    assert ticket.acknowledge_due_at == monday_1130
    await run_minutes(clock, escalator, monday_1130 - timedelta(minutes=1), timedelta(minutes=10))
    assert await pages(store) == []
    await run_minutes(clock, escalator, monday_1130 + timedelta(days=3), timedelta(minutes=1))
    sent = await pages(store)
    assert [(p.level, p.created_at) for p in sent] == [(1, monday_1130)]
    (item,) = await outbox(store, "page")
    assert item.chat_id == "team"
    # Major tickets do not send the merchant the critical "paged" notice.
    notices = [i for i in await outbox(store, "notice") if i.chat_id == "alice"]
    assert notices == []


@pytest.mark.parametrize("policy", [EscalationPolicy(holidays=frozenset({date(2026, 11, 30)}))])
async def test_a_holiday_monday_moves_the_reminder_to_tuesday(
    alice: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Major")
    tuesday_1130 = datetime(2026, 12, 1, 11, 30, tzinfo=EAT)
    await run_minutes(clock, escalator, tuesday_1130 - timedelta(minutes=1), timedelta(minutes=5))
    assert await pages(store) == []
    await run_minutes(clock, escalator, tuesday_1130, timedelta(minutes=1))
    assert [p.created_at for p in await pages(store)] == [tuesday_1130]
