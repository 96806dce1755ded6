"""What `deskbot run` needs from each channel it starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from handlers.delivery import Sender
from handlers.notify import Target

if TYPE_CHECKING:
    from bot.app import Runtime


class ChannelService(Protocol):
    name: str
    # True while the channel is serving (connected, polling or listening); /readyz reads it.
    started: bool

    @property
    def sender(self) -> Sender:
        """Delivers this channel's outbox messages."""
        ...

    def team_targets(self) -> list[Target]:
        """Where this channel shows the team its alerts (may be empty)."""
        ...

    async def run(self, runtime: Runtime) -> None:
        """Serve until cancelled; returning ends the whole process (console end of input)."""
        ...
