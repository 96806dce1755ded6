"""Drive the conversation engine in-process through complete report flows and print messages per
second, latency percentiles and SQL statements per message.

    python benchmarks/engine_throughput.py [--flows 500] [--concurrency 1]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1/deskbot_bench]
        [--pool-size 10] [--max-overflow 10] [--durable-steps] [--wire-flows 100]

Each flow is 7 messages (report, title, details, no files, environment, severity, confirm) from a
distinct merchant; a confirm writes the ticket, its audit event and the team alert to the outbox.
`--concurrency N` runs N conversations at once (each one message at a time, as a chat is
handled in order), as N merchants talking to one process would. SQLite by default (a temporary
file); `--database-url` runs on PostgreSQL (that database is emptied first). On PostgreSQL,
`--wire-flows` more flows then run through a counting proxy (benchmarks/pg_wire.py) for the
round trips and statements per message as the server sees them; `--durable-steps` runs as
`[desk] durable_steps = true` does. `--outbox` runs it as the channels do: each message's
answers are written to the outbox in its transaction and sent (to a channel that takes them at
once) right after the commit, and a merchant answers once their question was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from sqlalchemy.engine import make_url

from benchmarks.bench_db import add_database_argument, prepare
from benchmarks.pg_wire import WireCounter, describe
from handlers.clock import SystemClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings, ReplyTo
from handlers.events import Incoming
from handlers.notify import Target
from storage import Database, Store
from storage.outbox import Delivery


def _steps(user: str) -> list[Incoming]:
    base = {"channel": "console", "chat_id": user, "user_id": user, "display_name": user}
    return [
        Incoming(**base, text="/report"),
        Incoming(**base, text=f"USSD push fails for {user}"),
        Incoming(**base, text="initiate-ussd-push-request returns 500; request id r-1"),
        Incoming(**base, choice="files:continue"),
        Incoming(**base, choice="env:production"),
        Incoming(**base, choice="sev:critical"),
        Incoming(**base, choice="confirm:yes"),
    ]


STEP_NAMES = ("report", "title", "details", "files", "environment", "severity", "confirm")


async def _flow(
    desk: Desk, user: str, latencies: list[float], by_step: dict[str, list[float]]
) -> None:
    # --outbox: as the channels do (console, Telegram, Slack), answers join the message's
    # transaction in the outbox, leased to this process and sent right after the commit; the
    # merchant answers once they have seen the question (its row sent and marked so).
    courier = desk.courier if isinstance(desk.courier, _Courier) else None
    reply_to = ReplyTo(user) if courier is not None else None
    for name, incoming in zip(STEP_NAMES, _steps(user), strict=True):
        started = time.perf_counter()
        await desk.handle(incoming, reply_to)
        elapsed = time.perf_counter() - started
        latencies.append(elapsed)
        by_step.setdefault(name, []).append(elapsed)
        if courier is not None:
            await courier.seen(user)


async def main(options: argparse.Namespace) -> None:
    flows, concurrency = options.flows, options.concurrency
    with tempfile.TemporaryDirectory() as folder:
        url = await prepare(options.database_url, Path(folder))
        database = Database(
            url, options.pool_size, options.max_overflow, durable_steps=options.durable_steps
        )
        await database.upgrade()
        statements = [0]

        def count(*_: object) -> None:
            statements[0] += 1

        # Statements through SQLAlchemy (SQLite's per-message ones bypass it: see inline_sqlite).
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        opened = [0]

        def connected(*_: object) -> None:
            opened[0] += 1

        # Connections opened while measuring: each costs milliseconds (and its statements are
        # prepared again), so a pool that keeps opening them shows here.
        event.listen(database.engine.sync_engine, "connect", connected)
        desk, dispatcher = _desk(database, options.outbox)
        # The sender's loop, as `deskbot run` starts it: what could not go at once goes when due.
        sending = asyncio.create_task(dispatcher.run()) if dispatcher is not None else None
        # First-use costs are not counted: as many flows at once as will be measured, so every
        # pooled connection the run uses is open and has its statements prepared (opening one
        # costs milliseconds, which would otherwise land in the measured p99).
        await asyncio.gather(*(_flow(desk, f"warmup-{n}", [], {}) for n in range(concurrency)))
        latencies: list[float] = []
        by_step: dict[str, list[float]] = {}
        queue = [f"merchant-{n}" for n in range(flows)]

        async def worker() -> None:
            while queue:
                await _flow(desk, queue.pop(), latencies, by_step)

        statements[0] = opened[0] = 0
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        if dispatcher is not None:
            # What was sent right after its commit, marked sent (part of every message's cost).
            await dispatcher.settle()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if sending is not None:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sending
        connections = opened[0]
        late = desk.courier.late if isinstance(desk.courier, _Courier) else None
        dialect = database.dialect
        async with Store(database).transaction() as tx:
            filed = await tx.tickets.count()
        await database.close()
        if filed != flows + concurrency:
            # A flow that no longer files its ticket measures something else entirely.
            raise SystemExit(
                f"{filed} tickets filed for {flows + concurrency} flows: the report flow's steps "
                "changed; bring _steps up to date"
            )
        if dialect == "postgresql" and options.wire_flows:
            await _count_wire(url, options)
    latencies.sort()
    count = len(latencies)
    p = lambda q: latencies[min(count - 1, int(q * count))] * 1000  # noqa: E731
    print(
        f"database: {dialect}  flows: {flows}  messages: {count}  concurrency: {concurrency}  "
        f"load average: {load:.2f} before, {os.getloadavg()[0]:.2f} after (2 cores here)"
    )
    print(
        f"throughput: {count / elapsed:,.0f} messages/s  "
        f"(this process's CPU: {cpu / count * 1e3:.3f} ms per message, of which the "
        f"benchmark's own loop {await _harness_cost(concurrency) * 1e3:.3f} ms)"
    )
    print(
        f"latency ms: p50 {p(0.50):.2f}  p95 {p(0.95):.2f}  p99 {p(0.99):.2f}  "
        f"max {latencies[-1] * 1000:.2f}  mean {statistics.fmean(latencies) * 1000:.2f}  "
        "(from a message's arrival to its answers committed, waiting for the loop, a pooled "
        "connection and the database included)"
    )
    if dialect == "sqlite":
        print(f"SQL statements through SQLAlchemy per message: {statements[0] / count:.2f}")
    else:
        print(
            f"pool: {options.pool_size} kept + {options.max_overflow} overflow; "
            f"connections opened while measuring: {connections}"
        )
    if late is not None:
        print(
            "answers written to the outbox with their message and sent right after its commit; "
            f"messages whose answers waited for the sender's loop instead: {late}; the latency "
            "percentiles end at the commit, so they exclude sending and marking sent (a "
            "merchant's next message waits for both)"
        )
    print(
        "mean ms by step: "
        + "  ".join(f"{name} {statistics.fmean(v) * 1000:.2f}" for name, v in by_step.items())
    )


class _Sent:
    """A channel that takes every message at once (the platform's own time is not measured)."""

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        return f"m{item.id}"


class _Courier:
    """The dispatcher's send_now, telling each chat when what was sent to it is marked sent."""

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self.dispatcher, self.lease = dispatcher, dispatcher.lease
        self._done: dict[str, asyncio.Event] = {}
        # The loop keeps only a weak reference to a task: one nobody holds can be collected
        # mid-send.
        self._sending: set[asyncio.Task[int]] = set()
        self.late = 0  # answers that went through the sender's loop instead (chat not idle)

    def send_now(self, deliveries: list[Delivery]) -> None:
        task = asyncio.create_task(self.dispatcher.deliver(deliveries))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)
        for chat in {item.chat_id for item in deliveries}:
            task.add_done_callback(lambda _, chat=chat: self._event(chat).set())

    def _event(self, chat: str) -> asyncio.Event:
        return self._done.setdefault(chat, asyncio.Event())

    async def seen(self, chat: str) -> None:
        event = self._event(chat)
        try:
            await asyncio.wait_for(event.wait(), 1.0)
        except TimeoutError:
            self.late += 1
            await self.dispatcher.settle()
        event.clear()


