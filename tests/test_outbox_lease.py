"""The outbox lease holds while a send is in flight: a platform answering after the lease would
have run out, or a slow commit of the outcome, never lets another process take the message for
a crashed sender's and send it again. Two dispatchers on two engines, as two processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot

from bot.channels.telegram.outbox import TelegramOutboxSender
from bot.channels.telegram.sender import TelegramSender
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.notify import DIRECT
from storage import Store
from storage.outbox import Delivery, Outcome
from storage.tickets import Link
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
CHAT = "4242"
LEASE = timedelta(seconds=2)


class Ticks:
    """The renewer's pause, driven by the test: `tick()` ends one pause and returns once the
    renewer is pausing again, so its renewal has committed."""

    def __init__(self) -> None:
        self._changed = asyncio.Condition()
        self.entered = 0
        self.released = 0

    async def __call__(self, _seconds: float) -> None:
        async with self._changed:
            self.entered += 1
            self._changed.notify_all()
            number = self.entered
            await self._changed.wait_for(lambda: self.released >= number)

    async def tick(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.entered > self.released)
            self.released = self.entered
            self._changed.notify_all()
            await self._changed.wait_for(lambda: self.entered > self.released)


class SlowRecord(OutboxDispatcher):
    """Its commits of outcomes wait for `go` (a database slow under load)."""

    go: asyncio.Event
    waiting: asyncio.Event

    async def _record(self, taken: list[tuple[Delivery, Outcome]], links: list[Link]) -> None:
        self.waiting.set()
        await self.go.wait()
        await super()._record(taken, links)


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


async def test_a_send_answered_after_the_lease_is_sent_once(
    api: FakeTelegramAPI, store: Store, other_store: Store, clock: FakeClock
) -> None:
    async with Bot(api.token, base_url=api.base_url) as bot:
        sender = TelegramOutboxSender(TelegramSender(bot))
        ticks = Ticks()
        first = SlowRecord(store, {"telegram": sender}, clock, lease=LEASE, pause=ticks)
        first.go, first.waiting = asyncio.Event(), asyncio.Event()
        # Another process's dispatcher on the same database.
        second = OutboxDispatcher(other_store, {"telegram": sender}, clock, lease=LEASE)
        async with store.transaction() as tx:
            tx.outbox.add(
                key="direct:1",
                channel="telegram",
                chat_id=CHAT,
                kind=DIRECT,
                payload={"text": "Your issue is logged as INT-1", "choices": []},
                now=clock.now(),
            )
        gate = api.hold("sendMessage")
        delivering = asyncio.create_task(first.deliver_due())
        await gate.arrived.wait()
        # Telegram has the message and takes three leases to answer: renewed, nobody else
        # may take it.
        for _ in range(3):
            clock.advance(LEASE * 0.9)
            await ticks.tick()
            assert await second.claim() == []
        gate.release.set()
        # Sent, and the commit that marks it so is slow: the lease still holds.
        await first.waiting.wait()
        for _ in range(3):
            clock.advance(LEASE * 0.9)
            await ticks.tick()
            assert await second.claim() == []
        first.go.set()
        assert await delivering == 1
    clock.advance(LEASE * 3)
    assert await second.claim() == []
    assert len(api.calls_of("sendMessage")) == 1
    async with store.transaction() as tx:
        assert [item.status for item in await tx.outbox.items()] == ["sent"]


async def test_a_lease_that_ran_out_mid_send_is_not_sent_again_by_its_own_process(
    api: FakeTelegramAPI, store: Store, clock: FakeClock
) -> None:
    """The process is too busy to renew (its renewer never gets to run) and its lease runs out
    while Telegram still holds the answer: its own next claim neither sends that row again nor
    anything after it in the chat; both go once, in order."""
    async with Bot(api.token, base_url=api.base_url) as bot:
        sender = TelegramOutboxSender(TelegramSender(bot))
        stuck = Ticks()  # never ticked: no renewal
        dispatcher = OutboxDispatcher(store, {"telegram": sender}, clock, lease=LEASE, pause=stuck)
        async with store.transaction() as tx:
            for number in (1, 2):
                tx.outbox.add(
                    key=f"direct:{number}",
                    channel="telegram",
                    chat_id=CHAT,
                    kind=DIRECT,
                    payload={"text": f"Answer {number}", "choices": []},
                    now=clock.now(),
                )
        gate = api.hold("sendMessage")
        first = asyncio.create_task(dispatcher.deliver(await dispatcher.claim()))
        await gate.arrived.wait()
        clock.advance(LEASE * 2)
        assert await dispatcher.claim() == []
        gate.release.set()
        assert await first == 2
    assert await dispatcher.deliver_due() == 0
    assert [c.params["text"] for c in api.calls_of("sendMessage")] == ["Answer 1", "Answer 2"]
