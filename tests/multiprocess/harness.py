"""Real `deskbot run` processes on one database, behind a load balancer played by the test.

Each `DeskProcess` is a `python -m bot run` subprocess with its own config file: the same
database, the same bot token and Slack app, Telegram in webhook mode and Slack in HTTP mode on
ports of its own. The loopback fakes (`tests/fakes/`) run in the test's event loop; the processes
reach them over HTTP as they would reach Telegram and Slack.

`Balancer` is the load balancer: it posts each Telegram update or signed Slack request to the
process the test names and, when that one refuses the connection or drops it (killed), to the
other, as a load balancer fails over. A Telegram update goes again unchanged (Telegram
redelivers an update its webhook did not answer); a Slack request is signed afresh (Slack does
not retry interactions: the person presses again).

Nothing here sleeps: `Changed` wakes waiters whenever either fake records a call, and every wait
has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import signal
import socket
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes.slack_api import ApiCall as SlackCall
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import SignedRequest
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_console_cli import ROOT, _env

START_DEADLINE = 90.0  # two interpreters importing PTB and Bolt on a busy 2-core machine
READY_LINES = ("telegram: serving webhook", "Slack HTTP mode on")
WEBHOOK_PATH = "/telegram/hook"
WEBHOOK_SECRET = "two-processes_secret-0123456789"
SLACK_TOKEN = "xoxb-two-processes"
SLACK_SECRET = "two-processes-signing-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Changed:
    """Wakes every waiter each time something the test watches has changed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def poke(self, *_: object) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def until(
        self,
        condition: Callable[[], bool],
        timeout: float,
        what: str,
        explain: Callable[[], object] | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            left = deadline - loop.time()
            if left <= 0:
                seen = f"\n{explain()}" if explain is not None else ""
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{seen}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), left)


class WatchedSlackApi(FakeSlackApi):
    """The Slack fake, poking `changed` at every call it records."""

    def __init__(self, changed: Changed, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.changed = changed

    def _record(self, call: SlackCall) -> None:
        super()._record(call)
        self.changed.poke()


class WatchedTelegramAPI(FakeTelegramAPI):
    """The Telegram fake, poking `changed` once each call is in its log."""

    def __init__(self, changed: Changed) -> None:
        super().__init__()
        self.changed = changed

    async def _finish(self, call: Any, outcome: Any) -> Any:
        response = await super()._finish(call, outcome)
        self.changed.poke()
        return response


@dataclass
class DeskProcess:
    name: str
    config: Path
    telegram_port: int
    slack_port: int
    process: asyncio.subprocess.Process | None = None
    lines: list[str] = field(default_factory=list)
    starts: int = 0
    _reader: asyncio.Task[None] | None = None

    @property
    def up(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        self.starts += 1
        self.lines.append(f"---- start {self.starts}")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(self.config),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=_env(),
            cwd=ROOT,
        )  # fmt: skip
        ready = asyncio.Event()
        self._reader = asyncio.create_task(self._read(self.process, ready))
        exited = asyncio.create_task(self.process.wait())
        waiting = asyncio.create_task(ready.wait())
        done, _ = await asyncio.wait(
            {exited, waiting}, timeout=START_DEADLINE, return_when=asyncio.FIRST_COMPLETED
        )
        waiting.cancel()
        if waiting not in done:
            exited.cancel()
            raise AssertionError(f"{self.name} did not start:\n{self.log()}")

    async def _read(self, process: asyncio.subprocess.Process, ready: asyncio.Event) -> None:
        assert process.stderr is not None
        missing = set(READY_LINES)
        async for raw in process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            missing = {wanted for wanted in missing if wanted not in line}
            if not missing:
                ready.set()

    async def kill(self) -> None:
        """SIGKILL: no cleanup, as a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self._reader is not None:
            await self._reader

    async def stop(self) -> int:
        """Ctrl-C (SIGINT): the desk's orderly shutdown; returns the exit status."""
        if not self.up:
            return self.process.returncode if self.process is not None else 0  # type: ignore[return-value]
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            status = await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            status = await self.process.wait()
        if self._reader is not None:
            await self._reader
        return status

    def log(self, last: int = 60) -> str:
        return "\n".join(self.lines[-last:])


class Balancer:
    """Posts each request to the process asked for, failing over to the other one."""

    def __init__(self, processes: list[DeskProcess], http: aiohttp.ClientSession) -> None:
        self.processes = processes
        self.http = http
        self.served: Counter[str] = Counter()  # requests each process answered 200
        self.failovers = 0
        # A Slack form submission in flight to a process, by process name; see `hold_forms`.
        self.forms: Counter[str] = Counter()
        self._forms_held: set[str] = set()
        self.changed = Changed()

    def _order(self, via: int) -> Iterator[DeskProcess]:
        count = len(self.processes)
        for step in range(count * 3):
            yield self.processes[(via + step) % count]

    async def telegram(self, update: dict[str, Any], via: int) -> str:
        body = json.dumps(update).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        }
        for process in self._order(via):
            url = f"http://127.0.0.1:{process.telegram_port}{WEBHOOK_PATH}"
            if await self._post(process, url, body, headers):
                return process.name
            self.failovers += 1
        raise AssertionError(f"no process took Telegram update {update['update_id']}")

    async def slack(self, sign: Callable[[], SignedRequest], via: int, form: bool = False) -> str:
        for process in self._order(via):
            if form and process.name in self._forms_held:
                continue
            request = sign()
            url = f"http://127.0.0.1:{process.slack_port}/slack/events"
            if form:
                self.forms[process.name] += 1
            try:
                if await self._post(process, url, request.body.encode(), request.headers):
                    return process.name
            finally:
                if form:
                    self.forms[process.name] -= 1
                    self.changed.poke()
            self.failovers += 1
        raise AssertionError("no process took a Slack request")

    async def _post(
        self, process: DeskProcess, url: str, body: bytes, headers: dict[str, str]
    ) -> bool:
        if not process.up:
            return False
        try:
            async with self.http.post(url, data=body, headers=headers) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientConnectionError, TimeoutError):
            return False
        if ok:
            self.served[process.name] += 1
        return ok

    @contextlib.asynccontextmanager
    async def hold_forms(self, process: DeskProcess) -> Any:
        """No Slack form submission goes to `process` inside this block, and none is in flight
        to it when the block starts (see the test's docstring for why)."""
        self._forms_held.add(process.name)
        try:
            await self.changed.until(
                lambda: self.forms[process.name] == 0, 30, f"forms in flight to {process.name}"
            )
            yield
        finally:
            self._forms_held.discard(process.name)


