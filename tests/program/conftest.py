"""Fixtures for the integration program: a console session per person, on the shared desk."""

from __future__ import annotations

import io

import pytest

from bot.channels.console import ConsoleChannel, ConsoleSender
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk
from handlers.notify import Notifier, Target
from storage import Store


class Console:
    """One person typing into the real console channel; what the desk sends to the console
    (notices, team messages) is printed to the same shared output, as in a terminal."""

    def __init__(self, desk: Desk, dispatcher: OutboxDispatcher, user: str, out: io.StringIO):
        self.out = out
        self.channel = ConsoleChannel(desk, dispatcher, user, io.StringIO(), out)

    async def type(self, *lines: str) -> str:
        start = self.out.tell()
        for line in lines:
            await self.channel.handle_line(line)
        self.out.seek(start)
        text = self.out.read()
        self.out.seek(0, io.SEEK_END)
        return text


@pytest.fixture
def screen() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def console_dispatcher(store: Store, clock: FakeClock, screen: io.StringIO) -> OutboxDispatcher:
    return OutboxDispatcher(
        store, {"console": ConsoleSender(screen)}, clock, Notifier([Target("console", "team")])
    )
