"""Reopening (issue 10, item 3): "INT-1 is not fixed!! payouts reversed again" after a resolve
offers "Reopen INT-1" / "It's something new"; reopening sets the ticket open once, tells the
team, counts in the audit trail; the team's `reopen`; every bad input answered."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from sqlmodel import col, select

from handlers.clock import FakeClock
from storage import Store
from storage.models import OutboxItem, Status, Ticket, TicketEvent
from tests.support import Chat, sw

NOT_FIXED = "INT-1 is not fixed!! payouts reversed again"


async def ticket(store: Store, reference: str = "INT-1") -> Ticket:
    async with store.transaction() as tx:
        found = await tx.tickets.get(reference)
    assert found is not None
    return found


async def reopen_events(store: Store) -> list[TicketEvent]:
    async with store.transaction() as tx:
        query = select(TicketEvent).where(TicketEvent.action == "reopened")
        return list((await tx.session.exec(query.order_by(col(TicketEvent.id)))).all())


async def outbox(store: Store) -> list[OutboxItem]:
    async with store.transaction() as tx:
        return list((await tx.session.exec(select(OutboxItem).order_by(col(OutboxItem.id)))).all())


async def resolved_ticket(alice: Chat, lead: Chat, severity: str = "Major") -> None:
    await alice.report(title="Payouts fail", severity=severity)
    assert "resolved by Lead" in await lead.say("resolve INT-1 Provider fixed")


async def test_writing_about_a_resolved_ticket_offers_to_reopen_it(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock
) -> None:
    await resolved_ticket(alice, lead)
    clock.advance(timedelta(hours=3))
    answer = await alice.say(NOT_FIXED)
    assert answer.startswith("INT-1 (Payouts fail) was resolved 3h ago. Is your message about it?")
    assert alice.choices == ["Reopen INT-1", "It's something new"]
    before = len(await outbox(store))

    assert await alice.press_label("Reopen INT-1") == (
        "INT-1 is open again and the integration team has been told. I'll tell you here when "
        "someone picks it up."
    )
    reopened = await ticket(store)
    assert reopened.status == Status.open
    assert reopened.resolved_at is None and reopened.acknowledged_at is None
    assert reopened.reopen_count == 1 and reopened.reopened_at == clock.now()
    [event] = await reopen_events(store)
    assert (event.actor, event.old_value, event.new_value) == ("console:alice", "resolved", "open")
    # The team: the alert re-rendered as open (with its buttons back), and a timeline entry
    # quoting what the merchant wrote. The merchant's text is on the ticket.
    new = (await outbox(store))[before:]
    assert Counter(item.kind for item in new) == Counter({"alert_update": 1, "timeline": 1})
    alert = json.loads(next(i.payload for i in new if i.kind == "alert_update"))
    assert "Status: open" in alert["text"]
    assert [c["label"] for c in alert["choices"]] == ["Acknowledge", "Take", "Resolve"]
    timeline = json.loads(next(i.payload for i in new if i.kind == "timeline"))["text"]
    assert timeline == f"🔁 INT-1 reopened by Alice:\n│ {NOT_FIXED}"
    async with store.transaction() as tx:
        messages = await tx.tickets.messages(reopened)
    assert messages[-1].text == NOT_FIXED and messages[-1].public


async def test_a_second_press_or_a_stale_button_reopens_nothing(
    alice: Chat, lead: Chat, store: Store
) -> None:
    await resolved_ticket(alice, lead)
    await alice.say(NOT_FIXED)
    offer = alice.last
    await alice.press("reopen:yes:INT-1")
    before = len(await outbox(store))
    alice.last = offer
    assert await alice.press_label("Reopen INT-1") == "INT-1 is already open again."
    assert await lead.say("reopen INT-1") == "INT-1 is already open again."
    assert len(await reopen_events(store)) == 1
    assert len(await outbox(store)) == before, "no second notice, alert edit or timeline"
    assert await alice.press("reopen:bogus") == (
        "That button belongs to an earlier question, so I ignored it."
    )


async def test_something_new_starts_a_report_with_the_text_filled_in(
    alice: Chat, lead: Chat, store: Store
) -> None:
    await resolved_ticket(alice, lead)
    await alice.say("INT-1 again: now card refunds fail too")
    answer = await alice.press_label("It's something new")
    assert answer.startswith("What happened?")  # the title is taken: details next
    await alice.say("Refund API returns 500 for every card refund")
    await alice.press_label("Continue")
    await alice.press_label("Production")
    await alice.press_label("Major")
    assert "INT-2" in await alice.press_label("Confirm")
    assert (await ticket(store, "INT-2")).title == "INT-1 again: now card refunds fail too"
    assert (await ticket(store)).status == Status.resolved


async def test_typed_words_answer_the_offer_in_english_and_swahili(
    desk: object, alice: Chat, bob: Chat, lead: Chat, store: Store
) -> None:
    await resolved_ticket(alice, lead)
    await alice.say(NOT_FIXED)
    assert "(You can also type: reopen or new)" in alice.text
    assert "is open again" in await alice.say("reopen")
    # Swahili: "mpya" (new) and "fungua" (reopen), without any reference, on a fix that
    # did not hold ("bado" = still).
    await bob.report(title="Webhook haifiki", severity="Minor")
    await bob.say("lugha sw")
    await lead.say("resolve INT-2")
    offer = await bob.say("bado webhook haifiki kwenye server yetu")
    assert offer.startswith(
        sw("reopen.offer", reference="INT-2", title="Webhook haifiki", ago="0s")
    )
    assert bob.choices == [sw("reopen.choice.reopen", reference="INT-2"), sw("reopen.choice.new")]
    assert await bob.say("fungua") == sw("reopen.done", reference="INT-2")
    assert (await ticket(store, "INT-2")).status == Status.open
    await lead.say("resolve INT-2")
    await bob.say("INT-2 tena!")
    assert await bob.say("mpya") == "\n".join(
        (sw("report.details", limit=4000), sw("report.files.hint"))
    )
    await bob.say("sitisha")
    # `fungua INT-2` is the Swahili command word with a reference.
    assert await bob.say("fungua INT-2") == sw("reopen.done", reference="INT-2")


async def test_bad_input_gets_a_clear_answer(
    alice: Chat, bob: Chat, lead: Chat, store: Store, clock: FakeClock
) -> None:
    await alice.report(title="Payouts fail", severity="Major")
    # Not resolved: nothing to reopen, and plain text about it is not an offer.
    assert await alice.say("reopen INT-1") == (
        "INT-1 is not resolved (it is open), so there is nothing to reopen. To add to it, just "
        "write your message."
    )
    await lead.say("resolve INT-1")
    # Someone else's ticket: not found, by button, by command; and no offer for their text.
    assert await bob.press("reopen:yes:INT-1") == await bob.say("status INT-1")
    assert await bob.say("reopen INT-1") == "I couldn't find a ticket INT-1 among your tickets."
    await bob.say(NOT_FIXED)
    assert "Reopen INT-1" not in bob.choices
    # No offer pending: a bare `reopen` (or `fungua`) says how to use it, and reopens nothing.
    assert await alice.say("reopen") == "Usage: reopen INT-42"
    assert await alice.say("/reopen") == "Usage: reopen INT-42"
    assert await lead.say("reopen") == "Usage: reopen INT-42"
    # Resolved too long ago: said plainly, with a way to report it as new.
    clock.advance(timedelta(days=7, minutes=1))
    assert await alice.say("reopen INT-1") == (
        "INT-1 was resolved 7d ago, more than 7 days ago, so it cannot be reopened. Please "
        "report it as a new issue."
    )
    assert alice.choices == ["Report a new issue"]
    assert (await ticket(store)).status == Status.resolved
    # Written about after the window: no offer (the menu or the knowledge base answer).
    await alice.say(NOT_FIXED)
    assert "Reopen INT-1" not in alice.choices
    # The team may still reopen it; the merchant is told.
    assert await lead.say("reopen INT-1") == "INT-1 reopened by Lead."
    assert (await ticket(store)).status == Status.open
    notices = [
        json.loads(item.payload)["text"]
        for item in await outbox(store)
        if item.kind == "notice" and item.chat_id == "alice"
    ]
    assert notices[-1] == (
        "Your ticket INT-1 (Payouts fail) was reopened by the integration team. I'll tell you "
        "here when it is resolved."
    )
    assert await lead.say("/reopen INT-99") == "There is no ticket INT-99."


async def test_the_window_is_the_configured_one(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock, desk: object
) -> None:
    from dataclasses import replace

    from handlers.desk import Desk

    assert isinstance(desk, Desk)
    desk.settings = replace(desk.settings, reopen_within=timedelta(days=1))
    await resolved_ticket(alice, lead)
    clock.advance(timedelta(hours=25))
    assert "more than 1 days ago" in await alice.say("reopen INT-1")
