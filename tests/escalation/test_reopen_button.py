"""The Reopen button on a resolved ticket's team alert (issue 10, item 3): it does what a
member's `reopen INT-1` does (one conditional update: one notice, one event, one timeline
entry, the alert back in its open form with its buttons; escalation starts over by severity),
and only for configured team members. Channel rendering: tests/test_telegram_reopen.py and
tests/slack/test_slack_reopen.py; two processes at once: tests/test_reopen_concurrent.py."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from sqlmodel import col, select

from handlers.clock import FakeClock
from handlers.escalation.escalator import Escalator
from storage import Store
from storage.models import OutboxItem, Status, TicketEvent
from tests.escalation.conftest import pages, run_minutes
from tests.support import Chat

MINUTE = timedelta(minutes=1)
BUTTON = "team:reopen:INT-1"


async def since(store: Store, first: int) -> list[OutboxItem]:
    async with store.transaction() as tx:
        query = select(OutboxItem).where(col(OutboxItem.id) > first)
        return list((await tx.session.exec(query.order_by(col(OutboxItem.id)))).all())


async def last_id(store: Store) -> int:
    items = await since(store, 0)
    return items[-1].id or 0 if items else 0


def alert_choices(item: OutboxItem) -> list[tuple[str, str]]:
    return [(c["label"], c["value"]) for c in json.loads(item.payload)["choices"]]


async def reopened_events(store: Store) -> int:
    async with store.transaction() as tx:
        query = select(TicketEvent).where(TicketEvent.action == "reopened")
        return len(list((await tx.session.exec(query)).all()))


async def test_the_resolved_alert_carries_reopen_and_pressing_it_reopens_once(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(title="Payouts reversed", severity="Critical")
    await escalator.sweep()
    await lead.say("ack INT-1")
    mark = await last_id(store)
    await lead.say("resolve INT-1 Provider fixed")
    [resolved] = [i for i in await since(store, mark) if i.kind == "alert_update"]
    assert alert_choices(resolved) == [("Reopen", BUTTON)]
    assert len(BUTTON.encode()) <= 64  # Telegram's callback_data

    clock.advance(timedelta(hours=2))
    reopened_at = clock.now()
    mark = await last_id(store)
    assert await lead.press(BUTTON) == "INT-1 reopened by Lead."
    new = await since(store, mark)
    assert Counter(i.kind for i in new) == Counter({"alert_update": 1, "timeline": 1, "notice": 1})
    [alert] = [i for i in new if i.kind == "alert_update"]
    assert "Status: open" in json.loads(alert.payload)["text"]
    assert [label for label, _ in alert_choices(alert)] == ["Acknowledge", "Take", "Resolve"]
    [notice] = [i for i in new if i.kind == "notice"]
    assert notice.chat_id == "alice"
    assert "was reopened by the integration team" in json.loads(notice.payload)["text"]
    [timeline] = [i for i in new if i.kind == "timeline"]
    assert json.loads(timeline.payload)["text"] == "🔁 INT-1 reopened by Lead"
    assert await reopened_events(store) == 1

    # Pressed again (the old alert, a second member): told, nothing written.
    mark = await last_id(store)
    assert await lead.press(BUTTON) == "INT-1 is already open again."
    assert await since(store, mark) == []
    assert await reopened_events(store) == 1

    # Escalation starts over from the press, by the ticket's severity (Critical: paged).
    await escalator.sweep()
    assert [(p.level, p.repeat, p.created_at) for p in await pages(store)][-1] == (
        1,
        0,
        reopened_at,
    )
    await run_minutes(clock, escalator, reopened_at + timedelta(minutes=20), MINUTE)
    assert [(p.level, p.repeat) for p in await pages(store)][1:] == [(1, 0), (2, 0)]


async def test_a_merchant_or_a_stranger_pressing_reopen_is_refused(
    alice: Chat, bob: Chat, lead: Chat, store: Store
) -> None:
    await alice.report(title="Payouts reversed", severity="Major")
    await lead.say("resolve INT-1")
    mark = await last_id(store)
    refused = "Sorry, that is for the integration team only."
    assert await alice.press(BUTTON) == refused
    assert await bob.press(BUTTON) == refused
    assert await since(store, mark) == []
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.status == Status.resolved
    assert await reopened_events(store) == 0


async def test_the_button_on_a_ticket_not_resolved_reopens_nothing(
    alice: Chat, lead: Chat, store: Store
) -> None:
    await alice.report(title="Payouts reversed", severity="Major")
    mark = await last_id(store)
    assert await lead.press(BUTTON) == (
        "INT-1 is not resolved (it is open), so there is nothing to reopen. To add to it, just "
        "write your message."
    )
    assert await lead.press("team:reopen:INT-99") == "There is no ticket INT-99."
    assert await since(store, mark) == []
