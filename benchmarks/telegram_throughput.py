"""Updates per second through the real python-telegram-bot and the loopback fake Bot API:
the desk running full report flows, beside a bare PTB echo bot measured in the same run on the
same fake.

Each of `--merchants` users works like a person: send, wait for the answer, send the next. A desk
merchant files a whole report (/report, title, details, Production, Critical, Confirm: six
updates, three of them button presses that are answered and edited), and the desk's alert for
it must reach the team group; an echo user sends six texts and waits for each echo. Both run by
long polling against the same fake server in this process.

    python benchmarks/telegram_throughput.py [--merchants 40] [--flows 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.bench_db import add_database_argument, prepare
from bot.app import open_runtime
from bot.channels.telegram.service import TelegramService
from bot.config import parse_config
from tests.fakes.telegram_api import DEFAULT_TOKEN, ApiCall, FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat

TEAM = group_chat()
STEPS = 6


class Inboxes:
    """sendMessage calls sorted per chat as they happen, for users awaiting their answers."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.queues: dict[int, asyncio.Queue[ApiCall]] = defaultdict(asyncio.Queue)
        api.listeners.append(self._record)

    def _record(self, call: ApiCall) -> None:
        if call.method == "sendMessage" and call.ok:
            self.queues[call.chat_id].put_nowait(call)

    async def next(self, chat_id: int) -> ApiCall:
        return await asyncio.wait_for(self.queues[chat_id].get(), 30)


async def echo_user(api: FakeTelegramAPI, inbox: Inboxes, user: FakeUser, flows: int) -> None:
    for _ in range(flows):
        for step in range(STEPS):
            await api.push_text(user, f"echo step {step}")
            await inbox.next(user.id)


async def desk_user(api: FakeTelegramAPI, inbox: Inboxes, user: FakeUser, flows: int) -> None:
    async def press(answer: ApiCall, label: str) -> ApiCall:
        message_id = answer.response["result"]["message_id"]
        await api.press(user, user.id, message_id, label)
        return await inbox.next(user.id)

    for flow in range(flows):
        for text in ("/report", f"USSD push fails ({user.id}/{flow})"):
            await api.push_text(user, text)
            await inbox.next(user.id)
        await api.push_text(user, "initiate-ussd-push-request returns 500, request id r-1")
        answer = await inbox.next(user.id)
        for label in ("Production", "Critical", "Confirm"):
            answer = await press(answer, label)
        assert "INT-" in answer.params["text"], answer.params["text"]


async def drive_run(
    api: FakeTelegramAPI, kind: str, merchants: int, flows: int, first: int
) -> float:
    """One measured run on the Telegram side: all users' flows, and for the desk every alert
    delivered to the team group too. Returns the elapsed seconds."""
    inbox = Inboxes(api)
    alerts_done = asyncio.Event()
    expected_alerts = merchants * flows if kind == "desk" else 0
    seen = [0]

    def count_alerts(call: ApiCall) -> None:
        if call.method == "sendMessage" and call.ok and call.chat_id == TEAM.id:
            seen[0] += 1
            if seen[0] >= expected_alerts:
                alerts_done.set()

    api.listeners.append(count_alerts)
    if not expected_alerts:
        alerts_done.set()
    flow = desk_user if kind == "desk" else echo_user
    users = [FakeUser(first + n, f"Merchant{n}") for n in range(merchants)]
    started = time.perf_counter()
    await asyncio.gather(*(flow(api, inbox, user, flows) for user in users))
    await asyncio.wait_for(alerts_done.wait(), 60)
    elapsed = time.perf_counter() - started
    api.listeners.clear()
    return elapsed


async def serve_fake() -> None:
    """The Telegram side in its own process (as Telegram is): the fake server and the users.
    Protocol on stdin/stdout: prints `PORT <n>`; `run <kind> <merchants> <flows> <first id>`
    waits for the bot's long poll, drives the users, prints `DONE <seconds>`."""
    loop = asyncio.get_running_loop()
    async with FakeTelegramAPI() as api:
        print(f"PORT {api.port}", flush=True)
        polls_seen = 0
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            _, kind, merchants, flows, first = line.split()
            await api.wait_long_poll(after=polls_seen, timeout=30)
            cpu = time.process_time()
            elapsed = await drive_run(api, kind, int(merchants), int(flows), int(first))
            polls_seen = api.long_polls
            print(f"DONE {elapsed} {time.process_time() - cpu}", flush=True)


