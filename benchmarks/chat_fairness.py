"""Does one chat's burst delay everyone else? (issue 13, item 3)

    python benchmarks/chat_fairness.py [--flood 100] [--others 20] [--rate 1] [--only telegram]

For Telegram and then Slack, the real desk (python-telegram-bot polling; Bolt over HTTP with
signed requests) runs against the loopback fakes, which limit each chat to `--rate` messages a
second and answer faster ones with 429 and retry_after, as the platforms do. One merchant sends
`--flood` messages at once; right after, `--others` merchants each send one message. Printed:
how long each of the others waited for their answer (the target: every one within 1 s), and
how many answers the flooding chat got meanwhile. `[limits]` are switched off, so the burst is
not cut short by the message-rate limit and the scheduling alone is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import open_runtime
from bot.channels.slack.service import SlackService
from bot.channels.telegram.service import TelegramService
from bot.config import SlackConfig, parse_config
from bot.config_error import ConfigError
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from storage import Database, Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import SlackSigner
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat

TARGET = 1.0
TIMEOUT = 60.0
NO_LIMITS = {
    "open_tickets": 0,
    "tickets_per_hour": 0,
    "critical_per_hour": 0,
    "messages_per_minute": 0,
}


class Answers:
    """When each chat got its first answer after a moment (time.perf_counter)."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.count: dict[str, int] = {}
        self.waiters: dict[str, asyncio.Future[float]] = {}

    def seen(self, chat: str) -> None:
        now = time.perf_counter()
        self.count[chat] = self.count.get(chat, 0) + 1
        self.first.setdefault(chat, now)
        waiter = self.waiters.get(chat)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)

    def wait(self, chat: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if chat in self.first:
            future.set_result(self.first[chat])
        self.waiters[chat] = future
        return future


async def measure(
    send_flood: Callable[[], Awaitable[None]],
    send_other: Callable[[int], Awaitable[str]],
    answers: Answers,
    others: int,
    flood_chat: str,
    timeout: float,
) -> tuple[list[float], int]:
    await send_flood()
    started: dict[str, float] = {}
    waits: list[asyncio.Future[float]] = []
    for n in range(others):
        started_at = time.perf_counter()
        chat = await send_other(n)
        started[chat] = started_at
        waits.append(answers.wait(chat))
    done = await asyncio.wait_for(asyncio.gather(*waits), timeout)
    latencies = [at - start for at, start in zip(done, started.values(), strict=True)]
    return latencies, answers.count.get(flood_chat, 0)


def telegram_config(api: FakeTelegramAPI, folder: Path) -> Any:
    raw: dict[str, Any] = {
        "desk": {"database_url": f"sqlite+aiosqlite:///{folder / 'tg.db'}", "log_level": "ERROR"},
        "telegram": {
            "token": api.token,
            "api_base_url": api.api_base_url,
            "team_chat_id": group_chat().id,
        },
        "kb": {"path": ""},
        "limits": NO_LIMITS,
    }
    try:
        return parse_config(raw, env={})
    except ConfigError:  # a checkout from before [limits]
        del raw["limits"]
        return parse_config(raw, env={})


async def telegram(flood: int, others: int, rate: float, timeout: float) -> tuple[list[float], int]:
    async with FakeTelegramAPI() as api:
        api.limit_per_chat(rate)
        answers = Answers()

        def record(call: ApiCall) -> None:
            if call.method == "sendMessage" and call.ok:
                answers.seen(str(call.chat_id))

        api.listeners.append(record)
        with tempfile.TemporaryDirectory() as folder:
            config = telegram_config(api, Path(folder))
            service = TelegramService(config.telegram)
            senders = {"telegram": service.sender}
            async with open_runtime(config, senders, service.team_targets()) as runtime:
                tasks = [
                    asyncio.create_task(runtime.dispatcher.run()),
                    asyncio.create_task(service.run(runtime)),
                ]
                await api.wait_long_poll()
                flooder = FakeUser(700_000, "Flood")

                async def send_flood() -> None:
                    for n in range(flood):
                        await api.push_text(flooder, f"hello {n}")

                async def send_other(n: int) -> str:
                    user = FakeUser(710_000 + n, f"Other{n}")
                    await api.push_text(user, "/start")
                    return str(user.id)

                try:
                    return await measure(
                        send_flood, send_other, answers, others, str(flooder.id), timeout
                    )
                finally:
                    for task in tasks:
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await task


async def slack(flood: int, others: int, rate: float, timeout: float) -> tuple[list[float], int]:
    token, secret = "xoxb-bench-token", "bench-signing-secret"
    fake = FakeSlackApi(token=token)
    async with fake, aiohttp.ClientSession() as session:
        fake.limit_per_channel(rate)
        answers = Answers()
        record_original = fake._record

        def record(call: Any) -> None:
            record_original(call)
            if call.method == "chat.postMessage" and not call.rate_limited:
                answers.seen(str(call.params.get("channel")))

        fake._record = record  # type: ignore[method-assign]
        users = ["UFLOOD", *(f"UOTHER{n}" for n in range(others))]
        for user in users:
            fake.add_user(user, user.lower())
        fake.add_channel("CTEAM", "integration-team")
        config = SlackConfig(
            bot_token=token,
            signing_secret=secret,
            mode="http",
            port=0,
            api_base_url=fake.base_url,
            team_channel="CTEAM",
        )
        service = SlackService(config)
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'slack.db'}")
            await database.upgrade()
            store = Store(database)
            dispatcher = OutboxDispatcher(store, {"slack": service.sender}, _clock())
            desk = Desk(
                store,
                _settings(),
                team_targets=service.team_targets(),
                clock=dispatcher.clock,
                on_outbox=dispatcher.wake,
                **_courier(dispatcher),
            )
            await service.start(desk, store)
            delivering = asyncio.create_task(dispatcher.run())
            assert service.http is not None
            url = service.http.url
            signer = SlackSigner(secret, team_id=fake.team_id)
            sequence = iter(range(1_000_000))

            async def dm(user: str, text: str) -> None:
                event = {
                    "type": "message",
                    "channel_type": "im",
                    "channel": f"D{user}",
                    "user": user,
                    "text": text,
                    "ts": f"1764230999.{next(sequence):06d}",
                }
                request = signer.event(event)
                async with session.post(
                    url, data=request.body.encode(), headers=request.headers
                ) as response:
                    assert response.status == 200, response.status

            async def send_flood() -> None:
                await asyncio.gather(*(dm("UFLOOD", f"hello {n}") for n in range(flood)))

            async def send_other(n: int) -> str:
                await dm(f"UOTHER{n}", "help")
                return f"DUOTHER{n}"

            try:
                return await measure(send_flood, send_other, answers, others, "DUFLOOD", timeout)
            finally:
                delivering.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await delivering
                await service.stop()
                await database.close()


