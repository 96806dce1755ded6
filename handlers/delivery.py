"""Delivering the outbox: due messages are leased in batches, sent concurrently across chats
(in order within each chat), and their outcomes recorded together: sent, or scheduled again
with backoff when the platform is rate-limiting, failing or down."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Protocol

from handlers.clock import Clock
from handlers.messages import t
from handlers.notify import ALERT, ALERT_UPDATE, NOTICE, PAGE, TIMELINE, Notifier
from storage.outbox import FAILED, PENDING, SENT, Delivery, Outcome
from storage.store import Store, Transaction
from storage.tickets import Link

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
LEASE = timedelta(seconds=120)
BATCH = 200


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


AlertKey = tuple[str, str, str]  # ticket reference, channel, chat
# Posted messages worth tying back to their ticket: a reply to any of them is about that ticket.
LINKED = (ALERT, TIMELINE, PAGE)


class OutboxDispatcher:
    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        clock: Clock,
        notifier: Notifier | None = None,
    ) -> None:
        self.store = store
        self.senders = dict(senders)
        self.clock = clock
        # Tells the team when a notice cannot reach its reporter; None: nobody to tell.
        self.notifier = notifier
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def deliver_due(self) -> int:
        """Deliver everything due now; returns how many were sent."""
        sent = 0
        while True:
            async with self.store.transaction() as tx:
                batch = await tx.outbox.claim_due(
                    list(self.senders), self.clock.now(), LEASE, BATCH
                )
            if not batch:
                return sent
            alerts: dict[AlertKey, str] = {}
            links: list[Link] = []
            chats: dict[tuple[str, str], list[Delivery]] = {}
            for item in batch:
                chats.setdefault((item.channel, item.chat_id), []).append(item)
            results = await asyncio.gather(
                *(self._send_chat(items, alerts, links) for items in chats.values())
            )
            outcomes = [outcome for chat in results for outcome in chat]
            async with self.store.transaction() as tx:
                await tx.outbox.record(outcomes)
                await tx.tickets.link_messages(links, self.clock.now())
                await self._report_undeliverable(tx, batch, outcomes)
            sent += sum(1 for outcome in outcomes if outcome.status == SENT)
            if len(batch) < BATCH:
                return sent

    def _voice(self, item: Delivery) -> AbstractContextManager[None]:
        if self.notifier is None or item.kind == NOTICE:
            return nullcontext()
        return self.notifier.for_team()

    async def _report_undeliverable(
        self, tx: Transaction, batch: list[Delivery], outcomes: list[Outcome]
    ) -> None:
        """A notice the reporter will never get (blocked bot, chat gone) is said in the ticket's
        timeline, so the team does not take a reply for delivered when it was not."""
        if self.notifier is None:
            return
        items = {item.id: item for item in batch}
        for outcome in outcomes:
            item = items[outcome.id]
            if outcome.status != FAILED or item.kind != NOTICE or not item.ticket_reference:
                continue
            ticket = await tx.tickets.get(item.ticket_reference)
            if ticket is not None:
                with self.notifier.for_team():
                    text = t(
                        "timeline.undeliverable", reference=ticket.reference, reason=outcome.error
                    )
                self.notifier.timeline(tx, ticket, text, self.clock.now())

    async def _send_chat(
        self, items: list[Delivery], alerts: dict[AlertKey, str], links: list[Link]
    ) -> list[Outcome]:
        """Send one chat's messages in order; after a failure the rest wait for the same retry,
        so a chat never sees them out of order."""
        outcomes: list[Outcome] = []
        for index, item in enumerate(items):
            try:
                alert_id = await self._alert_id(item, alerts)
                # What an adapter adds to a team message (its alert layout, a Reply button) is
                # in the team's language; a notice's own text was written in the reporter's.
                with self._voice(item):
                    message_id = await self.senders[item.channel].deliver(item, alert_id)
            except Exception as exc:
                failure = self._failure(item, exc)
                outcomes.append(failure)
                if failure.status == PENDING:
                    held = [
                        Outcome(
                            rest.id,
                            PENDING,
                            failure.at,
                            error="held behind an earlier message",
                            tried=False,
                        )
                        for rest in items[index + 1 :]
                    ]
                    return outcomes + held
                continue
            outcomes.append(Outcome(item.id, SENT, self.clock.now(), message_id))
            if item.kind in LINKED and message_id and item.ticket_reference:
                link = Link(
                    item.ticket_reference, item.channel, item.chat_id, message_id, item.kind
                )
                links.append(link)
                if item.kind == ALERT:
                    alerts[(item.ticket_reference, item.channel, item.chat_id)] = message_id
        return outcomes

    async def _alert_id(self, item: Delivery, alerts: dict[AlertKey, str]) -> str | None:
        # Pages get it too, so a channel can put them in the ticket's thread.
        if item.kind not in (ALERT_UPDATE, TIMELINE, PAGE) or not item.ticket_reference:
            return None
        key = (item.ticket_reference, item.channel, item.chat_id)
        if key in alerts:  # posted earlier in this same batch
            return alerts[key]
        async with self.store.transaction() as tx:
            return await tx.tickets.alert_message_id(*key)

    def _failure(self, item: Delivery, exc: Exception) -> Outcome:
        if not isinstance(exc, SendError):
            # A sender bug must not stop delivery of everything else; retried like an outage.
            log.error("delivering outbox item %s failed", item.id, exc_info=exc)
            exc = SendError(f"{type(exc).__name__}: {exc}")
        if exc.permanent:
            log.warning("outbox item %s dropped: %s", item.id, exc)
            return Outcome(item.id, FAILED, error=str(exc))
        delay = exc.retry_after if exc.retry_after is not None else backoff(item.attempts)
        log.info("outbox item %s will be retried in %.0fs: %s", item.id, delay, exc)
        return Outcome(
            item.id, PENDING, self.clock.now() + timedelta(seconds=delay), error=str(exc)
        )

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
