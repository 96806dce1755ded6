"""Escalation meets reopening and people's habits (issue 10, items 3 and 4): a reopened Critical
ticket is paged again until acknowledged; a public reply acknowledges and stops the pages; the
last page says it is the last and reaches the leads; and the Critical reporter is told what the
policy will really do."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from handlers.clock import FakeClock
from handlers.desk import Desk
from handlers.escalation.escalator import Escalator
from handlers.escalation.policy import EscalationPolicy, Level
from storage import Store
from tests.escalation.conftest import make_escalator, outbox, pages, run_minutes
from tests.support import Chat, paging_told

MINUTE = timedelta(minutes=1)


async def notices_to(store: Store, chat: str) -> list[str]:
    return [
        json.loads(i.payload)["text"] for i in await outbox(store, "notice") if i.chat_id == chat
    ]


async def test_a_reopened_critical_ticket_is_paged_again_until_acknowledged(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Critical")
    await escalator.sweep()
    await lead.say("ack INT-1")
    await lead.say("resolve INT-1")
    clock.advance(timedelta(hours=2))
    reopened_at = clock.now()
    await alice.say("INT-1 is not fixed!! payouts reversed again")
    await alice.press_label("Reopen INT-1")
    await escalator.sweep()
    sent = await pages(store)
    assert [(p.level, p.repeat, p.created_at) for p in sent][-1] == (1, 0, reopened_at)
    await run_minutes(clock, escalator, reopened_at + timedelta(minutes=20), MINUTE)
    assert [(p.level, p.repeat) for p in await pages(store)][1:] == [(1, 0), (2, 0)]
    # The merchant hears about paging again, as for a new Critical ticket.
    assert sum("has been paged" in n for n in await notices_to(store, "alice")) == 2
    await lead.say("ack INT-1")
    await run_minutes(clock, escalator, reopened_at + timedelta(hours=1), MINUTE)
    assert len(await pages(store)) == 3


async def test_a_public_reply_acknowledges_and_stops_the_pages(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    start = clock.now()
    await alice.report(severity="Critical")
    await escalator.sweep()
    clock.advance(timedelta(minutes=5))
    answer = await lead.say("reply INT-1 We see it, checking the provider now")
    assert answer == "INT-1 acknowledged by Lead.\nReply sent to the reporter of INT-1."
    await run_minutes(clock, escalator, start + timedelta(hours=3), MINUTE)
    assert len(await pages(store)) == 1, "no page after the reply"
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.acknowledged_by == "Lead"
    assert ticket.acknowledge_breached_at is None
    told = await notices_to(store, "alice")
    assert sum("was acknowledged" in n for n in told) == 1
    # A second reply changes nothing more.
    assert await lead.say("reply INT-1 Fixed on their side?") == (
        "Reply sent to the reporter of INT-1."
    )
    assert sum("was acknowledged" in n for n in await notices_to(store, "alice")) == 1


async def test_the_last_page_says_so_and_reaches_the_leads(
    desk: Desk, alice: Chat, store: Store, clock: FakeClock
) -> None:
    # A policy whose levels never name the leads: only the last page goes to them.
    critical = replace(
        EscalationPolicy().critical,
        levels=(Level(after=timedelta(0)), Level(after=timedelta(minutes=10))),
        repeat_every=timedelta(minutes=10),
        max_repeats=2,
    )
    policy = replace(EscalationPolicy(), critical=critical)
    escalator = make_escalator(desk, store, policy)
    desk.observers.append(escalator)
    start = clock.now()
    await alice.report(severity="Critical")
    await run_minutes(clock, escalator, start + timedelta(hours=2), MINUTE)
    sent = await pages(store)
    assert [(p.level, p.repeat) for p in sent] == [(1, 0), (2, 0), (2, 1), (2, 2)]
    assert [p.targets for p in sent] == ["console:team"] * 3 + ["console:team,console:lead"]
    texts = [json.loads(i.payload)["text"] for i in await outbox(store, "page")]
    last = "This is the last page for INT-1: no more pages will be sent."
    assert [last in text for text in texts] == [False, False, False, True, True]


async def test_the_critical_reporter_is_told_what_the_policy_will_do(
    desk: Desk, alice: Chat
) -> None:
    answer = await alice.report(severity="Critical")
    assert "will keep being paged" not in answer
    assert paging_told(leads=True) in answer
    assert paging_told(leads=True) == (
        "The integration team is being paged now. Until someone acknowledges it, the page is "
        "sent again up to 10 more times over the next 2h 30m. The last page also goes to the "
        "team leads. I'll tell you here when someone acknowledges it and when it is resolved."
    )
    # One page and no leads: nothing more is promised.
    critical = replace(
        EscalationPolicy().critical, levels=(Level(after=timedelta(0)),), max_repeats=0
    )
    desk.policy = replace(EscalationPolicy(), critical=critical)
    desk.settings = replace(desk.settings, leads=())
    answer = await alice.report(title="Refunds fail", severity="Critical")
    assert (
        "The integration team is being paged now. I'll tell you here when someone acknowledges "
        "it and when it is resolved." in answer
    )
