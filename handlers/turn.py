"""What a flow works with while it answers one incoming event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from handlers.events import Choice, Incoming, Message
from handlers.messages import set_language, t
from storage.conversations import ConversationState
from storage.models import Ticket
from storage.store import Transaction

if TYPE_CHECKING:
    from handlers.desk import Desk


class TicketObserver(Protocol):
    """Told about lifecycle moments inside the same transaction (escalation hooks in here)."""

    async def created(self, tx: Transaction, ticket: Ticket, now: datetime) -> None: ...

    async def acknowledged(self, tx: Transaction, ticket: Ticket, now: datetime) -> None: ...

    async def resolved(self, tx: Transaction, ticket: Ticket, now: datetime) -> None: ...


@dataclass(slots=True)
class Turn:
    desk: Desk
    incoming: Incoming
    tx: Transaction
    state: ConversationState
    now: datetime
    # The person's language; every `t(...)` in the turn is rendered in it.
    language: str = "en"
    replies: list[Message] = field(default_factory=list)
    # Kinds of secret hidden from what this event brought in (handlers/redaction.py).
    hidden: tuple[str, ...] = ()

    def speak(self, language: str) -> None:
        """Switch the rest of this turn to `language` (after `lugha`)."""
        self.language = language
        set_language(language)

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        self.replies.append(Message(text, choices))

    @property
    def actor(self) -> str:
        return self.incoming.member_id

    @property
    def actor_name(self) -> str:
        """How others see whoever is acting. A team member is never shown by platform id:
        merchants read these names in notices."""
        if self.is_team:
            return (
                self.desk.settings.names.get(self.actor)
                or self.incoming.display_name
                or t("team.member_unnamed")
            )
        return self.incoming.display_name or self.incoming.user_id

    @property
    def is_team(self) -> bool:
        return self.actor in self.desk.settings.members

    def reset(self) -> None:
        self.state.flow, self.state.step, self.state.data = None, None, {}

    def go(self, flow: str, step: str, **data: object) -> None:
        self.state.flow, self.state.step = flow, step
        self.state.data.update(data)

    def owns(self, ticket: Ticket) -> bool:
        return (
            ticket.reporter_channel == self.incoming.channel
            and ticket.reporter_user_id == self.incoming.user_id
        )