class TelegramSide:
    """The subprocess running `serve_fake`."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process = process
        self.api_base_url = f"http://127.0.0.1:{port}"
        self.token = DEFAULT_TOKEN
        self.load: dict[str, tuple[float, float]] = {}

    @classmethod
    async def start(cls) -> TelegramSide:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-fake",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        port = int((await process.stdout.readline()).split()[1])
        return cls(process, port)

    async def run(self, kind: str, merchants: int, flows: int, first: int) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"run {kind} {merchants} {flows} {first}\n".encode())
        await self.process.stdin.drain()
        cpu = time.process_time()
        reply = (await self.process.stdout.readline()).decode().split()
        assert reply and reply[0] == "DONE", reply
        elapsed = float(reply[1])
        # How busy each side was: a side near 100% is the one setting the pace.
        self.load[kind] = (
            (time.process_time() - cpu) / elapsed,
            float(reply[2]) / elapsed,
        )
        return merchants * flows * STEPS / elapsed

    async def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.wait()


async def measure_echo(side: TelegramSide, merchants: int, flows: int, first: int) -> float:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    app = (
        ApplicationBuilder()
        .token(side.token)
        .base_url(f"{side.api_base_url}/bot")
        .job_queue(None)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling()
        try:
            return await side.run("echo", merchants, flows, first)
        finally:
            await app.updater.stop()
            await app.stop()


async def measure_desk(
    side: TelegramSide, merchants: int, flows: int, folder: Path, database_url: str = ""
) -> float:
    raw: dict[str, Any] = {
        "desk": {"database_url": await prepare(database_url, folder)},
        "telegram": {
            "token": side.token,
            "api_base_url": side.api_base_url,
            "team_chat_id": TEAM.id,
        },
        # Throughput, not abuse: a merchant here files more than the default limits allow.
        "limits": {
            "open_tickets": 0,
            "tickets_per_hour": 0,
            "critical_per_hour": 0,
            "messages_per_minute": 0,
        },
    }
    config = parse_config(raw, env={})
    service = TelegramService(config.telegram)
    async with open_runtime(config, {"telegram": service.sender}, service.team_targets()) as rt:
        dispatcher = asyncio.create_task(rt.dispatcher.run())
        channel = asyncio.create_task(service.run(rt))
        try:
            return await side.run("desk", merchants, flows, 200_000)
        finally:
            for task in (channel, dispatcher):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--merchants", type=int, default=40, help="concurrent users")
    parser.add_argument("--flows", type=int, default=3, help="report flows per user")
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    add_database_argument(parser)
    args = parser.parse_args()
    if args.serve_fake:
        await serve_fake()
        return
    logging.basicConfig(level=logging.WARNING)
    updates = args.merchants * args.flows * STEPS
    side = await TelegramSide.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            # A short warm-up so neither side pays first-connection and import costs.
            await measure_echo(side, 5, 1, first=100_000)
            echo = await measure_echo(side, args.merchants, args.flows, first=110_000)
            desk = await measure_desk(
                side, args.merchants, args.flows, Path(folder), args.database_url
            )
    finally:
        await side.close()
    print(f"updates per run: {updates} ({args.merchants} users x {args.flows} flows x {STEPS})")
    print(f"bare PTB echo bot:        {echo:8.1f} updates/s")
    print(f"desk full report flows:   {desk:8.1f} updates/s")
    print(f"desk / echo:              {desk / echo:8.1%}   (target >= 60%)")
    for kind, (bot_load, fake_load) in side.load.items():
        print(f"CPU busy, {kind} run: bot process {bot_load:.0%}, fake + users {fake_load:.0%}")


if __name__ == "__main__":
    asyncio.run(main())
