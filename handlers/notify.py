"""Writing outgoing messages to the outbox, inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.events import Choice, Message
from handlers.messages import speaking
from handlers.render import alert, ticket_facts
from storage.models import Ticket
from storage.store import Transaction

# Kinds of outgoing message; adapters render each one the way their platform expects.
NOTICE = "notice"  # to the reporter's chat
ALERT = "alert"  # the team's alert for a new ticket
ALERT_UPDATE = "alert_update"  # the alert re-rendered after a change (edited in place)
TIMELINE = "timeline"  # an entry in the ticket's timeline (thread of / reply to the alert)
PAGE = "page"  # an escalation page
DIRECT = "direct"  # a direct message to one team member
DIGEST = "digest"  # the daily digest
REPLY = "reply"  # an answer to what someone just did, in the chat they did it in
ATTACHMENT = "attachment"  # a file sent about a ticket, posted in its timeline
# Kinds the team reads, whose adapter-added words are in `[team] language`.
TEAM_KINDS = frozenset({ALERT, ALERT_UPDATE, TIMELINE, PAGE, DIGEST, ATTACHMENT})


@dataclass(frozen=True, slots=True)
class Target:
    """Somewhere the team reads: a channel and a chat (Telegram group, Slack channel, console)."""

    channel: str
    chat_id: str


def payload(message: Message, ticket: Ticket | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": message.text,
        "choices": [
            {"label": c.label, "value": c.value, "description": c.description}
            for c in message.choices
        ],
    }
    if ticket is not None:
        body["ticket"] = ticket_facts(ticket)
    body.update(extra)
    return body


class Notifier:
    def __init__(
        self,
        team_targets: Sequence[Target],
        team_language: str = "en",
        default_language: str = "en",
    ) -> None:
        self.team_targets = tuple(team_targets)
        # Team-facing texts are written in `[team] language`, whoever's turn causes them.
        self.team_language = team_language
        self.default_language = default_language

    def reporter_language(self, ticket: Ticket) -> str:
        return ticket.reporter_language or self.default_language

    @contextmanager
    def for_team(self) -> Iterator[None]:
        """Write the texts in this block in the team's language."""
        with speaking(self.team_language):
            yield

    @contextmanager
    def for_reporter(self, ticket: Ticket) -> Iterator[None]:
        """Write the texts in this block in the language of `ticket`'s reporter."""
        with speaking(self.reporter_language(ticket)):
            yield

    def to_reporter(
        self,
        tx: Transaction,
        ticket: Ticket,
        text: str,
        now: datetime,
        choices: tuple[Choice, ...] = (),
    ) -> None:
        tx.outbox.add(
            key=f"{NOTICE}:{ticket.reference}:{uuid.uuid4().hex}",
            channel=ticket.reporter_channel,
            chat_id=ticket.reporter_chat_id,
            thread_id=ticket.reporter_thread_id,
            kind=NOTICE,
            payload=payload(Message(text, choices), ticket),
            now=now,
            ticket_reference=ticket.reference,
        )

    def to_team(self, tx: Transaction, target: Target, text: str, now: datetime) -> None:
        """A message to a team place about no ticket in particular."""
        tx.outbox.add(
            key=f"{DIRECT}:{uuid.uuid4().hex}",
            channel=target.channel,
            chat_id=target.chat_id,
            kind=DIRECT,
            payload=payload(Message(text)),
            now=now,
        )

    def to_member(self, tx: Transaction, member: str, text: str, now: datetime) -> None:
        """A direct message to one team member (`channel:user id`), on a platform this desk
        serves; elsewhere the team's own channels carry the news."""
        channel, _, user_id = member.partition(":")
        if not user_id or channel not in {target.channel for target in self.team_targets}:
            return
        tx.outbox.add(
            key=f"{DIRECT}:{uuid.uuid4().hex}",
            channel=channel,
            chat_id=user_id,
            kind=DIRECT,
            payload=payload(Message(text)),
            now=now,
        )

    def new_ticket(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        with self.for_team():
            message = alert(ticket)
        for target in self.team_targets:
            # Deterministic: a ticket's alert can be queued once per place, never twice.
            key = f"{ALERT}:{ticket.reference}:{target.channel}:{target.chat_id}"
            self._to_team(tx, ticket, target, ALERT, message, now, key)

    def ticket_changed(
        self, tx: Transaction, ticket: Ticket, timeline_text: str, now: datetime
    ) -> None:
        """Re-render the alert in place and add the change to the ticket's timeline."""
        with self.for_team():
            message = alert(ticket)
        for target in self.team_targets:
            self._to_team(tx, ticket, target, ALERT_UPDATE, message, now)
            self._to_team(tx, ticket, target, TIMELINE, Message(timeline_text), now)

    def timeline(
        self,
        tx: Transaction,
        ticket: Ticket,
        text: str,
        now: datetime,
        skip: Target | None = None,
    ) -> None:
        """`skip`: the target where the entry was written by hand (a reply in the alert's
        thread), which would otherwise get an echo of it."""
        for target in self.team_targets:
            if target != skip:
                self._to_team(tx, ticket, target, TIMELINE, Message(text), now)

    def attachment(
        self,
        tx: Transaction,
        ticket: Ticket,
        text: str,
        file: dict[str, Any],
        now: datetime,
        skip: Target | None = None,
    ) -> None:
        """A file in the ticket's timeline on every team place (but `skip`, where it was
        posted by hand). `file` says what the adapter needs to post it: its stored name, the
        platform it came from and that platform's id for it."""
        for target in self.team_targets:
            if target == skip:
                continue
            tx.outbox.add(
                key=f"{ATTACHMENT}:{ticket.reference}:{file['id']}:{target.channel}:"
                f"{target.chat_id}",
                channel=target.channel,
                chat_id=target.chat_id,
                kind=ATTACHMENT,
                payload=payload(Message(text), ticket, file=file),
                now=now,
                ticket_reference=ticket.reference,
            )

    def _to_team(
        self,
        tx: Transaction,
        ticket: Ticket,
        target: Target,
        kind: str,
        message: Message,
        now: datetime,
        key: str | None = None,
    ) -> None:
        tx.outbox.add(
            key=key or f"{kind}:{ticket.reference}:{uuid.uuid4().hex}",
            channel=target.channel,
            chat_id=target.chat_id,
            kind=kind,
            payload=payload(message, ticket),
            now=now,
            ticket_reference=ticket.reference,
        )
