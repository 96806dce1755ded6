"""The terminal channel: type as a merchant (or a team member), read the bot's answers.

With piped standard input it runs non-interactively: one line is one message, answers go to
standard output, and end of input ends the session.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.terminal import visible
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, ReplyTo
from handlers.downloads import UNAVAILABLE, DownloadQueue, FetchError, FileRef
from handlers.events import Choice, Incoming, IncomingFile, Message
from handlers.messages import t
from handlers.notify import NOTICE, REPLY, Target
from storage.outbox import Delivery

if TYPE_CHECKING:
    from bot.app import Runtime

CHANNEL = "console"
TEAM_CHAT = "team"


def render(message: Message) -> str:
    lines = [message.text]
    for number, choice in enumerate(message.choices, start=1):
        extra = f" — {choice.description}" if choice.description else ""
        lines.append(f"  {number}. {choice.label}{extra}")
    return "\n".join(lines)


def _as_command(value: str) -> str:
    kind, _, rest = value.partition(":")
    action, _, reference = rest.partition(":")
    return f"{action} {reference}" if kind == "team" and reference else ""


class ConsoleSender:
    """Prints what the desk sends to console chats and to the console's team view."""

    def __init__(self, output: TextIO) -> None:
        self.output = output
        # Told of each answer printed, so numbered replies map to its choices.
        self.on_reply: Callable[[Message], None] | None = None

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        if item.kind == REPLY:
            choices = tuple(
                Choice(c["label"], c["value"], c.get("description", ""))
                for c in item.payload.get("choices", [])
            )
            message = Message(item.payload["text"], choices)
            print(visible(render(message)), file=self.output, flush=True)
            if self.on_reply is not None:
                self.on_reply(message)
            return f"console-{item.id}"
        # Buttons on team messages become the command that does the same, since the console's
        # numbered answers only apply to the conversation's own last question.
        hints = [_as_command(c["value"]) for c in item.payload.get("choices", [])]
        prefix = (
            f"[to {item.chat_id}]" if item.kind == NOTICE else f"[{item.chat_id} · {item.kind}]"
        )
        if item.payload.get("mention") == "everyone":
            prefix += " @everyone"
        body = item.payload["text"]
        if item.payload.get("image_png"):
            # A terminal shows no image; the chart is one `deskbot report --chart` away.
            body += f"\n  [chart {item.payload.get('filename', '')} not shown in the console]"
        if any(hints):
            body += "\n  (" + " | ".join(h for h in hints if h) + ")"
        print(visible(f"{prefix} {body}"), file=self.output, flush=True)
        return f"console-{item.id}"


class ConsoleFetcher:
    """`attach PATH` files are read from this computer (the console is its operator's)."""

    async def fetch(self, ref: FileRef, max_bytes: int) -> bytes:
        path = Path(ref.source or ref.platform_file_id)
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as error:
            raise FetchError(f"{type(error).__name__}", UNAVAILABLE) from None
        return data


def attached_file(line: str) -> tuple[Path, str] | None:
    """`attach PATH [caption]` -> the path and the caption; None for any other line."""
    if not line.strip().lower().startswith("attach "):
        return None
    rest = line.strip()[len("attach ") :].strip()
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    if not words:
        return None
    caption = rest[len(shlex.quote(words[0])) :].strip() if len(words) > 1 else ""
    return Path(words[0]).expanduser(), caption


class ConsoleChannel:
    def __init__(
        self,
        desk: Desk,
        dispatcher: OutboxDispatcher,
        user: str,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        sender: ConsoleSender | None = None,
        downloads: DownloadQueue | None = None,
    ) -> None:
        self.desk = desk
        self.dispatcher = dispatcher
        self.downloads = downloads
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self._last_choices: tuple[Choice, ...] = ()
        self._durable = sender is not None
        if sender is not None:
            sender.on_reply = self._remember

    def _remember(self, message: Message) -> None:
        self._last_choices = message.choices

    def identity(self) -> Incoming:
        return Incoming(channel=CHANNEL, chat_id=self.user, user_id=self.user)

    def _incoming(self, line: str) -> Incoming:
        base = Incoming(
            channel=CHANNEL, chat_id=self.user, user_id=self.user, display_name=self.user
        )
        typed = line.strip()
        if typed.isdigit() and 1 <= int(typed) <= len(self._last_choices):
            choice = self._last_choices[int(typed) - 1].value
            return replace(base, choice=choice)
        attached = attached_file(line)
        if attached is not None and attached[0].is_file():
            path, caption = attached
            resolved = str(path.resolve())
            size = path.stat().st_size
            file = IncomingFile("file", resolved, path.name, size, "", resolved)
            return replace(base, text=caption, files=(file,))
        return replace(base, text=line)

    async def handle_line(self, line: str) -> None:
        attached = attached_file(line)
        if line.strip().lower() == "attach" or (attached and not attached[0].is_file()):
            shown = str(attached[0]) if attached else ""
            text = t("attach.no_file", path=shown) if shown else t("attach.console_usage")
            print(visible(text), file=self.stdout, flush=True)
            return
        await self._handle(line)
        if self.downloads is not None:
            # The file's bytes are fetched now, so its team copy prints before the next line.
            await self.downloads.settle()
            await self.dispatcher.settle()

    async def _handle(self, line: str) -> None:
        if self._durable:
            # Answers go through the outbox like every channel's; printing them all before
            # the next line is read keeps the transcript in order.
            await self.desk.handle(self._incoming(line), ReplyTo(self.user))
            await self.dispatcher.settle()
            return
        replies = await self.desk.handle(self._incoming(line))
        for message in replies:
            print(visible(render(message)), file=self.stdout, flush=True)
            self._last_choices = message.choices
        await self.dispatcher.deliver_due()

    async def run(self) -> None:
        if self._durable:
            # Only this process answers this user: a killed predecessor's leases are over.
            async with self.desk.store.transaction() as tx:
                await tx.outbox.release(CHANNEL, self.user)
        interactive = self.stdin.isatty()
        loop = asyncio.get_running_loop()
        if interactive:
            await self.handle_line("start")
        while True:
            if interactive:
                print("> ", end="", file=self.stdout, flush=True)
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line:
                return
            await self.handle_line(line.rstrip("\n"))


class ConsoleService:
    """The console as one of `deskbot run`'s channels."""

    name = CHANNEL

    def __init__(
        self,
        user: str,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        language: str | None = None,
    ) -> None:
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.sender = ConsoleSender(stdout)
        self.fetcher = ConsoleFetcher()
        # `deskbot chat --lang sw`: stored for the identity like a `lugha` pick.
        self.language = language
        self.started = False

    def team_targets(self) -> list[Target]:
        return [Target(CHANNEL, TEAM_CHAT)]

    async def run(self, runtime: Runtime) -> None:
        channel = ConsoleChannel(
            runtime.desk,
            runtime.dispatcher,
            self.user,
            self.stdin,
            self.stdout,
            self.sender,
            runtime.downloads,
        )
        if self.language is not None:
            await runtime.desk.pick_language(channel.identity(), self.language)
        self.started = True
        try:
            await channel.run()
        finally:
            self.started = False
