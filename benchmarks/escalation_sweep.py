"""Escalation at scale: the cost of one sweep over a large SQLite desk, and how late pages go out.

    python benchmarks/escalation_sweep.py [--tickets 1000000] [--open 3000] [--burst 1000]
                                          [--window 60] [--db PATH]

1. Fills a fresh SQLite database (Alembic schema) with `--tickets` tickets, all but `--open` of
   them resolved, with bulk `executemany` inserts.
2. Times `Escalator.sweep()` when nothing is due (the common case, what the safety-net interval
   costs) and when one ticket is due.
3. Runs the real thing on the real clock: the APScheduler wiring and the outbox dispatcher with a
   sender that accepts instantly, while `--burst` critical tickets are filed at random moments
   within `--window` seconds, with levels at 0s, 20s and 40s. Lateness is page-claim time minus
   due time, and sent time (outbox delivered) minus due time.

Targets (issue 5): a sweep under 10 ms; every page out within 1 s of its due time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import col, select

from bot.escalation_scheduler import EscalationScheduler
from handlers.clock import SystemClock
from handlers.delivery import OutboxDispatcher
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.escalation.policy import EscalationPolicy, Level
from handlers.notify import Notifier, Target
from storage import Database, Store
from storage.models import OutboxItem, Page, Status, Ticket
from storage.outbox import Delivery

COLUMNS = (
    "reference, kind, title, description, severity, environment, status, reporter_channel, "
    "reporter_user_id, reporter_name, reporter_chat_id, created_at, updated_at, acknowledged_at, "
    "resolved_at, escalation_level, escalation_repeats, next_escalation_at, acknowledge_due_at, "
    "resolve_due_at"
)


def _sql_time(moment: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DateTime storage format, naive UTC (see storage.types.UTCDateTime).
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, total: int, open_count: int, now: datetime) -> float:
    rng = random.Random(5)
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    severities = ("critical", "major", "minor")
    batch: list[tuple[object, ...]] = []
    placeholders = ", ".join("?" * len(COLUMNS.split(",")))
    sql = f"INSERT INTO ticket ({COLUMNS}) VALUES ({placeholders})"
    for number in range(1, total + 1):
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 700))
        severity = severities[number % 3]
        is_open = number > total - open_count
        acked = created + timedelta(minutes=5)
        if is_open:
            # Open tickets are acknowledged and waiting on their resolve clock, which is in the
            # future: they sit in the index but are not due.
            resolve_due = now + timedelta(minutes=rng.randint(10, 60 * 24 * 5))
            row = (
                f"INT-{number}", "issue", f"Bench ticket {number}", "", severity, "production",
                Status.acknowledged, "console", f"m{number % 5000}", "", f"m{number % 5000}",
                _sql_time(created), _sql_time(acked), _sql_time(acked), None, 1, 0,
                _sql_time(resolve_due), _sql_time(acked), _sql_time(resolve_due),
            )  # fmt: skip
        else:
            resolved = created + timedelta(hours=2)
            row = (
                f"INT-{number}", "issue", f"Bench ticket {number}", "", severity, "production",
                Status.resolved, "console", f"m{number % 5000}", "", f"m{number % 5000}",
                _sql_time(created), _sql_time(resolved), _sql_time(acked), _sql_time(resolved),
                1, 0, None, _sql_time(acked), _sql_time(resolved),
            )  # fmt: skip
        batch.append(row)
        if len(batch) == 50_000:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


class InstantSender:
    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        return f"bench-{item.id}"


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"n={len(ordered)} median={statistics.median(ordered) * 1000:.1f} ms "
        f"p99={p99 * 1000:.1f} ms max={ordered[-1] * 1000:.1f} ms"
    )


async def measure_sweeps(escalator: Escalator, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        await escalator.sweep()
        timings.append(time.perf_counter() - started)
    return timings


async def file_ticket(store: Store, escalator: Escalator, notifier: Notifier, n: int) -> None:
    now = escalator.clock.now()
    async with store.transaction() as tx:
        ticket = Ticket(
            title=f"Burst ticket {n}", description="payouts failing", severity="critical",
            environment="production", status=Status.open, reporter_channel="console",
            reporter_user_id=f"burst{n}", reporter_name="", reporter_chat_id=f"burst{n}",
            created_at=now, updated_at=now,
        )  # fmt: skip
        await tx.tickets.create(ticket, f"console:burst{n}")
        await escalator.created(tx, ticket, now)
        notifier.new_ticket(tx, ticket, now)


async def run(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    folder = Path(args.db).parent if args.db else Path(tempfile.mkdtemp(prefix="deskbench-"))
    path = Path(args.db) if args.db else folder / "bench.db"
    path.unlink(missing_ok=True)
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.upgrade()
    now = datetime.now(UTC)
    seconds = fill(path, args.tickets, args.open, now)
    print(f"filled {args.tickets:,} tickets ({args.open:,} open) in {seconds:.1f} s: {path}")

    store = Store(database, "INT")
    clock = SystemClock()
    team = [Target("console", "team")]
    notifier = Notifier(team)
    policy = EscalationPolicy(
        sweep_interval=timedelta(seconds=30),
        critical=EscalationPolicy().critical.__class__(
            acknowledge_within=timedelta(minutes=15),
            resolve_within=timedelta(hours=4),
            business_hours_only=False,
            levels=(
                Level(timedelta(0)),
                Level(timedelta(seconds=20), mention="everyone"),
                Level(timedelta(seconds=40), ("team", "leads"), "everyone"),
            ),
        ),
    )
    audience = Audience(team=tuple(team), leads=("console:lead",), members=("console:lead",))
    escalator = Escalator(store, policy, clock, notifier, audience)

    await measure_sweeps(escalator, 5)  # warm the connection pool and caches
    idle = await measure_sweeps(escalator, args.rounds)
    print(f"sweep, nothing due:      {summary(idle)}")
    await file_ticket(store, escalator, notifier, 0)
    started = time.perf_counter()
    await escalator.sweep()
    print(f"sweep, one page due:     {(time.perf_counter() - started) * 1000:.1f} ms")

    dispatcher = OutboxDispatcher(store, {"console": InstantSender()}, clock)

    async def sweep() -> datetime | None:
        before = escalator.pages_sent
        next_due = await escalator.sweep()
        if escalator.pages_sent != before:
            dispatcher.wake()
        return next_due

    scheduler = EscalationScheduler(policy, clock, sweep)
    escalator.wake = scheduler.wake_at
    scheduler.start()
    delivery = asyncio.create_task(dispatcher.run(poll_seconds=1.0))
    burst_began = clock.now()
    burst_start = time.monotonic()
    rng = random.Random(7)  # one generator: a fresh Random(7) per draw gives one offset 1000 times
    offsets = sorted(rng.uniform(0, args.window) for _ in range(args.burst))
    for n, offset in enumerate(offsets, start=1):
        delay = burst_start + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await file_ticket(store, escalator, notifier, n)
        dispatcher.wake()  # as the desk does after every transaction that queued messages
    # Let the last tickets reach their third level and the outbox drain.
    await asyncio.sleep(45)
    scheduler.shutdown()
    delivery.cancel()

    async with store.transaction() as tx:
        pages = (
            await tx.session.exec(
                select(Page.due_at, Page.created_at, Ticket.reference, Page.level, Page.repeat)
                .join(Ticket, col(Ticket.id) == Page.ticket_id)
                .where(col(Ticket.created_at) >= burst_began)
            )
        ).all()
        items = (
            await tx.session.exec(
                select(OutboxItem).where(
                    OutboxItem.kind == "page", col(OutboxItem.created_at) >= burst_began
                )
            )
        ).all()
    due = {(ref, level, repeat): due_at for due_at, _, ref, level, repeat in pages}
    claim_late = [(claimed - due_at).total_seconds() for due_at, claimed, *_ in pages]
    sent_late = []
    by_target: dict[str, list[float]] = {}
    for item in items:
        body = json.loads(item.payload)
        page_due = due.get((item.ticket_reference, body["level"], body["repeat"]))
        if page_due is None:
            continue  # the warm-up ticket filed before the burst
        sent = item.sent_at
        late = float("inf") if sent is None else (sent - page_due).total_seconds()
        sent_late.append(late)
        by_target.setdefault(f"level {body['level']} to {item.chat_id}", []).append(max(0.0, late))
    print(f"burst: {args.burst} critical tickets within {args.window:.0f} s on {args.tickets:,}")
    print(f"pages claimed {len(claim_late)} (expected {3 * args.burst}), outbox rows {len(items)}")
    print(f"page claim lateness:     {summary([max(0.0, v) for v in claim_late])}")
    print(f"page delivery lateness:  {summary([max(0.0, v) for v in sent_late])}")
    for target, values in sorted(by_target.items()):
        print(f"  {target:<18} {summary(values)}")
    within = sum(1 for v in sent_late if v <= 1.0)
    print(f"delivered within 1 s of due: {within}/{len(sent_late)}")
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=3000)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--db", default="")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
