"""Ack latency of the Slack HTTP endpoint under load.

Runs the real `deskbot run` (HTTP mode, SQLite in a temp folder) as its own process, with the
Slack Web API played by the loopback fake in this process. Sends signed `/desk` slash commands
(status, mine, ask: reads and ticket-creating writes) with 50 requests in flight and measures,
per request, the time from sending it to receiving the HTTP 200 (the ack Slack needs within
3 s). The work after each ack (database, answers through response_url and chat.postMessage,
team alerts) runs concurrently in the bot, as in production; the script also waits for all of
it and reports the end-to-end rate.

    python benchmarks/slack_ack_latency.py [--requests 3000] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_db import add_database_argument, prepare  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi  # noqa: E402
from tests.fakes.slack_signing import SlackSigner  # noqa: E402

TOKEN = "xoxb-benchmark-token"
SECRET = "benchmark-signing-secret"
USERS = ("UMERCHANT", "UMEMBER")
COMMANDS = ("status INT-1", "mine", "ask Why is my USSD push still PROCESSING?", "status INT-2")
TARGET_P99_MS = 100.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(folder: Path, port: int, api_base_url: str, database_url: str) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[desk]
database_url = "{database_url}"
log_level = "WARNING"

[team]
members = ["slack:UMEMBER"]

[slack]
bot_token = "{TOKEN}"
signing_secret = "{SECRET}"
mode = "http"
port = {port}
api_base_url = "{api_base_url}"
team_channel = "CTEAM"

[limits]
# Latency, not abuse: two users send more than the default limits allow.
open_tickets = 0
tickets_per_hour = 0
critical_per_hour = 0
messages_per_minute = 0

[kb]
# Off, so every `ask` takes the same path (a question ticket: an answer in the DM and a team
# alert) and the expected answers below can be counted; acks do not depend on it.
path = ""
""",
        encoding="utf-8",
    )
    return path


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def wait_ready(
    session: aiohttp.ClientSession, url: str, bot: asyncio.subprocess.Process
) -> None:
    # A benchmark may poll: the bot is another process and says nothing when it is up.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if bot.returncode is not None:
            raise SystemExit(f"deskbot exited with {bot.returncode}")
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise SystemExit("deskbot did not start listening within 30 s")


def expected_answers(texts: list[str]) -> tuple[int, int]:
    """(response_url posts, chat.postMessage calls) the commands will cause."""
    asks = sum(1 for t in texts if t.startswith("ask"))
    # An ask answers in the DM and alerts the team; the others answer ephemerally.
    return len(texts) - asks, 2 * asks


async def run(requests: int, concurrency: int, database_url: str = "") -> int:
    port = free_port()
    signer = SlackSigner(SECRET)
    with tempfile.TemporaryDirectory() as folder:
        async with FakeSlackApi(token=TOKEN) as fake, aiohttp.ClientSession() as session:
            for user in USERS:
                fake.add_user(user, user.lower())
            url = await prepare(database_url, Path(folder))
            config = write_config(Path(folder), port, fake.base_url, url)
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--config", str(config), cwd=ROOT
            )
            base = f"http://127.0.0.1:{port}"
            try:
                await wait_ready(session, f"{base}/healthz", bot)
                url = f"{base}/slack/events"

                async def send(index: int, text: str) -> tuple[int, float]:
                    user = USERS[index % 2]
                    request = signer.command(
                        user_id=user,
                        channel_id=f"D{user}",
                        text=text,
                        response_url=fake.response_url(f"r{index}"),
                    )
                    started = time.perf_counter()
                    async with session.post(url, data=request.body, headers=request.headers) as r:
                        await r.read()
                        return r.status, (time.perf_counter() - started) * 1000

                warmup = ["ask first question?", "ask second question?", "mine", "status INT-1"]
                for i, text in enumerate(warmup):
                    await send(-1 - i, text)
                texts = [COMMANDS[i % len(COMMANDS)] for i in range(requests)]
                hooks, posts = expected_answers(warmup + texts)

                gate = asyncio.Semaphore(concurrency)
                latencies: list[float] = []
                failures = 0

                async def one(index: int) -> None:
                    nonlocal failures
                    async with gate:
                        status, millis = await send(index, texts[index])
                    latencies.append(millis)
                    failures += status != 200

                began = time.perf_counter()
                await asyncio.gather(*(one(i) for i in range(requests)))
                acked = time.perf_counter() - began
                await asyncio.wait_for(fake.wait_for("response_url", hooks), 300)
                await asyncio.wait_for(fake.wait_for("chat.postMessage", posts), 300)
                finished = time.perf_counter() - began
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGINT)
                await bot.wait()

    latencies.sort()
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(f"requests: {requests}, in flight: {concurrency}, non-200: {failures}")
    print(
        f"ack latency ms: p50 {p50:.1f}  p99 {p99:.1f}  max {latencies[-1]:.1f}  "
        f"mean {statistics.fmean(latencies):.1f}"
    )
    print(
        f"throughput: {requests / acked:.0f} acks/s; all answers delivered after {finished:.2f}s "
        f"({requests / finished:.0f} commands/s end to end)"
    )
    verdict = "OK" if p99 < TARGET_P99_MS and failures == 0 else "MISSED"
    print(f"target p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    return 0 if verdict == "OK" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=50)
    add_database_argument(parser)
    args = parser.parse_args()
    return asyncio.run(run(args.requests, args.concurrency, args.database_url))


if __name__ == "__main__":
    raise SystemExit(main())
