"""Delivering the outbox: each due message is leased, handed to its channel's sender, and marked
sent, or scheduled again with backoff when the platform is rate-limiting, failing or down."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Protocol

from handlers.clock import Clock
from handlers.notify import ALERT, ALERT_UPDATE, TIMELINE
from storage.outbox import Delivery
from storage.store import Store

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
LEASE = timedelta(seconds=120)


class SendError(Exception):
    """A delivery failed. `retry_after` comes from the platform (429); `permanent` means trying
    again cannot help (the chat is gone, the bot was blocked)."""

    def __init__(self, reason: str, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Sender(Protocol):
    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        """Send one message; returns the platform's id for the message it posted, if any."""
        ...


def backoff(attempts: int) -> float:
    return min(2.0 ** max(attempts, 0), MAX_BACKOFF)


class OutboxDispatcher:
    def __init__(self, store: Store, senders: Mapping[str, Sender], clock: Clock) -> None:
        self.store = store
        self.senders = dict(senders)
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def deliver_due(self) -> int:
        """Deliver everything due now, in order; returns how many were sent."""
        sent = 0
        while True:
            now = self.clock.now()
            async with self.store.transaction() as tx:
                batch = await tx.outbox.claim_due(list(self.senders), now, LEASE)
            if not batch:
                return sent
            for item in batch:
                sent += await self._deliver_one(item)

    async def _deliver_one(self, item: Delivery) -> int:
        alert_id: str | None = None
        if item.kind in (ALERT_UPDATE, TIMELINE) and item.ticket_reference:
            async with self.store.transaction() as tx:
                alert_id = await tx.tickets.alert_message_id(
                    item.ticket_reference, item.channel, item.chat_id
                )
        try:
            message_id = await self.senders[item.channel].deliver(item, alert_id)
        except SendError as exc:
            await self._failed(item, exc)
            return 0
        except Exception as exc:  # a sender bug must not stop delivery of everything else
            log.exception("delivering outbox item %s failed", item.id)
            await self._failed(item, SendError(f"{type(exc).__name__}: {exc}"))
            return 0
        now = self.clock.now()
        async with self.store.transaction() as tx:
            await tx.outbox.mark_sent(item.id, now, message_id)
            if item.kind == ALERT and message_id and item.ticket_reference:
                ticket = await tx.tickets.get(item.ticket_reference)
                if ticket is not None and ticket.id is not None:
                    tx.tickets.link_message(ticket.id, item.channel, item.chat_id, message_id, now)
        return 1

    async def _failed(self, item: Delivery, error: SendError) -> None:
        async with self.store.transaction() as tx:
            if error.permanent:
                log.warning("outbox item %s dropped: %s", item.id, error)
                await tx.outbox.mark_failed(item.id, str(error))
                return
            delay = error.retry_after if error.retry_after is not None else backoff(item.attempts)
            log.info("outbox item %s will be retried in %.0fs: %s", item.id, delay, error)
            retry_at = self.clock.now() + timedelta(seconds=delay)
            await tx.outbox.mark_retry(item.id, retry_at, str(error))

    async def run(self, poll_seconds: float = 1.0) -> None:
        """Deliver until cancelled. Woken at once by `wake()`; the poll picks up rows written by
        other processes and retries that have come due."""
        while True:
            self._wake.clear()
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox delivery pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll_seconds)
