"""Real `deskbot run` processes against the loopback fakes, for the reliability tests.

The desk runs as its own process (`python -m bot run`), configured for one channel (Telegram by
polling, Telegram by webhook, or Slack in HTTP mode) on the suite's database. The test process
plays the platform: the fakes record what the desk sent, and the test delivers what people do
the way the platform would (Telegram keeps unconfirmed updates for the next getUpdates and
re-POSTs a webhook update until it gets a 200; Slack resends an event it got no 200 for, and a
person presses a button again when their press failed).

`DESKBOT_FAULT` makes the first process SIGKILL itself at a chosen point; a supervisor notices the
death, notes which outbox rows the dead process held (leased, not marked sent: the messages in
flight), and starts the process again without the fault. Nothing here sleeps: every wait is on
a log line, a fake's recorded call or the process exiting, each with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import Database, Store
from tests.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2  # the outbox lease in these runs: a killed process's rows wait this long
READY = {
    "polling": "telegram: long polling started",
    "webhook": "telegram: serving webhook",
    "slack": "Slack HTTP mode on",
}
WAIT = 30.0  # deadline for any one wait (the machine may be busy); a hang fails, never stalls


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Kill:
    """One death of the desk process: when, and the outbox rows it held (in flight)."""

    at: float
    returncode: int
    in_flight: Counter[str]  # chat id -> rows leased by the dead process, not marked sent
    line: int  # log lines before the restart


@dataclass
class DeskProcess:
    """`deskbot run` in its own process, restarted (without the fault) whenever it dies."""

    config: Path
    folder: Path
    database_url: str
    ready_line: str
    lines: list[str] = field(default_factory=list)
    kills: list[Kill] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    generation: int = 0
    process: asyncio.subprocess.Process | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self, fault: str | None = None) -> None:
        env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if fault:
            env["DESKBOT_FAULT"] = fault
        mark = len(self.lines)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(self.config),
            cwd=self.folder, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        self._tasks.append(asyncio.create_task(self._read(self.process)))
        await self.wait_log(self.ready_line, after=mark)
        self.starts.append(time.monotonic())
        self.generation += 1
        self._signal()

    def supervise(self) -> None:
        self._tasks.append(asyncio.create_task(self._supervise()))

    async def _supervise(self) -> None:
        while not self._stopping:
            process = self.process
            assert process is not None
            returncode = await process.wait()
            if self._stopping:
                return
            in_flight = await self._in_flight()
            self.kills.append(Kill(time.monotonic(), returncode, in_flight, len(self.lines)))
            self._signal()
            await self.start()

    async def _in_flight(self) -> Counter[str]:
        database = Database(self.database_url)
        try:
            async with Store(database, "INT").transaction() as tx:
                rows = await tx.outbox.items()
        finally:
            await database.close()
        # Leased and not released (a send's outcome, sent or retry, clears the lease): the dead
        # process held it, whether or not its lease has run out by now. Nobody else can have
        # taken it since (the only process is dead). Counting only leases still running missed
        # rows whenever noticing the death took longer than what was left of the lease (2 s; a
        # busy machine), and their resending then looked like a duplicate without a crash.
        return Counter(
            row.chat_id for row in rows if row.status == "pending" and row.claimed_until is not None
        )

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            self.lines.append(raw.decode("utf-8", "replace"))
            self._signal()

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def until(self, check: Callable[[], Any], timeout: float = WAIT) -> Any:
        """The first truthy `check()`, evaluated again whenever the process logs or restarts."""
        async with asyncio.timeout(timeout):
            while not (found := check()):
                changed = self._changed
                await changed.wait()
        return found

    async def wait_log(self, text: str, after: int = 0, timeout: float = WAIT) -> int:
        """Until a log line after line `after` contains `text`; returns the line count then."""

        def seen() -> int:
            return next(
                (i + 1 for i, line in enumerate(self.lines[after:], after) if text in line), 0
            )

        try:
            return int(await self.until(seen, timeout))
        except TimeoutError:
            tail = "".join(self.lines[-30:])
            raise AssertionError(f"no log line with {text!r}; last lines:\n{tail}") from None

    async def back_since(self, generation: int) -> None:
        """Until a process started after `generation` is ready (the supervisor restarted it)."""
        await self.until(lambda: self.generation > generation)

    async def stop(self) -> None:
        if os.environ.get("RELIABILITY_LOG"):
            Path(os.environ["RELIABILITY_LOG"]).write_text("".join(self.lines))
        self._stopping = True
        process = self.process
        if process is not None and process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def errors(self) -> list[str]:
        """Tracebacks and ERROR lines the desk logged (a test expects none)."""
        return [line for line in self.lines if " ERROR " in line or "Traceback" in line]


def write_config(folder: Path, database_url: str, tables: str) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[desk]
database_url = "{database_url}"
log_level = "INFO"
outbox_lease_seconds = {LEASE_SECONDS}
{tables}
""",
        encoding="utf-8",
    )
    return path


@asynccontextmanager
async def desk_process(
    tmp_path: Path, tables: str, ready: str, fault: str | None = None
) -> AsyncIterator[DeskProcess]:
    url = await fresh_database_url(tmp_path)
    desk = DeskProcess(write_config(tmp_path, url, tables), tmp_path, url, ready)
    try:
        await desk.start(fault)
        desk.supervise()
        yield desk
    finally:
        await desk.stop()


async def tickets_of(database_url: str, channel: str, users: list[str]) -> dict[str, int]:
    """How many tickets each reporter has, read from the database."""
    database = Database(database_url)
    try:
        async with Store(database, "INT").transaction() as tx:
            return {u: len(await tx.tickets.for_reporter(channel, u, limit=50)) for u in users}
    finally:
        await database.close()


def extras(sent: list[tuple[str, str]]) -> Counter[str]:
    """Per chat, the messages sent more than once (same chat, same text)."""
    counts = Counter(sent)
    found: Counter[str] = Counter()
    for (chat, _), count in counts.items():
        if count > 1:
            found[chat] += count - 1
    return found


def assert_duplicates_within_flight(sent: list[tuple[str, str]], kills: list[Kill]) -> int:
    """Every message sent twice belongs to a chat the dead process had messages in flight to,
    and no chat got more duplicates than it had in flight. Returns the duplicates."""
    doubled = extras(sent)
    flight: Counter[str] = Counter()
    for kill in kills:
        flight.update(kill.in_flight)
    for chat, count in doubled.items():
        assert count <= flight[chat], (
            f"chat {chat}: {count} message(s) sent twice, {flight[chat]} in flight at the kill"
        )
    return sum(doubled.values())
