"""The outbox dispatcher: order within a chat, retries, permanent failures, alert links."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher, SendError
from handlers.desk import Desk
from storage import Store
from storage.outbox import Delivery
from tests.support import Chat, RecordingSender


async def _statuses(store: Store) -> list[tuple[str, str, int]]:
    async with store.transaction() as tx:
        return [(i.kind, i.status, i.attempts) for i in await tx.outbox.items()]


async def test_a_failed_message_holds_back_the_rest_of_its_chat(
    alice: Chat,
    lead: Chat,
    dispatcher: OutboxDispatcher,
    sent: RecordingSender,
    clock: FakeClock,
    store: Store,
) -> None:
    await alice.report()
    await lead.say("ack INT-1")  # queues: alert, notice to alice, alert update, timeline
    sent.failures.append(SendError("429 Too Many Requests", retry_after=30))
    assert await dispatcher.deliver_due() == 1  # only alice's notice: the team chat is held
    assert [i.chat_id for i in sent.items] == ["alice"]
    assert await _statuses(store) == [
        ("alert", "pending", 1),
        ("notice", "sent", 1),
        ("alert_update", "pending", 0),
        ("timeline", "pending", 0),
    ]
    clock.advance(timedelta(seconds=29))
    assert await dispatcher.deliver_due() == 0
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.deliver_due() == 3
    assert [i.kind for i in sent.items] == ["notice", "alert", "alert_update", "timeline"]


async def test_updates_reach_the_alert_they_belong_to(
    alice: Chat, lead: Chat, store: Store, clock: FakeClock
) -> None:
    seen: list[tuple[str, str | None]] = []

    class Recorder:
        async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
            seen.append((item.kind, alert_message_id))
            return f"msg-{item.id}"

    dispatcher = OutboxDispatcher(store, {"console": Recorder()}, clock)
    await alice.report()
    await lead.say("take INT-1")
    await dispatcher.deliver_due()
    assert seen[0] == ("alert", None)
    assert {alert for kind, alert in seen if kind in ("alert_update", "timeline")} == {"msg-1"}
    async with store.transaction() as tx:
        assert await tx.tickets.alert_message_id("INT-1", "console", "team") == "msg-1"
        ticket = await tx.tickets.by_platform_message("console", "team", "msg-1")
    assert ticket is not None and ticket.reference == "INT-1"


async def test_permanent_failures_are_not_retried(
    alice: Chat, desk: Desk, dispatcher: OutboxDispatcher, sent: RecordingSender, store: Store
) -> None:
    await alice.report()
    sent.failures.append(SendError("403 bot was kicked from the group", permanent=True))
    assert await dispatcher.deliver_due() == 0
    assert await _statuses(store) == [("alert", "failed", 1)]
    assert await dispatcher.deliver_due() == 0


async def test_a_crashing_sender_is_retried_with_backoff(
    alice: Chat,
    dispatcher: OutboxDispatcher,
    sent: RecordingSender,
    clock: FakeClock,
    store: Store,
) -> None:
    await alice.report()
    sent.failures += [RuntimeError("boom"), TimeoutError("slow")]
    assert await dispatcher.deliver_due() == 0
    clock.advance(timedelta(seconds=1))  # backoff after the first attempt: 2^0 s
    assert await dispatcher.deliver_due() == 0
    clock.advance(timedelta(seconds=1))  # after the second: 2^1 s
    assert await dispatcher.deliver_due() == 0
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.deliver_due() == 1
    assert await _statuses(store) == [("alert", "sent", 3)]


async def test_a_notice_that_cannot_reach_the_reporter_is_said_in_the_timeline(
    alice: Chat, lead: Chat, dispatcher: OutboxDispatcher, sent: RecordingSender, store: Store
) -> None:
    await alice.report()
    await dispatcher.deliver_due()  # the alert
    await lead.say("reply INT-1 Please resend with a new order reference")
    sent.failures.append(SendError("403 bot was blocked by the user", permanent=True))
    await dispatcher.deliver_due()  # the notice fails for good; the timeline says so
    await dispatcher.deliver_due()
    timeline = sent.texts("team", "timeline")
    assert timeline[-1] == (
        "⚠️ A message to the reporter of INT-1 could not be delivered: "
        "403 bot was blocked by the user"
    )


async def test_a_batch_stopped_at_shutdown_does_not_wait_for_a_cancelled_writer(
    alice: Chat, store: Store, clock: FakeClock, sent: RecordingSender
) -> None:
    """Event-loop shutdown cancels every task, the outcome writer included: a batch finishing
    its bookkeeping must then give up instead of waiting for a write that will never come (the
    suite hung at teardown on PostgreSQL when it waited)."""
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock)
    recording = asyncio.Event()

    async def record_forever(*_: object) -> None:
        recording.set()
        await asyncio.Event().wait()

    dispatcher._record = record_forever  # type: ignore[method-assign]
    await alice.report()
    batch = await dispatcher.claim()
    delivering = asyncio.create_task(dispatcher.deliver(batch))
    await recording.wait()
    delivering.cancel()
    writer = dispatcher._ledger._writer
    assert writer is not None
    writer.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(delivering, 5.0)
    assert delivering.done()
