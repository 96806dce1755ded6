"""Writing outgoing messages to the outbox, inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.events import Message
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
    def __init__(self, team_targets: Sequence[Target]) -> None:
        self.team_targets = tuple(team_targets)

    def to_reporter(self, tx: Transaction, ticket: Ticket, text: str, now: datetime) -> None:
        tx.outbox.add(
            key=f"{NOTICE}:{ticket.reference}:{uuid.uuid4().hex}",
            channel=ticket.reporter_channel,
            chat_id=ticket.reporter_chat_id,
            thread_id=ticket.reporter_thread_id,
            kind=NOTICE,
            payload=payload(Message(text), ticket),
            now=now,
            ticket_reference=ticket.reference,
        )

    def new_ticket(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        for target in self.team_targets:
            tx.outbox.add(
                key=f"{ALERT}:{ticket.reference}:{target.channel}:{target.chat_id}",
                channel=target.channel,
                chat_id=target.chat_id,
                kind=ALERT,
                payload=payload(alert(ticket), ticket),
                now=now,
                ticket_reference=ticket.reference,
            )

    def ticket_changed(
        self, tx: Transaction, ticket: Ticket, timeline_text: str, now: datetime
    ) -> None:
        """Re-render the alert in place and add the change to the ticket's timeline."""
        for target in self.team_targets:
            common = {"channel": target.channel, "chat_id": target.chat_id, "now": now}
            tx.outbox.add(
                key=f"{ALERT_UPDATE}:{ticket.reference}:{uuid.uuid4().hex}",
                kind=ALERT_UPDATE,
                payload=payload(alert(ticket), ticket),
                ticket_reference=ticket.reference,
                **common,
            )
            self._timeline(tx, ticket, target, timeline_text, now)

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
                self._timeline(tx, ticket, target, text, now)

    def _timeline(
        self, tx: Transaction, ticket: Ticket, target: Target, text: str, now: datetime
    ) -> None:
        tx.outbox.add(
            key=f"{TIMELINE}:{ticket.reference}:{uuid.uuid4().hex}",
            channel=target.channel,
            chat_id=target.chat_id,
            kind=TIMELINE,
            payload=payload(Message(text), ticket),
            now=now,
            ticket_reference=ticket.reference,
        )