def _desk(database: Database, outbox: bool) -> tuple[Desk, OutboxDispatcher | None]:
    store, team = Store(database), [Target("console", "team")]
    if not outbox:
        return Desk(store, DeskSettings(), team_targets=team), None
    dispatcher = OutboxDispatcher(store, {"console": _Sent()}, SystemClock())
    desk = Desk(store, DeskSettings(), team_targets=team, courier=_Courier(dispatcher))
    desk.on_outbox = dispatcher.wake
    return desk, dispatcher


async def _harness_cost(concurrency: int) -> float:
    """CPU seconds per message the benchmark's own loop costs (the same flows and timing
    around a desk that does nothing), to show it is not what is measured."""

    class Idle:
        courier = None

        async def handle(self, incoming: Incoming, reply_to: ReplyTo | None) -> None:
            await asyncio.sleep(0)

    idle = cast(Desk, Idle())
    latencies: list[float] = []
    queue = [f"merchant-{n}" for n in range(200)]

    async def worker() -> None:
        while queue:
            await _flow(idle, queue.pop(), latencies, {})

    cpu = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.process_time() - cpu) / len(latencies)


async def _count_wire(url: str, options: argparse.Namespace) -> None:
    """More flows, one at a time, through a proxy counting the client's protocol messages."""
    parsed = make_url(url)
    counter = WireCounter(parsed.host or "127.0.0.1", parsed.port or 5432)
    port = await counter.start()
    proxied = parsed.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    database = Database(proxied, 1, 0, durable_steps=options.durable_steps)
    desk, dispatcher = _desk(database, options.outbox)
    await _flow(desk, "wire-warmup", [], {})
    counter.reset()
    latencies: list[float] = []
    for n in range(options.wire_flows):
        await _flow(desk, f"wire-{n}", latencies, {})
    if dispatcher is not None:
        await dispatcher.settle()
    await database.close()
    await counter.close()
    describe(counter, len(latencies))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1, help="conversations at once")
    parser.add_argument("--pool-size", type=int, default=10, help="PostgreSQL pool size")
    parser.add_argument("--max-overflow", type=int, default=10, help="PostgreSQL pool overflow")
    parser.add_argument(
        "--outbox",
        action="store_true",
        help="as the channels run it: answers written to the outbox with the message and sent "
        "right after its commit; each merchant answers once their question was sent",
    )
    parser.add_argument(
        "--durable-steps",
        action="store_true",
        help="every conversation step waits for PostgreSQL's WAL flush ([desk] durable_steps)",
    )
    parser.add_argument(
        "--wire-flows",
        type=int,
        default=100,
        help="PostgreSQL: flows run through the counting proxy afterwards (0: none)",
    )
    add_database_argument(parser)
    asyncio.run(main(parser.parse_args()))
