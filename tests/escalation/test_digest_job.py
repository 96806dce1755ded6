"""The daily digest from the database: what it lists, business days only, once per day."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.clock import FakeClock
from handlers.desk import Desk
from handlers.escalation.digest_job import DigestJob
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from storage import Store
from tests.escalation.conftest import outbox
from tests.support import Chat

EAT = ZoneInfo("Africa/Dar_es_Salaam")
MONDAY_0700 = datetime(2026, 11, 30, 7, 0, tzinfo=EAT)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_0700)


async def test_digest_lists_open_tickets_breaches_risks_and_oldest_unacknowledged(
    desk: Desk,
    store: Store,
    clock: FakeClock,
    escalator: Escalator,
    policy: EscalationPolicy,
    alice: Chat,
    bob: Chat,
    lead: Chat,
) -> None:
    await alice.report(title="Payouts down", severity="Critical")  # INT-1, acknowledged late
    clock.advance(timedelta(minutes=20))
    await escalator.sweep()
    await lead.say("ack INT-1")
    await bob.report(title="Webhook not received", severity="Major")  # INT-2, unacknowledged
    await alice.report(title="Typo in receipt", severity="Minor")  # INT-3
    await bob.report(title="Old checksum question", severity="Minor")  # INT-4, resolved
    await lead.say("resolve INT-4")
    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=EAT))
    await escalator.sweep()
    body = await DigestJob(store, policy, clock, desk.notifier)()
    assert body is not None
    assert body.splitlines()[0] == "Daily digest for Mon 30 Nov 2026 (08:30 EAT)"
    assert "Open tickets: 3 (critical 1, major 1, minor 1)" in body
    assert "• INT-1 Payouts down (1h 30m old, acknowledged)" in body
    assert "• INT-2 Webhook not received (1h 10m old, not acknowledged)" in body
    assert "INT-4" not in body
    assert "SLA breached: INT-1 (acknowledge)" in body
    # INT-1 has used 1h30 of its 4h resolve clock; INT-2 (filed 07:20, before opening) has used
    # 30 business minutes of its 4 business hours: nothing is at risk yet.
    assert "SLA at risk: none" in body
    assert "Oldest unacknowledged: INT-2 [major] Webhook not received (1h 10m old)" in body
    (item,) = await outbox(store, "digest")
    assert item.chat_id == "team" and json.loads(item.payload)["text"] == body
    # A second run the same day (another process, a restart) queues nothing more.
    assert await DigestJob(store, policy, clock, desk.notifier)() is None
    assert len(await outbox(store, "digest")) == 1


async def test_at_risk_is_reported(
    desk: Desk,
    store: Store,
    clock: FakeClock,
    escalator: Escalator,
    policy: EscalationPolicy,
    alice: Chat,
) -> None:
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=EAT))
    await alice.report(title="Refund stuck", severity="Critical")
    clock.advance(timedelta(minutes=12))  # 3 of 15 minutes left to acknowledge
    body = await DigestJob(store, policy, clock, desk.notifier)()
    assert body is not None and "SLA at risk: INT-1 (acknowledge)" in body


@pytest.mark.parametrize("policy", [EscalationPolicy(holidays=frozenset({date(2026, 11, 30)}))])
async def test_no_digest_on_a_holiday_or_weekend(
    desk: Desk, store: Store, clock: FakeClock, policy: EscalationPolicy
) -> None:
    job = DigestJob(store, policy, clock, desk.notifier)
    assert await job() is None  # Monday 30 Nov is a holiday here
    clock.set(datetime(2026, 12, 5, 8, 30, tzinfo=EAT))  # Saturday
    assert await job() is None
    clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=EAT))  # Tuesday
    assert await job() is not None
    assert len(await outbox(store, "digest")) == 1
