"""What a crash and an outage cost, measured on real `deskbot run` processes (Telegram polling,
the loopback fake Bot API from tests/fakes), with the production lease (`--lease`, default 10 s):

    .venv/bin/python benchmarks/crash_recovery.py [--trials 3] [--outage 10]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1/deskbot_bench]

1. Kill right after a Critical report's Confirm commits (DESKBOT_FAULT=work.committed): how long
   after the kill the alert, the first page and the merchant's confirmation arrive (the desk
   restarted at once, as systemd does). The alert and the page were written unleased and go as
   soon as the new process runs; the confirmation was leased to the dead process and waits for
   its lease to end (lease + the 1 s sweep).
2. Kill right after the platform accepted a message while three merchants report at once
   (DESKBOT_FAULT=reply.accepted@k, k varied): messages sent twice per kill, against the messages
   the dead process held (leased, not marked sent), and when the last of those went again.
3. An outage (`--outage` seconds: 502s for half, refused connections for half) while merchants
   press Confirm: seconds from the end of the outage until every confirmation and alert arrived.

`--database-url` runs on PostgreSQL (that database is EMPTIED first); default a SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_db import add_database_argument, prepare
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI
from tests.reliability.harness import READY, DeskProcess, extras, free_port
from tests.reliability.platforms import FILED, TEAM, TelegramMerchants, telegram_tables

Arrival = tuple[float, int, str]  # monotonic time, chat, text


def config(folder: Path, url: str, api: FakeTelegramAPI, lease: int) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[desk]
database_url = "{url}"
log_level = "INFO"
outbox_lease_seconds = {lease}

[escalation.critical]
levels = [{{ after = "0s", notify = ["team"] }}]
{telegram_tables(api, "polling", free_port())}""",
        encoding="utf-8",
    )
    return path


async def started(
    options: argparse.Namespace, folder: Path, api: FakeTelegramAPI, fault: str | None
) -> DeskProcess:
    url = await prepare(options.database_url, folder)
    desk = DeskProcess(config(folder, url, api, options.lease), folder, url, READY["polling"])
    await desk.start(fault)
    desk.supervise()
    return desk


def recorder(api: FakeTelegramAPI) -> list[Arrival]:
    arrivals: list[Arrival] = []

    def note(call: ApiCall) -> None:
        if call.method == "sendMessage" and call.ok:
            arrivals.append((time.monotonic(), call.chat_id, call.params.get("text", "")))

    api.listeners.append(note)
    return arrivals


async def report(merchants: TelegramMerchants, user: Any, severity: str) -> None:
    summary = await merchants.to_summary(user, severity)
    await merchants.confirm(user, summary)


async def kill_after_confirm(options: argparse.Namespace, folder: Path) -> dict[str, float]:
    """One trial of 1: seconds from the kill to the restart and to each arrival."""
    async with FakeTelegramAPI() as api:
        arrivals = recorder(api)
        # One merchant, six updates: the sixth commit is the Confirm's.
        desk = await started(options, folder, api, "work.committed@6")
        try:
            merchants = TelegramMerchants(api, desk, "polling", 0)
            await report(merchants, merchants.user(1), "Critical")
            await merchants.until(lambda: sum(c == TEAM.id for _, c, _ in arrivals) >= 2)
            kill = desk.kills[0].at

            def first(check: Any) -> float:
                return min(at for at, chat, text in arrivals if check(chat, text)) - kill

            return {
                "restart": desk.starts[-1] - kill,
                "alert": first(lambda c, t: c == TEAM.id and "Level" not in t),
                "page": first(lambda c, t: c == TEAM.id and "Level" in t),
                "confirmation": first(lambda c, t: FILED in t),
            }
        finally:
            await desk.stop()


async def kill_in_flight(
    options: argparse.Namespace, folder: Path, nth: int
) -> tuple[int, int, float]:
    """One trial of 2: (sent twice, held by the dead process, seconds to the last re-send)."""
    async with FakeTelegramAPI() as api:
        arrivals = recorder(api)
        desk = await started(options, folder, api, f"reply.accepted@{nth}")
        try:
            merchants = TelegramMerchants(api, desk, "polling", 0)
            users = [merchants.user(n) for n in range(3)]
            await asyncio.gather(*(report(merchants, u, "Major") for u in users))
            kill = desk.kills[0]
            if kill.in_flight:
                await desk.wait_log("were taken over", after=kill.line, timeout=120)
            doubled = sum(extras([(str(c), t) for _, c, t in arrivals]).values())
            last = max(at for at, _, _ in arrivals) - kill.at
            return doubled, sum(kill.in_flight.values()), last
        finally:
            await desk.stop()


async def outage(options: argparse.Namespace, folder: Path) -> float:
    """One trial of 3: seconds from the end of the outage until everything arrived."""
    async with FakeTelegramAPI() as api:
        arrivals = recorder(api)
        desk = await started(options, folder, api, None)
        try:
            merchants = TelegramMerchants(api, desk, "polling", 0)
            users = [merchants.user(n) for n in range(4)]
            summaries = await asyncio.gather(*(merchants.to_summary(u) for u in users))
            pairs = list(zip(users, summaries, strict=True))
            api.down_status = 502
            for user, summary in pairs[:2]:
                await merchants.press_only(user, summary, "Confirm")
            await asyncio.sleep(options.outage / 2)  # the outage itself: real time is the point
            await api.refuse_connections()
            for user, summary in pairs[2:]:
                await merchants.press_only(user, summary, "Confirm")
            await asyncio.sleep(options.outage / 2)
            api.down_status = None
            await api.accept_connections()
            back = time.monotonic()
            await merchants.until(
                lambda: (
                    all(merchants.confirmations(u) for u in users)
                    and merchants.alerts() >= len(users)
                )
            )
            return max(at for at, _, _ in arrivals) - back
        finally:
            await desk.stop()


async def trial(run: Any, *args: Any) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        return await run(*args[:1], Path(folder), *args[1:])


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):5.1f} s  max {max(values):5.1f} s"


async def main(options: argparse.Namespace) -> None:
    where = options.database_url or "sqlite (a temporary file)"
    print(f"database: {where}  lease: {options.lease} s  trials: {options.trials}")
    runs = [await trial(kill_after_confirm, options) for _ in range(options.trials)]
    print("1. killed right after a Critical report's Confirm committed; seconds after the kill:")
    for name in runs[0]:
        after_start = [run[name] - run["restart"] for run in runs]
        since = f"  (after the restart: {summary(after_start)})" if name != "restart" else ""
        print(f"   {name:<13} {summary([run[name] for run in runs])}{since}")
    flights = [await trial(kill_in_flight, options, 9 + 3 * n) for n in range(options.trials)]
    print("2. killed right after the platform accepted a message, 3 merchants reporting at once:")
    for doubled, held, last in flights:
        print(
            f"   sent twice {doubled}  held by the dead process {held}  last re-send {last:.1f} s"
        )
    doubles = [doubled for doubled, _, _ in flights]
    print(f"   duplicates per kill: mean {statistics.fmean(doubles):.2f}, max {max(doubles)}")
    recovered = [await trial(outage, options) for _ in range(options.trials)]
    print(f"3. outage of {options.outage:.0f} s (502s, then refused connections):")
    print(f"   everything delivered after recovery: {summary(recovered)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--lease", type=int, default=10, help="[desk] outbox_lease_seconds")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds the platform is down")
    add_database_argument(parser)
    asyncio.run(main(parser.parse_args()))