# What the platforms received, classified -------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")
_PAGE = re.compile(r"Level (\d+) page(?: \(repeat (\d+) of \d+\))?: (INT-\d+)")
_ALERT = re.compile(r"New issue (INT-\d+)")
_ACK_TIMELINE = re.compile(r"(INT-\d+): acknowledged by", re.IGNORECASE)
_ACK_NOTICE = re.compile(r"Your ticket (INT-\d+) .* was acknowledged by the integration team")
_FILED = re.compile(r"Your issue is logged as (INT-\d+)")


def plain(text: str) -> str:
    return html.unescape(_TAGS.sub("", text)).replace("*", "")


def classify(text: str) -> tuple[str, str, str] | None:
    """(kind, reference, detail) of a message the desk sent, for the kinds the test counts."""
    text = plain(text)
    if found := _PAGE.search(text):
        return ("page", found.group(3), f"{found.group(1)}/{found.group(2) or 0}")
    if found := _ALERT.search(text):
        return ("alert", found.group(1), "")
    if found := _ACK_TIMELINE.search(text):
        return ("ack_timeline", found.group(1), "")
    if found := _ACK_NOTICE.search(text):
        return ("ack_notice", found.group(1), "")
    if found := _FILED.search(text):
        return ("filed", found.group(1), "")
    return None


@dataclass(frozen=True)
class Sent:
    """One message a platform accepted, in the order it accepted them."""

    channel: str
    chat: str
    kind: str
    reference: str
    detail: str
    thread: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.channel, self.chat, self.kind, self.reference, self.detail)


def telegram_sent(calls: list[Any]) -> list[Sent]:
    found = []
    for call in calls:
        if call.method == "sendMessage" and call.ok:
            kind = classify(call.params.get("text", ""))
            if kind is not None:
                reply = call.params.get("reply_parameters") or call.params.get(
                    "reply_to_message_id"
                )
                thread = (
                    str(json.loads(reply)["message_id"]) if reply and reply[0] == "{" else reply
                )
                found.append(Sent("telegram", str(call.params["chat_id"]), *kind, thread))
    return found


def slack_sent(calls: list[SlackCall]) -> list[Sent]:
    found = []
    for call in calls:
        if call.method == "chat.postMessage" and not call.rate_limited and not call.refused:
            kind = classify(slack_text(call.params))
            if kind is not None:
                thread = call.params.get("thread_ts")
                found.append(Sent("slack", str(call.params["channel"]), *kind, thread))
    return found


def slack_text(params: dict[str, Any]) -> str:
    """The fallback text and every text of a message's blocks (Slack shows the blocks)."""
    parts = [str(params.get("text", ""))]
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
    return "\n".join(parts)


def outbox_key(channel: str, chat: str, payload: str) -> tuple[str, str, str, str, str] | None:
    kind = classify(str(json.loads(payload).get("text", "")))
    return None if kind is None else (channel, chat, *kind)
