"""Delivering the outbox: due messages are leased in batches, sent concurrently across chats
(in order within each chat), and each outcome is written as soon as it is known: sent, or
scheduled again with backoff when the platform is rate-limiting, failing or down.

Crash window: a lease lasts seconds and is renewed while its batch is in flight (until each
outcome is written, not just known: a platform answering late or a slow commit is no crash),
and a message is marked sent in the first commit after the platform accepted it (outcomes that
arrive together share one commit). A process killed mid-batch therefore leaves at most the
messages the platform had just accepted unmarked; they are sent again when the lease runs out
(LEASE), by any process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Protocol

from handlers import faults
from handlers.clock import Clock
from handlers.delivery_book import AlertKey, Book, Ledger
from handlers.messages import t
from handlers.notify import (
    ALERT,
    ALERT_UPDATE,
    ATTACHMENT,
    NOTICE,
    PAGE,
    TEAM_KINDS,
    TIMELINE,
    Notifier,
)
from storage.outbox import FAILED, PENDING, SENT, Delivery, Outcome
from storage.store import Store, Transaction
from storage.tickets import Link

log = logging.getLogger(__name__)

# A message that failed (5xx, timeout, refused connection) is tried again after 1, 2, 4 ... s,
# at most this long: after an outage every waiting message goes within a minute of recovery.
MAX_BACKOFF = 60.0
# How long a leased row is left alone (the default of `[desk] outbox_lease_seconds`); renewed
# every RENEW_EVERY (or a third of the lease) while its batch is in flight.
LEASE = timedelta(seconds=10)
RENEW_EVERY = 3.0
BATCH = 200
# Every page is checked against its ticket right before it goes (the check at claim time can be
# seconds old behind a slow chat): a page queued before an ack is never sent after the ack
# committed. One short query per page; only a page already on its way when the ack commits
# still arrives.
RECHECK_PAGE_AFTER = 0.0
# Batches in flight at once: a chat waiting out flood control does not hold up the others.
MAX_BATCHES_IN_FLIGHT = 4


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


def rank(item: Delivery) -> int:
    """Critical alerts and pages go to a team chat before anything else waiting for it, so a
    genuine outage is not queued behind a backlog. A ticket's own messages keep their order:
    its alert is first among them anyway, and pages only follow it."""
    facts = item.payload.get("ticket") or {}
    urgent = item.kind in (ALERT, PAGE) and facts.get("severity") == "critical"
    return 0 if urgent else 1


# Posted messages worth tying back to their ticket: a reply to any of them is about that ticket.
LINKED = (ALERT, TIMELINE, PAGE)


class OutboxDispatcher:
    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        clock: Clock,
        notifier: Notifier | None = None,
        lease: timedelta = LEASE,
        pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.store = store
        self.lease = lease
        # Every wait of its own: between lease renewals, before a failed write of outcomes is
        # tried again (tests drive it instead of waiting).
        self._pause = pause
        self.senders = dict(senders)
        self.clock = clock
        # Tells the team when a notice cannot reach its reporter; None: nobody to tell.
        self.notifier = notifier
        self._wake = asyncio.Event()
        self._batches = 0  # batches being delivered by this process
        self._flying: set[int] = set()  # their rows
        self._direct: set[asyncio.Task[int]] = set()
        self._ledger = Ledger(self)
        # Rows may be waiting behind this process's leases: worth a claim when a batch lands.
        self._held = True
        self._quiet = asyncio.Event()
        self._quiet.set()

    def wake(self) -> None:
        self._held = True
        self._wake.set()

    def send_now(self, batch: list[Delivery]) -> None:
        """Deliver rows written leased to this process (answers, right after their commit)."""
        task = asyncio.create_task(self.deliver(batch))
        self._direct.add(task)
        task.add_done_callback(self._direct.discard)

    async def deliver_due(self) -> int:
        """Deliver everything due now; returns how many were sent."""
        sent = 0
        while True:
            batch = await self.claim()
            if not batch:
                return sent
            sent += await self.deliver(batch)
            if len(batch) < BATCH:
                return sent

    def _voice(self, item: Delivery) -> AbstractContextManager[None]:
        if self.notifier is None or item.kind not in TEAM_KINDS:
            return nullcontext()
        return self.notifier.for_team()

    async def claim(self) -> list[Delivery]:
        """Lease the next due rows; pages whose ticket was acknowledged meanwhile are cancelled
        instead."""
        batches = self._batches
        async with self.store.transaction() as tx:
            batch = await tx.outbox.claim_due(
                list(self.senders), self.clock.now(), self.lease, BATCH
            )
            # A row this process is still sending whose lease ran out (the loop too busy to
            # renew it in time; the claim just renewed it) is not sent a second time, and
            # nothing after it in its chat goes before it.
            busy = {(item.channel, item.chat_id) for item in batch if item.id in self._flying}
            if busy:
                later = [i for i in batch if (i.channel, i.chat_id) in busy]
                await tx.outbox.unclaim([i.id for i in later if i.id not in self._flying])
                batch = [i for i in batch if (i.channel, i.chat_id) not in busy]
            pages = [item.id for item in batch if item.kind == PAGE]
            cancelled = set(await tx.outbox.cancel_acknowledged_pages(pages))
        if not batch and not batches:
            self._held = False  # nothing due, nothing of ours in flight: nothing held
        return [item for item in batch if item.id not in cancelled]

    async def deliver(self, batch: list[Delivery]) -> int:
        """Send rows this process has leased: chats side by side, each chat in order. Returns
        how many were sent."""
        book = Book(self._ledger, batch)
        self._flying.update(book.items)
        self._batches += 1
        self._quiet.clear()
        renewer = asyncio.create_task(self._renew(book))
        claimed_at = time.monotonic()
        chats: dict[tuple[str, str], list[Delivery]] = {}
        for item in sorted(batch, key=lambda item: (rank(item), item.id)):
            chats.setdefault((item.channel, item.chat_id), []).append(item)
        try:
            await asyncio.gather(
                *(self._send_chat(items, book, claimed_at) for items in chats.values())
            )
        finally:
            try:
                # The lease holds until the outcomes are written, not just known.
                await book.close()
            finally:
                renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
            self._flying.difference_update(book.items)
            self._report_taken_over(batch, book)
            self._batches -= 1
            if not self._batches:
                self._quiet.set()
        return book.sent

    def _report_taken_over(self, batch: list[Delivery], book: Book) -> None:
        """One line after a crash: the messages a stopped sender held, delivered again once
        its lease ran out (the reliability tests await this line too)."""
        taken = [item for item in batch if item.taken_over]
        if taken:
            log.info(
                "outbox: %d message(s) left leased by a sender that stopped were taken over "
                "and delivered again (%d in this batch sent)",
                len(taken),
                book.sent,
            )

    async def settle(self) -> None:
        """Until nothing is due and nothing is being delivered by this process (the console
        prints a line's answers before it reads the next)."""
        while True:
            await self.deliver_due()
            if not self._batches:
                return
            await self._quiet.wait()

    async def _renew(self, book: Book) -> None:
        while True:
            await self._pause(min(RENEW_EVERY, self.lease.total_seconds() / 3))
            try:
                # Urgent: behind a backlog of turns the lease could lapse while a send is in
                # flight, and another process would send the message again.
                async with self.store.transaction(urgent=True) as tx:
                    await tx.outbox.renew(book.leased(), self.clock.now() + self.lease)
            except Exception:
                log.exception("could not renew the outbox lease")

    async def _record(self, taken: list[tuple[Delivery, Outcome]], links: list[Link]) -> None:
        outcomes = [outcome for _, outcome in taken]
        # Urgent, as renewals are: sent rows stay leased only until this lands.
        async with self.store.transaction(urgent=True) as tx:
            await tx.outbox.record(outcomes)
            await tx.tickets.link_messages(links, self.clock.now())
            await self._report_undeliverable(tx, {item.id: item for item, _ in taken}, outcomes)

    async def _report_undeliverable(
        self, tx: Transaction, items: Mapping[int, Delivery], outcomes: list[Outcome]
    ) -> None:
        """A notice the reporter will never get (blocked bot, chat gone) is said in the ticket's
        timeline, so the team does not take a reply for delivered when it was not."""
        if self.notifier is None:
            return
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

    async def _send_chat(self, items: list[Delivery], book: Book, claimed_at: float) -> None:
        """Send one chat's messages in order; after a failure the rest wait for the same retry,
        so a chat never sees them out of order."""
        for index, item in enumerate(items):
            if item.kind == PAGE and time.monotonic() - claimed_at >= RECHECK_PAGE_AFTER:
                async with self.store.transaction() as tx:
                    if await tx.outbox.cancel_acknowledged_pages([item.id]):
                        book.settled(item.id)
                        continue
            try:
                alert_id = await self._alert_id(item, book.alerts)
                # What an adapter adds to a team message (its alert layout, a Reply button) is
                # in the team's language; a notice's own text was written in the reporter's.
                with self._voice(item):
                    message_id = await self.senders[item.channel].deliver(item, alert_id)
            except Exception as exc:
                failure = self._failure(item, exc)
                book.add(failure)
                if failure.status == PENDING:
                    for rest in items[index + 1 :]:
                        held = "held behind an earlier message"
                        book.add(Outcome(rest.id, PENDING, failure.at, error=held, tried=False))
                    return
                continue
            faults.reach("reply.accepted")
            link = None
            if item.kind in LINKED and message_id and item.ticket_reference:
                link = Link(
                    item.ticket_reference, item.channel, item.chat_id, message_id, item.kind
                )
                if item.kind == ALERT:
                    book.alerts[(item.ticket_reference, item.channel, item.chat_id)] = message_id
            book.add(Outcome(item.id, SENT, self.clock.now(), message_id), link)

    async def _alert_id(self, item: Delivery, alerts: dict[AlertKey, str]) -> str | None:
        # Pages get it too, so a channel can put them in the ticket's thread. The alert, being
        # older in the same chat, has been sent and recorded before this row could be leased.
        if item.kind not in (ALERT_UPDATE, TIMELINE, PAGE, ATTACHMENT) or not item.ticket_reference:
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
        other processes, retries that have come due and leases a crashed process left. Several
        batches may be in flight, so one slow chat does not hold up the rest."""
        flying: set[asyncio.Task[int]] = set()
        self._ledger.stopping = False
        try:
            while True:
                self._wake.clear()
                try:
                    while len(flying) < MAX_BATCHES_IN_FLIGHT:
                        batch = await self.claim()
                        if not batch:
                            break
                        task = asyncio.create_task(self.deliver(batch))
                        flying.add(task)
                        task.add_done_callback(self._landed(flying))
                except Exception:
                    log.exception("outbox delivery pass failed")
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that lands just as the event is set, and the loop would never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(poll_seconds):
                        await self._wake.wait()
        finally:
            # Their outcomes still get written, but a failed write is not retried for ever.
            self._ledger.stopping = True
            for task in list(flying):
                task.cancel()
            # Their bookkeeping runs in `deliver`'s finally: let it end before the caller closes
            # the database, instead of leaving tasks the event loop must reap at shutdown.
            await asyncio.gather(*flying, return_exceptions=True)

    def _landed(self, flying: set[asyncio.Task[int]]) -> Callable[[asyncio.Task[int]], None]:
        def done(task: asyncio.Task[int]) -> None:
            flying.discard(task)
            if not task.cancelled() and task.exception() is not None:
                log.error("outbox batch failed", exc_info=task.exception())
            self.wake()

        return done
