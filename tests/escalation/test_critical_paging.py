"""Issue 5's paging scenarios, with the clock moved by hand."""

from __future__ import annotations

import json
from datetime import timedelta

from handlers.clock import FakeClock
from handlers.desk import Desk
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy
from storage import Store
from tests.escalation.conftest import make_escalator, outbox, pages, run_minutes
from tests.support import Chat

MINUTE = timedelta(minutes=1)


async def test_levels_at_0_15_30_then_every_15_minutes_up_to_max_repeats(
    alice: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    start = clock.now()
    await alice.report(severity="Critical")
    next_due = await escalator.sweep()
    assert next_due == start + timedelta(minutes=15)
    await run_minutes(clock, escalator, start + timedelta(hours=5), MINUTE)
    sent = await pages(store)
    offsets = [int((p.created_at - start).total_seconds() // 60) for p in sent]
    assert offsets == [0, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150]
    assert [(p.level, p.repeat) for p in sent] == [(1, 0), (2, 0), (3, 0)] + [
        (3, r) for r in range(1, 9)
    ]
    # each page went out exactly at its due time
    assert all(p.created_at == p.due_at for p in sent)
    assert sent[0].targets == "console:team"
    assert sent[2].targets == "console:team,console:lead"
    items = await outbox(store, "page")
    assert len(items) == 1 + 1 + 9 * 2  # levels 1 and 2 to the team; level 3 on: team + lead
    first, second = json.loads(items[0].payload), json.loads(items[1].payload)
    assert first["mention"] is None
    assert second["mention"] == "everyone"
    assert second["mention_user_ids"] == ["lead", "ops"]
    assert "Level 2 page: INT-1 (Critical)" in second["text"]
    assert "Open for 15m" in second["text"]
    assert second["choices"] == [
        {"label": "Acknowledge", "value": "team:ack:INT-1", "description": ""}
    ]
    lead_dm = next(i for i in items if i.chat_id == "lead")
    assert json.loads(lead_dm.payload)["mention"] is None
    last = json.loads(items[-1].payload)["text"]
    assert "Level 3 page (repeat 8 of 8)" in last
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.next_escalation_at is None
    assert ticket.acknowledge_breached_at == start + timedelta(minutes=15)
    assert ticket.resolve_breached_at == start + timedelta(hours=4)


async def test_merchant_is_told_when_the_team_is_paged_once(
    alice: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Critical")
    await run_minutes(clock, escalator, clock.now() + timedelta(minutes=40), MINUTE)
    notices = [
        json.loads(i.payload)["text"] for i in await outbox(store, "notice") if i.chat_id == "alice"
    ]
    assert notices == [
        "The integration team has been paged about your critical ticket INT-1. "
        "I'll tell you as soon as someone acknowledges it."
    ]


async def test_acknowledging_at_minute_20_stops_everything(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    start = clock.now()
    await alice.report(severity="Critical")
    await escalator.sweep()
    await run_minutes(clock, escalator, start + timedelta(minutes=20), MINUTE)
    assert "acknowledged by Lead" in await lead.press("team:ack:INT-1")
    await run_minutes(clock, escalator, start + timedelta(hours=3), MINUTE)
    assert [(p.level, p.repeat) for p in await pages(store)] == [(1, 0), (2, 0)]
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    # acknowledged after the 15 minute SLA: recorded; the resolve clock is still watched
    assert ticket.acknowledge_breached_at == start + timedelta(minutes=15)
    assert ticket.resolve_breached_at is None
    assert ticket.next_escalation_at == start + timedelta(hours=4)


async def test_acknowledge_by_command_within_sla_records_no_breach(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Critical")
    await escalator.sweep()
    clock.advance(timedelta(minutes=5))
    await lead.say("ack INT-1")
    clock.advance(timedelta(minutes=30))
    await escalator.sweep()
    assert len(await pages(store)) == 1
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.acknowledge_breached_at is None


async def test_resolving_stops_everything(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Critical")
    await escalator.sweep()
    clock.advance(timedelta(minutes=5))
    await lead.say("resolve INT-1 fixed")
    assert await escalator.sweep() is None
    clock.advance(timedelta(hours=6))
    await escalator.sweep()
    assert len(await pages(store)) == 1
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert ticket.next_escalation_at is None
    assert ticket.acknowledge_breached_at is None and ticket.resolve_breached_at is None


async def test_a_restart_at_minute_40_sends_one_overdue_page(
    alice: Chat,
    store: Store,
    clock: FakeClock,
    escalator: Escalator,
    desk: Desk,
    policy: EscalationPolicy,
) -> None:
    start = clock.now()
    await alice.report(severity="Critical")
    await escalator.sweep()  # level 1, then the process dies
    clock.set(start + timedelta(minutes=40))
    restarted = make_escalator(desk, store, policy)
    next_due = await restarted.sweep()
    sent = await pages(store)
    assert [(p.level, p.repeat) for p in sent] == [(1, 0), (3, 0)]
    assert sent[-1].due_at == start + timedelta(minutes=30)
    assert sent[-1].created_at == start + timedelta(minutes=40)
    assert next_due == start + timedelta(minutes=45)
    # more sweeps before minute 45 send nothing more
    await restarted.sweep()
    clock.advance(timedelta(minutes=4))
    await restarted.sweep()
    assert len(await pages(store)) == 2


async def test_questions_and_minor_tickets_are_never_paged(
    alice: Chat, bob: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Minor")
    await bob.say("ask how do I generate a token for the sandbox environment?")
    await run_minutes(clock, escalator, clock.now() + timedelta(days=5), timedelta(hours=1))
    assert await pages(store) == []
