"""The outbox dispatcher's bookkeeping: the outcomes of every batch in flight, written as they
come (`Ledger`), and what one batch holds (`Book`): its rows still open, alerts it posted, and
which rows' leases must be renewed."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from storage.outbox import SENT, Delivery, Outcome
from storage.tickets import Link

if TYPE_CHECKING:
    from handlers.delivery import OutboxDispatcher

log = logging.getLogger("handlers.delivery")

AlertKey = tuple[str, str, str]  # ticket reference, channel, chat


class Ledger:
    """Outcomes of every batch in flight, written as they come: while one commit runs, the
    outcomes that arrive meanwhile gather for the next, so a burst costs few commits and a lone
    message is marked sent right after the platform took it."""

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self.dispatcher = dispatcher
        self._outcomes: list[tuple[Delivery, Outcome]] = []
        self._links: list[Link] = []
        self._writer: asyncio.Task[None] | None = None
        self._queued = 0  # outcomes handed in so far
        self._done = 0  # outcomes written (or given up on)
        self._progress = asyncio.Event()

    def add(self, item: Delivery, outcome: Outcome, link: Link | None) -> int:
        """Queue an outcome for the next commit; returns its place in line for `written`."""
        self._outcomes.append((item, outcome))
        if link is not None:
            self._links.append(link)
        self._queued += 1
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return self._queued

    @property
    def done(self) -> int:
        """Outcomes written (or given up on) so far, in the order `add` numbered them."""
        return self._done

    async def written(self, place: int) -> None:
        while self._done < place:
            writer = self._writer
            if writer is None or writer.done():
                # The writer was stopped (cancelled at shutdown): nobody will write these; their
                # rows go again when the lease ends. Waiting on would hang the shutdown.
                return
            progress = self._progress
            await progress.wait()

    async def _write(self) -> None:
        try:
            await self._write_all()
        finally:
            # Wakes `written` even when cancelled; a fresh event, or a waiter would spin on
            # the set one while a later writer works.
            self._progress.set()
            self._progress = asyncio.Event()

    async def _write_all(self) -> None:
        failures = 0
        while self._outcomes:
            taken, links = self._outcomes, self._links
            self._outcomes, self._links = [], []
            try:
                await self.dispatcher._record(taken, links)
            except Exception:
                failures += 1
                if failures <= 3:
                    self._outcomes[:0], self._links[:0] = taken, links
                    await asyncio.sleep(0.2 * failures)
                    continue
                # The database is gone: these rows are sent again once their lease ends.
                log.exception("could not record %d outbox outcomes", len(taken))
            self._done += len(taken)
            self._progress.set()
            self._progress = asyncio.Event()
        if self.dispatcher._held:
            self.dispatcher._wake.set()  # rows held behind these chats may go now


class Book:
    """One batch in flight: its rows still open (their lease is renewed), alerts it posted."""

    def __init__(self, ledger: Ledger, batch: list[Delivery]) -> None:
        self.ledger = ledger
        self.items = {item.id: item for item in batch}
        self.open = set(self.items)
        self.alerts: dict[AlertKey, str] = {}
        self.sent = 0
        self._last = 0
        # Rows settled here but not recorded yet, with their place in the ledger's line.
        self._recording: list[tuple[int, int]] = []

    def add(self, outcome: Outcome, link: Link | None = None) -> None:
        self.open.discard(outcome.id)
        if outcome.status == SENT:
            self.sent += 1
        self._last = self.ledger.add(self.items[outcome.id], outcome, link)
        self._recording.append((self._last, outcome.id))

    def leased(self) -> list[int]:
        """The rows whose lease must hold: still being sent, or sent and not yet marked so (a
        slow commit under load must not let another process take a sent row for a crash)."""
        done = self.ledger.done
        self._recording = [(place, id_) for place, id_ in self._recording if place > done]
        return sorted(self.open | {id_ for _, id_ in self._recording})

    def settled(self, item_id: int) -> None:
        """A row settled elsewhere (a cancelled page): no outcome to write, no lease to renew."""
        self.open.discard(item_id)

    async def close(self) -> None:
        await self.ledger.written(self._last)
