"""Escalation in a real run, on every channel: `deskbot run` as its own process, Telegram and
Slack both configured against the loopback fakes from tests/fakes, timers of seconds.

    .venv/bin/python scripts/escalation_smoke.py

A merchant files a Critical Production issue on Telegram by tapping buttons. Pages are expected
in the Telegram team group and the Slack team channel at 0 s, 4 s (mentioning everyone) and 8 s
(also a DM to the lead), then every 4 s; a team member taps Acknowledge on Telegram, and no page
may follow. Prints what arrived where and when, and exits 1 if anything is missing or late.
It runs on the real clock (this is the point), so it is a script, not a test.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_api import ApiCall as SlackCall  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi  # noqa: E402
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI  # noqa: E402
from tests.fakes.telegram_objects import FakeUser, group_chat  # noqa: E402

MERCHANT = FakeUser(501, "Amina", "Juma")
MEMBER = FakeUser(9001, "Baraka", "Ops")
TEAM = group_chat(-1001234567890, "Integration team")
SLACK_TEAM = "CTEAM0001"
LATE = 1.5  # seconds a page may trail its due time here (sweep + delivery + polling)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config(folder: Path, telegram: FakeTelegramAPI, slack: FakeSlackApi) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[desk]
database_url = "sqlite+aiosqlite:///{folder / "smoke.db"}"
log_level = "WARNING"

[team]
members = ["telegram:{MEMBER.id}", "slack:UMEMBER01"]
leads = ["telegram:{MEMBER.id}"]

[telegram]
token = "{telegram.token}"
api_base_url = "{telegram.api_base_url}"
team_chat_id = {TEAM.id}

[slack]
bot_token = "{slack.token}"
signing_secret = "smoke-signing-secret"
mode = "http"
port = {free_port()}
api_base_url = "{slack.base_url}"
team_channel = "{SLACK_TEAM}"

[escalation]
sweep_interval = "2s"

[escalation.critical]
acknowledge_within = "30s"
resolve_within = "5m"
levels = [
  {{ after = "0s", notify = ["team"] }},
  {{ after = "4s", notify = ["team"], mention = "everyone" }},
  {{ after = "8s", notify = ["team", "leads"], mention = "everyone" }},
]
repeat_every = "4s"
max_repeats = 2
""",
        encoding="utf-8",
    )
    return path


async def say(api: FakeTelegramAPI, text: str) -> ApiCall:
    mark = api.mark()
    await api.push_text(MERCHANT, text)
    return await api.wait_call("sendMessage", lambda c: c.chat_id == MERCHANT.id, after=mark)


async def press(api: FakeTelegramAPI, answer: ApiCall, label: str, wanted: str) -> ApiCall:
    mark = api.mark()
    await api.press(MERCHANT, MERCHANT.id, answer.response["result"]["message_id"], label)
    return await api.wait_call(
        "sendMessage",
        lambda c: c.chat_id == MERCHANT.id and (not wanted or wanted in c.button_labels),
        after=mark,
    )


Arrival = tuple[float, str, str]  # when, where, first line


def headline(text: str) -> str:
    line = next(line for line in text.splitlines() if "Level" in line)
    mention = "@everyone " if ("<!channel>" in text or "tg://user" in text) else ""
    return mention + line.split("Level", 1)[1].split(":", 1)[0].join(("Level", ""))


class TimedSlack(FakeSlackApi):
    """The fake Slack API, noting when each page reached the team channel."""

    def __init__(self, arrivals: list[Arrival]) -> None:
        super().__init__()
        self.arrivals = arrivals

    def _record(self, call: SlackCall) -> None:
        text = str(call.params.get("text", ""))
        if call.method == "chat.postMessage" and "Level" in text:
            channel = call.params.get("channel")
            where = "slack channel" if channel == SLACK_TEAM else f"slack {channel}"
            self.arrivals.append((time.time(), where, headline(text)))
        super()._record(call)


def note_telegram_pages(arrivals: list[Arrival]) -> Callable[[ApiCall], None]:
    def listener(call: ApiCall) -> None:
        text = call.params.get("text", "")
        if call.method == "sendMessage" and "Level" in text:
            where = "telegram group" if call.chat_id == TEAM.id else f"telegram dm {call.chat_id}"
            arrivals.append((time.time(), where, headline(text)))

    return listener


async def main() -> int:
    pages: list[Arrival] = []
    async with FakeTelegramAPI() as telegram, TimedSlack(pages) as slack:
        telegram.listeners.append(note_telegram_pages(pages))
        slack.add_channel(SLACK_TEAM, "integration-team")
        folder = Path(tempfile.mkdtemp(prefix="deskbot-smoke-"))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config(folder, telegram, slack)),
            cwd=folder, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        try:
            await telegram.wait_long_poll(timeout=30)
            await say(telegram, "/report")
            await say(telegram, "Payouts stuck in PROCESSING")
            question = await say(telegram, "Every payout since 09:00, order ORD123")
            question = await press(telegram, question, "Production", "Critical")
            summary = await press(telegram, question, "Critical", "Confirm")
            mark = telegram.mark()
            pages.clear()
            filed = time.time()
            await press(telegram, summary, "Confirm", "")
            alert = await telegram.wait_call(
                "sendMessage", lambda c: c.chat_id == TEAM.id and "Acknowledge" in c.button_labels,
                after=mark, timeout=10,
            )  # fmt: skip
            # Let levels 1-3 and one repeat go out (due at 0, 4, 8 and 12 s), then acknowledge.
            await asyncio.sleep(13.5 - (time.time() - filed))
            acked = time.time()
            await telegram.press(
                MEMBER, TEAM.id, alert.response["result"]["message_id"], "Acknowledge"
            )
            await asyncio.sleep(7)  # the second repeat would have been due at 16 s
        finally:
            process.terminate()
            await process.wait()
    failures = []
    print(f"ticket filed at t=0; acknowledged at t={acked - filed:.1f}s")
    for at, where, text in sorted(pages):
        print(f"  t={at - filed:5.2f}s  {where:<22} {text}")
    due = [0, 4, 8, 12]
    for where in ("telegram group", "slack channel"):
        times = sorted(at - filed for at, w, _ in pages if w == where)
        if len(times) != len(due):
            failures.append(f"{where}: {len(times)} pages, expected {len(due)}")
        failures += [
            f"{where}: page due at {d}s arrived at {t:.2f}s"
            for d, t in zip(due, times, strict=False) if not d <= t <= d + LATE
        ]  # fmt: skip
    if not any(w.startswith("telegram dm") for _, w, _ in pages):
        failures.append("the lead got no direct message at level 3")
    if any(at > acked + 1 for at, _, _ in pages):
        failures.append("a page went out after the acknowledgement")
    for failure in failures:
        print("FAIL:", failure)
    print("OK" if not failures else f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
