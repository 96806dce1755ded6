""" "Did this solve it?" after a resolve (issue 10, item 3): 👍 / 👎 stored once per resolution,
👎 offers reopening, stale and foreign buttons answered, and the figures in the ops report."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import col, select

from handlers.clock import FakeClock
from handlers.escalation.policy import EscalationPolicy
from handlers.ops.report import report_in
from handlers.ops.report_render import to_text
from storage import Store
from storage.models import OutboxItem, Status, TicketFeedback
from tests.support import Chat, sw


async def last_notice(store: Store, chat: str = "alice") -> dict[str, object]:
    async with store.transaction() as tx:
        items = (
            await tx.session.exec(
                select(OutboxItem)
                .where(OutboxItem.kind == "notice", OutboxItem.chat_id == chat)
                .order_by(col(OutboxItem.id))
            )
        ).all()
    payload: dict[str, object] = json.loads(items[-1].payload)
    return payload


async def answers(store: Store) -> list[tuple[int, int, bool]]:
    async with store.transaction() as tx:
        rows = (
            await tx.session.exec(select(TicketFeedback).order_by(col(TicketFeedback.id)))
        ).all()
    return [(row.ticket_id, row.round, row.solved) for row in rows]


async def test_the_resolved_notice_asks_and_thumbs_up_is_stored_once(
    alice: Chat, bob: Chat, lead: Chat, store: Store
) -> None:
    await alice.report(title="Payouts fail", severity="Major")
    await lead.say("resolve INT-1 Provider fixed")
    notice = await last_notice(store)
    assert notice["text"] == (
        "Your ticket INT-1 (Payouts fail) was marked resolved.\n"
        "Note from the team: Provider fixed\n"
        "Did this solve it? Press or type 👍 or 👎."
    )
    assert notice["choices"] == [
        {"label": "👍", "value": "csat:up:INT-1:0", "description": ""},
        {"label": "👎", "value": "csat:down:INT-1:0", "description": ""},
    ]
    # Someone else pressing it learns nothing.
    assert await bob.press("csat:up:INT-1:0") == (
        "I couldn't find a ticket INT-1 among your tickets."
    )
    assert await alice.press("csat:up:INT-1:0") == "Thank you! Glad INT-1 is solved."
    assert await alice.press("csat:down:INT-1:0") == "You already answered for INT-1. Thank you!"
    assert await alice.say("👍") == "You already answered for INT-1. Thank you!"
    assert await answers(store) == [(1, 0, True)]
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        events = [e for e in await tx.tickets.events(ticket) if e.action == "satisfaction"]
    assert [(e.actor, e.new_value) for e in events] == [("console:alice", "👍")]
    assert await alice.press("csat:up:INT-1") == (
        "That button belongs to an earlier question, so I ignored it."
    )


async def test_thumbs_down_offers_reopening_and_an_old_button_is_stale(
    alice: Chat, lead: Chat, store: Store
) -> None:
    await alice.report(title="Payouts fail", severity="Major")
    await lead.say("resolve INT-1")
    answer = await alice.press("csat:down:INT-1:0")
    assert answer.startswith(
        "Sorry INT-1 is not solved. Shall I reopen it, or is it something new?"
    )
    assert alice.choices == ["Reopen INT-1", "It's something new"]
    assert "is open again" in await alice.say("reopen")
    await lead.say("resolve INT-1 Second fix")
    assert (await last_notice(store))["choices"][0]["value"] == "csat:up:INT-1:1"  # type: ignore[index]
    assert await alice.press("csat:up:INT-1:0") == (
        "That answer is for an earlier resolve of INT-1; it was reopened since."
    )
    # Typed, with a skin tone: the answer for the ticket just resolved.
    assert await alice.say("👍🏽") == "Thank you! Glad INT-1 is solved."
    assert await answers(store) == [(1, 0, False), (1, 1, True)]


async def test_in_swahili(alice: Chat, lead: Chat, store: Store) -> None:
    await alice.say("lugha sw")
    await alice.ripoti(
        "Malipo yamekwama", "Kila ombi linarudisha 500", "uzalishaji", "kubwa", "ndiyo"
    )
    await lead.say("resolve INT-1")
    notice = str((await last_notice(store))["text"])
    assert notice.endswith("\n" + sw("csat.question"))
    assert await alice.say("👎") == sw("csat.sorry", reference="INT-1")
    assert await alice.say("fungua") == sw("reopen.done", reference="INT-1")


async def test_the_report_shows_the_reopen_rate_and_satisfaction(
    alice: Chat, bob: Chat, lead: Chat, store: Store, clock: FakeClock
) -> None:
    start = clock.now()
    for chat, title in ((alice, "Payouts fail"), (bob, "Refunds fail")):
        await chat.report(title=title, severity="Major")
    await lead.say("resolve INT-1 INT-2")
    await alice.press("csat:down:INT-1:0")
    await alice.press_label("Reopen INT-1")
    await bob.press("csat:up:INT-2:0")
    await lead.say("resolve INT-1")
    clock.advance(timedelta(minutes=5))
    async with store.transaction() as tx:
        report = await report_in(tx, EscalationPolicy(), start, clock.now(), clock.now())
    extras = {extra.key: extra for extra in report.extras}
    assert extras["reopen_rate"].value == "33% (1 reopened of 3 resolved)"
    assert extras["reopen_rate"].data == {"reopened": 1, "resolved": 3}
    assert extras["satisfaction"].value == "50% 👍 (1 👍, 1 👎)"
    text = to_text(report)
    assert "Reopen rate: 33% (1 reopened of 3 resolved)" in text
    assert "Solved, by the reporters' answers: 50% 👍 (1 👍, 1 👎)" in text
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.status == Status.resolved
