"""What operations cost on a large SQLite desk: one /metrics refresh (the backlog query) and one
`deskbot report` computation.

    python benchmarks/ops_cost.py [--tickets 200000] [--sent 1000000] [--pending 500]
                                  [--days 30] [--db PATH]

1. Fills a fresh SQLite database (Alembic schema) with `--tickets` tickets over the last 90 days
   (all severities, most acknowledged and resolved) and an outbox of `--sent` delivered rows
   plus `--pending` waiting ones on two channels, with bulk `executemany` inserts.
2. Times `Health.refresh_metrics()` (what every Prometheus scrape costs) and `/readyz`'s checks,
   best of 20.
3. Times `build_report` over the last `--days` days (query + MTTA/MTTR/SLA arithmetic,
   business hours included), best of 3, and the chart drawn from it once.

Prints one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.clock import SystemClock
from handlers.escalation.policy import EscalationPolicy
from handlers.ops.chart import render_chart
from handlers.ops.health import Health
from handlers.ops.report import build_report
from storage import Database, Store


def _t(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, tickets: int, sent: int, pending: int, now: datetime) -> None:
    rng = random.Random(15)
    severities = ["critical", "major", "minor", None]
    rows = []
    for n in range(1, tickets + 1):
        created = now - timedelta(seconds=rng.uniform(0, 90 * 86400))
        severity = rng.choice(severities)
        ack = created + timedelta(seconds=rng.expovariate(1 / 900)) if rng.random() < 0.9 else None
        res = (
            created + timedelta(seconds=rng.expovariate(1 / 14400)) if rng.random() < 0.8 else None
        )
        rows.append(
            (f"INT-{n}", "issue" if severity else "question", "t", "", severity, "resolved",
             rng.choice(["telegram", "slack"]), "u", "", "c", _t(created), _t(created), _t(ack),
             _t(res), _t(created + timedelta(minutes=15)), _t(created + timedelta(hours=4)))
        )  # fmt: skip
    outbox = []
    for n in range(sent + pending):
        at = now - timedelta(seconds=rng.uniform(0, 90 * 86400))
        status = "sent" if n < sent else "pending"
        outbox.append(
            (f"k{n}", rng.choice(["telegram", "slack"]), "c", "page" if n % 7 == 0 else "notice",
             '{"text": "x", "level": 1}', status, 0, _t(at), _t(at))
        )  # fmt: skip
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO ticket (reference, kind, title, description, severity, status, "
            "reporter_channel, reporter_user_id, reporter_name, reporter_chat_id, created_at, "
            "updated_at, acknowledged_at, resolved_at, acknowledge_due_at, resolve_due_at, "
            "escalation_level, escalation_repeats) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
            rows,
        )
        db.executemany(
            "INSERT INTO outbox (idempotency_key, channel, chat_id, kind, payload, status, "
            "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            outbox,
        )


async def best(times: int, work) -> float:  # type: ignore[no-untyped-def]
    fastest = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        await work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--sent", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=500)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deskbot-ops-"))
    path = args.db or folder / "ops.db"
    url = f"sqlite+aiosqlite:///{path}"
    now = datetime.now(UTC)
    async with Database(url) as database:
        await database.upgrade()
    started = time.perf_counter()
    fill(path, args.tickets, args.sent, args.pending, now)
    filled = time.perf_counter() - started
    async with Database(url) as database:
        store = Store(database)
        clock = SystemClock()
        health = Health(store, clock, {"telegram": lambda: True, "slack": lambda: True},
                        timedelta(minutes=2))  # fmt: skip
        scrape = await best(20, health.refresh_metrics)
        ready = await best(20, health.readiness)
        policy = EscalationPolicy()
        since = now - timedelta(days=args.days)
        report = await build_report(store, policy, since, now, now)
        compute = await best(3, lambda: build_report(store, policy, since, now, now))
        started = time.perf_counter()
        png = render_chart(report)
        chart = time.perf_counter() - started
    print(
        json.dumps(
            {
                "tickets": args.tickets,
                "outbox_sent": args.sent,
                "outbox_pending": args.pending,
                "fill_seconds": round(filled, 1),
                "metrics_refresh_ms": round(scrape * 1000, 2),
                "readyz_ms": round(ready * 1000, 2),
                "report_days": args.days,
                "report_tickets": report.total.opened,
                "report_ms": round(compute * 1000, 1),
                "chart_ms_first": round(chart * 1000, 1),
                "chart_bytes": len(png),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