def _clock() -> Any:
    from handlers.clock import SystemClock

    return SystemClock()


def _courier(dispatcher: OutboxDispatcher) -> dict[str, Any]:
    # As bot/app.py wires it: answers sent right after their commit (once that existed).
    return {"courier": dispatcher} if hasattr(dispatcher, "send_now") else {}


def _settings() -> DeskSettings:
    try:
        from handlers.limits import Limits

        return DeskSettings(limits=Limits(**NO_LIMITS))
    except TypeError:  # a checkout from before [limits]
        return DeskSettings()


def report(name: str, latencies: list[float], flood_answers: int, flood: int) -> bool:
    worst = max(latencies)
    within = sum(1 for latency in latencies if latency <= TARGET)
    print(
        f"{name}: {len(latencies)} other chats answered in median "
        f"{statistics.median(latencies):.3f} s, worst {worst:.3f} s; {within} within "
        f"{TARGET:.0f} s; the flooding chat got {flood_answers} of {flood} answers meanwhile"
    )
    return worst <= TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=100)
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1.0, help="messages a second per chat")
    parser.add_argument("--only", choices=("telegram", "slack"))
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="give up waiting after (s)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    ok = True
    print(f"one chat sends {args.flood} messages; the platforms take {args.rate:g}/s per chat")
    if args.only in (None, "telegram"):
        latencies, got = asyncio.run(telegram(args.flood, args.others, args.rate, args.timeout))
        ok &= report("telegram", latencies, got, args.flood)
    if args.only in (None, "slack"):
        latencies, got = asyncio.run(slack(args.flood, args.others, args.rate, args.timeout))
        ok &= report("slack", latencies, got, args.flood)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
