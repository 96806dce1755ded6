"""Engine-level guarantees adapters rely on: a delivery handled once, the sender woken only
when a turn queued something."""

from __future__ import annotations

from dataclasses import replace

from handlers.desk import Desk
from handlers.events import Incoming
from storage.store import Store

# A question the knowledge base has no answer for, so it becomes a ticket.
UNKNOWN_QUESTION = "/ask Can the dashboard show our shop logo on invoices?"


def typed(text: str, delivery: str | None = None) -> Incoming:
    return Incoming("console", "alice", "alice", "Alice", text=text, delivery_id=delivery)


async def test_same_delivery_is_handled_once(desk: Desk, store: Store) -> None:
    first = await desk.handle(typed(UNKNOWN_QUESTION, "u-1"))
    assert "INT-1" in first[0].text
    assert await desk.handle(typed(UNKNOWN_QUESTION, "u-1")) == []
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 1


async def test_deliveries_are_told_apart_by_channel(desk: Desk) -> None:
    await desk.handle(typed("/help", "7"))
    other = replace(typed("/help", "7"), channel="slack", chat_id="C1", user_id="U1")
    assert await desk.handle(other) != []


async def test_sender_woken_only_when_a_turn_queued_messages(desk: Desk) -> None:
    wakes: list[int] = []
    desk.on_outbox = lambda: wakes.append(1)
    await desk.handle(typed("/help"))
    assert wakes == []
    await desk.handle(typed("/ask Can we change the colour of our invoice PDF?"))
    assert wakes == [1]
