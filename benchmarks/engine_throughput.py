"""Drive the conversation engine in-process through complete report flows and print messages per
second, latency percentiles and SQL statements per message.

    python benchmarks/engine_throughput.py [--flows 500] [--concurrency 1]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1/deskbot_bench]
        [--pool-size 10] [--max-overflow 10]

Each flow is 6 messages (report, title, details, environment, severity, confirm) from a distinct
merchant; a confirm writes the ticket, its audit event and the team alert to the outbox.
`--concurrency N` runs N conversations at once (each one message at a time, as a chat is
handled in order), as N merchants talking to one process would. SQLite by default (a temporary
file); `--database-url` runs on PostgreSQL (that database is emptied first).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from benchmarks.bench_db import add_database_argument, prepare
from handlers.desk import Desk, DeskSettings
from handlers.events import Incoming
from handlers.notify import Target
from storage import Database, Store


def _steps(user: str) -> list[Incoming]:
    base = {"channel": "console", "chat_id": user, "user_id": user, "display_name": user}
    return [
        Incoming(**base, text="/report"),
        Incoming(**base, text=f"USSD push fails for {user}"),
        Incoming(**base, text="initiate-ussd-push-request returns 500; request id r-1"),
        Incoming(**base, choice="env:production"),
        Incoming(**base, choice="sev:critical"),
        Incoming(**base, choice="confirm:yes"),
    ]


STEP_NAMES = ("report", "title", "details", "environment", "severity", "confirm")


async def _flow(
    desk: Desk, user: str, latencies: list[float], by_step: dict[str, list[float]]
) -> None:
    for name, incoming in zip(STEP_NAMES, _steps(user), strict=True):
        started = time.perf_counter()
        await desk.handle(incoming)
        elapsed = time.perf_counter() - started
        latencies.append(elapsed)
        by_step.setdefault(name, []).append(elapsed)


async def main(options: argparse.Namespace) -> None:
    flows, concurrency = options.flows, options.concurrency
    with tempfile.TemporaryDirectory() as folder:
        url = await prepare(options.database_url, Path(folder))
        database = Database(url, options.pool_size, options.max_overflow)
        await database.upgrade()
        statements = [0]

        def count(*_: object) -> None:
            statements[0] += 1

        # Statements through SQLAlchemy (SQLite's per-message ones bypass it: see inline_sqlite).
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        desk = Desk(Store(database), DeskSettings(), team_targets=[Target("console", "team")])
        # First-use costs (statement compilation) are not counted.
        await _flow(desk, "warmup", [], {})
        latencies: list[float] = []
        by_step: dict[str, list[float]] = {}
        queue = [f"merchant-{n}" for n in range(flows)]

        async def worker() -> None:
            while queue:
                await _flow(desk, queue.pop(), latencies, by_step)

        statements[0] = 0
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        dialect = database.dialect
        await database.close()
    latencies.sort()
    count = len(latencies)
    p = lambda q: latencies[min(count - 1, int(q * count))] * 1000  # noqa: E731
    print(f"database: {dialect}  flows: {flows}  messages: {count}  concurrency: {concurrency}")
    print(f"throughput: {count / elapsed:,.0f} messages/s")
    print(
        f"latency ms: p50 {p(0.50):.2f}  p90 {p(0.90):.2f}  p99 {p(0.99):.2f}  "
        f"max {latencies[-1] * 1000:.2f}  mean {statistics.fmean(latencies) * 1000:.2f}"
    )
    print(f"SQL statements through SQLAlchemy per message: {statements[0] / count:.2f}")
    print(
        "mean ms by step: "
        + "  ".join(f"{name} {statistics.fmean(v) * 1000:.2f}" for name, v in by_step.items())
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1, help="conversations at once")
    parser.add_argument("--pool-size", type=int, default=10, help="PostgreSQL pool size")
    parser.add_argument("--max-overflow", type=int, default=10, help="PostgreSQL pool overflow")
    add_database_argument(parser)
    asyncio.run(main(parser.parse_args()))
