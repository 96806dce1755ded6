"""Pages go through the durable outbox: retried after 429 (honouring retry_after), 5xx and
timeouts, delivered exactly once, also with two dispatchers on one database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher, SendError
from handlers.escalation.escalator import Escalator
from storage import Store
from storage.outbox import Delivery
from tests.escalation.conftest import outbox
from tests.support import Chat, RecordingSender


class FlakyPages(RecordingSender):
    """Fails the next page deliveries with the given errors; everything else goes through."""

    def __init__(self, *errors: Exception) -> None:
        super().__init__()
        self.page_errors = list(errors)
        self.page_attempts = 0

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        if item.kind == "page":
            self.page_attempts += 1
            if self.page_errors:
                raise self.page_errors.pop(0)
        return await super().deliver(item, alert_message_id)


async def _one_page_queued(alice: Chat, escalator: Escalator, dispatcher: OutboxDispatcher) -> None:
    await alice.report(severity="Critical")
    await dispatcher.deliver_due()  # the alert and the merchant's confirmation go first
    await escalator.sweep()


async def test_page_is_retried_after_429_and_500_and_delivered_once(
    alice: Chat,
    store: Store,
    clock: FakeClock,
    escalator: Escalator,
) -> None:
    sent = FlakyPages(
        SendError("429 Too Many Requests", retry_after=7),
        SendError("500 Internal Server Error"),
    )
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock)
    await _one_page_queued(alice, escalator, dispatcher)
    assert await dispatcher.deliver_due() == 1  # the page fails (429), the "paged" notice goes
    assert [i.kind for i in sent.items[-1:]] == ["notice"]
    clock.advance(timedelta(seconds=6))
    assert await dispatcher.deliver_due() == 0
    assert sent.page_attempts == 1  # retry_after not yet over
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.deliver_due() == 0  # 500 this time
    assert sent.page_attempts == 2
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.deliver_due() == 0  # exponential backoff: 2s after one earlier try
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.deliver_due() == 1
    for _ in range(3):
        clock.advance(timedelta(minutes=1))
        await dispatcher.deliver_due()
    assert sent.page_attempts == 3
    pages = [i for i in sent.items if i.kind == "page"]
    assert len(pages) == 1
    (row,) = await outbox(store, "page")
    assert row.status == "sent" and row.attempts == 3
    assert row.last_error == "500 Internal Server Error"


async def test_a_timeout_is_retried(
    alice: Chat,
    clock: FakeClock,
    escalator: Escalator,
    store: Store,
) -> None:
    sent = FlakyPages(TimeoutError("read timed out"))
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock)
    await _one_page_queued(alice, escalator, dispatcher)
    await dispatcher.deliver_due()
    assert sent.page_attempts == 1
    assert not [i for i in sent.items if i.kind == "page"]
    clock.advance(timedelta(seconds=2))
    await dispatcher.deliver_due()
    assert len([i for i in sent.items if i.kind == "page"]) == 1


async def test_two_dispatchers_deliver_each_page_once(
    alice: Chat,
    store: Store,
    clock: FakeClock,
    escalator: Escalator,
    dispatcher: OutboxDispatcher,
    sent: RecordingSender,
) -> None:
    await alice.report(severity="Critical")
    for _ in range(4):  # levels 1-3 and the first repeat: several rows to share out
        await escalator.sweep()
        clock.advance(timedelta(minutes=15))
    other_sent = RecordingSender()
    other = OutboxDispatcher(store, {"console": other_sent}, clock)
    await asyncio.gather(dispatcher.deliver_due(), other.deliver_due())
    keys = [i.idempotency_key for i in sent.items + other_sent.items]
    assert len(keys) == len(set(keys))
    assert len([k for k in keys if k.startswith("page:")]) == 1 + 1 + 2 + 2
