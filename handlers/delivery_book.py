"""The outbox dispatcher's bookkeeping: the outcomes of every batch in flight, written as they
come (`Ledger`), and what one batch holds (`Book`): its rows still open, alerts it posted, and
which rows' leases must be renewed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.outbox import SENT, Delivery, Outcome
from storage.tickets import Link

if TYPE_CHECKING:
    from handlers.delivery import OutboxDispatcher

log = logging.getLogger("handlers.delivery")

AlertKey = tuple[str, str, str]  # ticket reference, channel, chat


# A failed commit of outcomes is tried again after 0.2, 0.4, 0.8 ... s, at most this long. Only
# outcomes of messages the platform took are kept trying after GIVE_UP_AFTER failures in a row
# (their rows stay leased meanwhile, so nobody sends them twice); the others are given up on and
# go again once their lease ends, as they would have anyway.
MAX_RETRY_DELAY = 5.0
GIVE_UP_AFTER = 3


@dataclass(frozen=True, slots=True)
class _Entry:
    place: int
    item: Delivery
    outcome: Outcome
    link: Link | None


class Ledger:
    """Outcomes of every batch in flight, written as they come: while one commit runs, the
    outcomes that arrive meanwhile gather for the next, so a burst costs few commits and a lone
    message is marked sent right after the platform took it."""

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self.dispatcher = dispatcher
        self._queue: list[_Entry] = []
        self._unwritten: set[int] = set()  # places handed in, not written nor given up on
        self._writer: asyncio.Task[None] | None = None
        self._queued = 0  # outcomes handed in so far
        self._progress = asyncio.Event()
        # Shutting down: a failed write is not tried again (nobody would wait for it).
        self.stopping = False

    def add(self, item: Delivery, outcome: Outcome, link: Link | None) -> int:
        """Queue an outcome for the next commit; returns its place, for `written`."""
        self._queued += 1
        self._queue.append(_Entry(self._queued, item, outcome, link))
        self._unwritten.add(self._queued)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return self._queued

    def unwritten(self, place: int) -> bool:
        return place in self._unwritten

    async def written(self, places: Iterable[int]) -> None:
        """Until the outcomes at `places` are written (or given up on)."""
        places = list(places)
        while any(place in self._unwritten for place in places):
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
        failures = 0  # in a row
        while self._queue:
            taken, self._queue = self._queue, []
            try:
                await self.dispatcher._record(
                    [(entry.item, entry.outcome) for entry in taken],
                    [entry.link for entry in taken if entry.link is not None],
                )
            except Exception:
                failures += 1
                keep = taken
                if self.stopping:
                    keep = []
                elif failures > GIVE_UP_AFTER:
                    keep = [entry for entry in taken if entry.outcome.status == SENT]
                if len(keep) < len(taken):
                    # Their rows go again once their lease ends (sent ones: sent twice).
                    log.exception("could not record %d outbox outcomes", len(taken) - len(keep))
                    kept = {entry.place for entry in keep}
                    self._settle([entry for entry in taken if entry.place not in kept])
                if keep:
                    self._queue[:0] = keep
                    await self.dispatcher._pause(min(0.2 * 2 ** (failures - 1), MAX_RETRY_DELAY))
                continue
            failures = 0
            self._settle(taken)
        if self.dispatcher._held:
            self.dispatcher._wake.set()  # rows held behind these chats may go now

    def _settle(self, entries: list[_Entry]) -> None:
        self._unwritten.difference_update(entry.place for entry in entries)
        self._progress.set()
        self._progress = asyncio.Event()


class Book:
    """One batch in flight: its rows still open (their lease is renewed), alerts it posted."""

    def __init__(self, ledger: Ledger, batch: list[Delivery]) -> None:
        self.ledger = ledger
        self.items = {item.id: item for item in batch}
        self.open = set(self.items)
        self.alerts: dict[AlertKey, str] = {}
        self.sent = 0
        self._places: list[int] = []  # of its outcomes in the ledger
        # Rows settled here but not recorded yet, with their place in the ledger's line.
        self._recording: list[tuple[int, int]] = []

    def add(self, outcome: Outcome, link: Link | None = None) -> None:
        self.open.discard(outcome.id)
        if outcome.status == SENT:
            self.sent += 1
        place = self.ledger.add(self.items[outcome.id], outcome, link)
        self._places.append(place)
        self._recording.append((place, outcome.id))

    def leased(self) -> list[int]:
        """The rows whose lease must hold: still being sent, or sent and not yet marked so (a
        slow commit under load must not let another process take a sent row for a crash)."""
        unwritten = self.ledger.unwritten
        self._recording = [(place, id_) for place, id_ in self._recording if unwritten(place)]
        return sorted(self.open | {id_ for _, id_ in self._recording})

    def settled(self, item_id: int) -> None:
        """A row settled elsewhere (a cancelled page): no outcome to write, no lease to renew."""
        self.open.discard(item_id)

    async def close(self) -> None:
        await self.ledger.written(self._places)
