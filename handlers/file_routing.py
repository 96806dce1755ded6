"""Files sent outside a report: routed like a follow-up, onto the sender's one open ticket
(with "Not about INT-4" to take them back, handlers/not_about.py), or the sender picks the
ticket when several are open, or a report starts. Right after a report filed from a form
(which has no upload step), the files sent next go to that ticket."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from handlers.attaching import attach
from handlers.events import Choice
from handlers.filetypes import names_of
from handlers.messages import t
from handlers.not_about import Taken, button
from handlers.turn import Turn
from storage.models import UNRESOLVED, Attachment, Ticket

FLOW = "attach"
OPEN_CHOICES = 5


async def route(turn: Turn, rows: list[Attachment]) -> None:
    """Files sent outside a flow: to the one open ticket, a choice of several, or a report."""
    incoming = turn.incoming
    ids = [row.id for row in rows]
    open_tickets = await turn.tx.tickets.for_reporter(
        incoming.channel, incoming.user_id, unresolved_only=True, limit=OPEN_CHOICES
    )
    if not open_tickets:
        await start_report(turn, rows)
        return
    if len(open_tickets) == 1:
        await _attach_and_offer_undo(turn, open_tickets[0], rows, incoming.text)
        return
    turn.reset()
    turn.go(FLOW, "which", files=ids, caption=incoming.text)
    _offer_tickets(turn, rows, open_tickets)


def _offer_tickets(turn: Turn, rows: Sequence[Attachment], tickets: Sequence[Ticket]) -> None:
    choices = [
        Choice(t("attach.to", reference=tk.reference, title=tk.title), f"attach:to:{tk.reference}")
        for tk in tickets
    ]
    choices.append(Choice(t("attach.new_report"), "attach:new"))
    turn.say(t("attach.which", names=names_of(rows)), tuple(choices))


async def _attach_and_offer_undo(
    turn: Turn, ticket: Ticket, rows: list[Attachment], caption: str
) -> None:
    ids = [row.id for row in rows if row.id is not None]
    kept = await attach(turn, ticket, ids, caption)
    if not kept:
        return
    turn.reset()
    choices = () if kept[0].message_id is None else (button(ticket, kept[0].message_id),)
    turn.say(
        t(
            "attach.added",
            names=names_of(kept),
            reference=ticket.reference,
            status=t.word("status", ticket.status),
        ),
        choices,
    )


async def start_report(turn: Turn, rows: list[Attachment]) -> None:
    from handlers import report

    caption = turn.incoming.text.strip()
    turn.say(t("attach.start_report", names=names_of(rows)))
    title = caption if 0 < len(caption) <= turn.desk.settings.max_title_length else ""
    await report.start(turn, title)
    if turn.state.flow == report.FLOW:
        turn.state.data["files"] = [row.id for row in rows]


async def choice(turn: Turn, value: str) -> bool:
    """`attach:to:INT-4`, `attach:new`; False for anything else."""
    action, _, reference = value.partition(":")
    state = turn.state
    ids = [int(i) for i in state.data.get("files", [])] if state.flow == FLOW else []
    # Read before the conversation is reset below.
    caption = str(state.data.get("caption", "")) if state.flow == FLOW else ""
    if action not in ("to", "new"):
        return False
    if not ids:
        turn.say(t("attach.expired"))
        return True
    rows = [r for r in [await turn.tx.attachments.get(i) for i in ids] if r is not None]
    if not rows or any(r.owner != turn.actor for r in rows):
        turn.reset()
        turn.say(t("attach.expired"))
        return True
    turn.reset()
    if action == "new":
        await start_report(turn, rows)
        return True
    # Locked now, as attach() would: a ticket resolved since the choices were offered is seen
    # here, not after the check.
    ticket = await turn.tx.tickets.get(reference, for_update=True)
    if ticket is None or not turn.owns(ticket):
        turn.say(t("attach.expired"))
        return True
    if ticket.status not in UNRESOLVED:
        status = t.word("status", ticket.status)
        turn.say(
            t("attach.closed", reference=ticket.reference, status=status, names=names_of(rows))
        )
        others = await turn.tx.tickets.for_reporter(
            turn.incoming.channel, turn.incoming.user_id, unresolved_only=True, limit=OPEN_CHOICES
        )
        turn.go(FLOW, "which", files=ids, caption=caption)
        _offer_tickets(turn, rows, others)
        return True
    await _attach_and_offer_undo(turn, ticket, rows, caption)
    return True


def offer_again(turn: Turn, taken: Taken) -> None:
    """After "Not about INT-4" took files back: held while their sender picks where they go."""
    turn.say(t("attach.removed", names=names_of(taken.files), reference=taken.ticket.reference))
    turn.reset()
    turn.go(FLOW, "which", files=[row.id for row in taken.files], caption=taken.text)
    _offer_tickets(turn, taken.files, taken.others)


def expect_files(turn: Turn, ticket: Ticket) -> None:
    """After a report filed from a form: offer to send files (a line under the confirmation),
    and send the next ones to the ticket."""
    offer = t("report.files.after_form", reference=ticket.reference)
    last = turn.replies[-1] if turn.replies else None
    if last is not None and not last.choices:
        turn.replies[-1] = replace(last, text=f"{last.text}\n{offer}")
    else:
        turn.say(offer)
    if turn.state.flow in (None, FLOW):
        # A conversation the merchant is in the middle of (a chat report) keeps its own place.
        turn.reset()
        turn.go(FLOW, "expecting", expecting=ticket.reference)


async def to_expecting(turn: Turn, rows: list[Attachment]) -> bool:
    """Files right after a form report (one message or several in a row): onto that ticket,
    with the usual undo."""
    state = turn.state
    expecting = state.data.get("expecting") if state.flow == FLOW else None
    if not expecting:
        return False
    ticket = await turn.tx.tickets.get(str(expecting), for_update=True)
    if ticket is None or not turn.owns(ticket) or ticket.status not in UNRESOLVED:
        return False
    if ticket.updated_at < turn.now - turn.desk.settings.followup_window:
        return False  # no longer what the merchant is busy with: routed as usual
    await _attach_and_offer_undo(turn, ticket, rows, turn.incoming.text)
    turn.go(FLOW, "expecting", expecting=ticket.reference)
    return True
