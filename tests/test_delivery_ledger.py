"""Writing the outbox's outcomes (handlers.delivery_book): a failed commit is tried again after
the dispatcher's own pause, failures in a row start over after a success, and a sent message's
outcome is kept trying, its row leased, until it is written."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from handlers.delivery_book import GIVE_UP_AFTER, Book, Ledger
from storage.outbox import PENDING, SENT, Delivery, Outcome
from storage.tickets import Link

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Records:
    """The dispatcher as the ledger sees it: its commits fail `failing` times, then work."""

    def __init__(self) -> None:
        self.failing = 0
        self.written: list[tuple[int, str]] = []
        self.pauses: list[float] = []
        self.leased_in_pauses: list[list[int]] = []
        self.book: Book | None = None
        self._held = False
        self._wake = asyncio.Event()

    async def _record(self, taken: list[tuple[Delivery, Outcome]], links: list[Link]) -> None:
        if self.failing:
            self.failing -= 1
            raise OSError("connection reset by peer")
        self.written += [(outcome.id, outcome.status) for _, outcome in taken]

    async def _pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        assert self.book is not None
        self.leased_in_pauses.append(self.book.leased())


def _row(id_: int) -> Delivery:
    return Delivery(id_, f"direct:{id_}", "console", "alice", None, "direct", None, {}, 0)


def _book(records: Records, ledger: Ledger, *ids: int) -> Book:
    records.book = Book(ledger, [_row(id_) for id_ in ids])
    return records.book


async def test_failures_in_a_row_start_over_after_a_write_succeeds() -> None:
    records = Records()
    ledger = Ledger(records)  # type: ignore[arg-type]
    book = _book(records, ledger, 1)
    records.failing = GIVE_UP_AFTER
    book.add(Outcome(1, SENT, NOW, "m1"))
    await book.close()
    assert records.written == [(1, SENT)]
    assert records.pauses == [0.2, 0.4, 0.8]
    # A long-lived writer: the next outcome gets its full share of retries again, even one
    # that is not a sent message's.
    book = _book(records, ledger, 2)
    records.failing = GIVE_UP_AFTER
    book.add(Outcome(2, PENDING, NOW, error="429"))
    await book.close()
    assert records.written == [(1, SENT), (2, PENDING)]
    assert records.pauses == [0.2, 0.4, 0.8] * 2


async def test_a_sent_outcome_is_kept_trying_and_leased_until_written() -> None:
    records = Records()
    ledger = Ledger(records)  # type: ignore[arg-type]
    book = _book(records, ledger, 1, 2)
    records.failing = GIVE_UP_AFTER + 4
    book.add(Outcome(1, SENT, NOW, "m1"))
    book.add(Outcome(2, PENDING, NOW, error="held behind an earlier message", tried=False))
    await book.close()
    # The platform has message 1: it is never given up on (another process would send it
    # again), and stays leased all along. Message 2 is given up on after GIVE_UP_AFTER: its
    # lease ends and it goes again, as it would have.
    assert records.written == [(1, SENT)]
    assert len(records.pauses) == GIVE_UP_AFTER + 4
    assert records.pauses == sorted(records.pauses) and max(records.pauses) <= 5.0
    assert records.leased_in_pauses[:GIVE_UP_AFTER] == [[1, 2]] * GIVE_UP_AFTER
    assert records.leased_in_pauses[GIVE_UP_AFTER:] == [[1]] * 4
    assert book.leased() == []


async def test_at_shutdown_a_failed_write_is_not_retried() -> None:
    records = Records()
    ledger = Ledger(records)  # type: ignore[arg-type]
    ledger.stopping = True
    book = _book(records, ledger, 1)
    records.failing = 1
    book.add(Outcome(1, SENT, NOW, "m1"))
    await book.close()
    assert (records.written, records.pauses) == ([], [])
