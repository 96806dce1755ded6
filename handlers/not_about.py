""" "Not about INT-4": a merchant takes back what the desk just added to their ticket.

A text follow-up (handlers/routing/act.py) and files sent outside a flow (handlers/file_routing.py)
each land on the ticket as one transcript message, the files hanging off it; the reply under
either carries the same button, naming the ticket and that message. Taking it back is one
implementation: under the ticket's row lock (two presses take it back once) the message and its
files come off, the audit trail and the team's timeline say so, and the merchant's other open
tickets are listed for the caller to ask where it belongs.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.events import Choice
from handlers.filetypes import names_of
from handlers.messages import t
from handlers.render import one_line, quoted
from handlers.turn import Turn
from storage.models import Attachment, Ticket

# Routing's choice kind: handlers/routing/act.py receives the press for both.
PREFIX = "route:undo:"
OTHER_TICKETS = 5  # the merchant's other open tickets offered instead


@dataclass(frozen=True)
class Taken:
    """What came off `ticket`: the message's text and the files sent with it."""

    ticket: Ticket
    text: str
    files: list[Attachment]
    others: list[Ticket]


def button(ticket: Ticket, message_id: int) -> Choice:
    return Choice(
        t("routing.undo", reference=ticket.reference),
        f"{PREFIX}{ticket.reference}:{message_id}",
    )


async def take_back(turn: Turn, value: str) -> Taken | None:
    """Take the message `value` names (`INT-4:17`) and its files off the ticket. None, the
    merchant told why, when it is not theirs or no longer there."""
    reference, _, number = value.rpartition(":")
    tx, now = turn.tx, turn.now
    ticket = await tx.tickets.get(reference, for_update=True) if number.isdigit() else None
    if ticket is None or not turn.owns(ticket):
        turn.say(t("stale_choice"))
        return None
    message_id = int(number)
    # The files first: they point at the message.
    files = await tx.attachments.take_off(ticket.id, message_id, turn.actor)  # type: ignore[arg-type]
    text = await tx.tickets.remove_message(ticket, message_id, turn.actor)
    if text is None and not files:
        turn.say(t("routing.undo.gone", reference=ticket.reference))
        return None
    actor = one_line(turn.actor_name)
    notifier = turn.desk.notifier
    with notifier.for_team():
        if files:
            tx.tickets.record(ticket, turn.actor, "attachment_removed", now, old=names_of(files))
            entry = t(
                "timeline.attachment_removed",
                reporter=actor,
                names=names_of(files),
                reference=ticket.reference,
            )
        else:
            tx.tickets.record(ticket, turn.actor, "followup_undone", now)
            entry = t("timeline.followup_undone", reporter=actor, reference=ticket.reference)
            entry += "\n" + quoted(text or "")
    notifier.timeline(tx, ticket, entry, now)
    incoming = turn.incoming
    mine = await tx.tickets.for_reporter(
        incoming.channel, incoming.user_id, unresolved_only=True, limit=OTHER_TICKETS + 1
    )
    others = [tk for tk in mine if tk.id != ticket.id][:OTHER_TICKETS]
    return Taken(ticket, text or "", files, others)
