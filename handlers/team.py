"""The integration team's commands. Every one checks membership first."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from handlers import reopen, satisfaction
from handlers.escalation.sla import list_note
from handlers.members import display_name, matching
from handlers.merchant import find_ticket
from handlers.messages import EN, t
from handlers.notify import Target
from handlers.references import looks_like_reference
from handlers.render import age
from handlers.turn import Turn
from storage.models import UNRESOLVED, Status, Ticket

USAGE = {
    "ack": "ack REF",
    "take": "take REF",
    "assign": "assign REF <member>",
    "resolve": "resolve REF [REF...] [note]",
    "note": "note REF <text>",
    "reply": "reply REF <text>",
    "list": "list [open|critical|major|minor]",
    "reopen": "reopen REF",
}
LIST_FILTERS = ("open", "critical", "major", "minor")
DONE = (Status.resolved, Status.closed)
MAX_RESOLVE = 100  # references in one `resolve`
_LEADING = re.compile(r"([^\s,]+)[\s,]*")


async def run(turn: Turn, command: str, args: str) -> None:
    if not turn.is_team:
        turn.say(t("team.refused"))
        return
    if command == "list":
        await list_tickets(turn, args)
        return
    if not args.strip():
        turn.say(t("team.usage", usage=USAGE[command]))
        return
    if command == "resolve":
        await _resolve_all(turn, args)
        return
    # Locked: two members pressing Acknowledge at once through two processes must change the
    # ticket once; the second waits, then sees the first's change ("already acknowledged").
    ticket = await find_ticket(turn, command, args, for_update=True)
    if ticket is None:
        return
    rest = args.strip().split(maxsplit=1)
    text = rest[1].strip() if len(rest) > 1 else ""
    await ACTIONS[command](turn, ticket, text)


def _acknowledge(turn: Turn, ticket: Ticket) -> None:
    tx, now = turn.tx, turn.now
    tx.tickets.change(
        ticket,
        turn.actor,
        now,
        status=Status.acknowledged,
        acknowledged_at=now,
        acknowledged_by=turn.actor_name,
        next_escalation_at=None,
    )
    notifier = turn.desk.notifier
    with notifier.for_reporter(ticket):
        notice = t("notify.acknowledged", reference=ticket.reference, title=ticket.title)
    notifier.to_reporter(tx, ticket, notice, now)


async def _observe(turn: Turn, ticket: Ticket, moment: str) -> None:
    for observer in turn.desk.observers:
        await getattr(observer, moment)(turn.tx, ticket, turn.now)


def _changed(turn: Turn, ticket: Ticket, change: str, **values: str) -> None:
    """`change`: a status (`status.*` word) or a message key, rendered in the team's language."""
    notifier = turn.desk.notifier
    with notifier.for_team():
        words = t(change, **values) if change in EN else t.word("status", change)
        timeline = t(
            "timeline.status", reference=ticket.reference, change=words, actor=turn.actor_name
        )
    notifier.ticket_changed(turn.tx, ticket, timeline, turn.now)


def _already_done(turn: Turn, ticket: Ticket) -> bool:
    """Says so and returns True when the ticket is resolved or closed already."""
    if ticket.status not in DONE:
        return False
    turn.say(
        t(
            "team.already_resolved",
            reference=ticket.reference,
            status=t.word("status", ticket.status),
        )
    )
    return True


async def ack(turn: Turn, ticket: Ticket, _text: str) -> None:
    if _already_done(turn, ticket):
        return
    if ticket.acknowledged_at is not None:
        turn.say(
            t("team.already_acknowledged", reference=ticket.reference, actor=ticket.acknowledged_by)
        )
        return
    _acknowledge(turn, ticket)
    await _observe(turn, ticket, "acknowledged")
    _changed(turn, ticket, Status.acknowledged)
    turn.say(t("team.acknowledged", reference=ticket.reference, actor=turn.actor_name))


async def _assign(
    turn: Turn, ticket: Ticket, member: str, label: str, for_merchant: str | None = None
) -> None:
    """`label` names the member for the team; `for_merchant` (default: `label`) for the
    reporter, who never sees a platform id."""
    if _already_done(turn, ticket):
        return
    first_ack = ticket.acknowledged_at is None
    if first_ack:
        _acknowledge(turn, ticket)
        await _observe(turn, ticket, "acknowledged")
    turn.tx.tickets.change(ticket, turn.actor, turn.now, assignee=member, status=Status.in_progress)
    if not first_ack:
        with turn.desk.notifier.for_reporter(ticket):
            notice = t(
                "notify.in_progress", member=for_merchant or label, reference=ticket.reference
            )
        turn.desk.notifier.to_reporter(turn.tx, ticket, notice, turn.now)
    _changed(turn, ticket, "team.assigned", reference=ticket.reference or "", assignee=label)


async def take(turn: Turn, ticket: Ticket, _text: str) -> None:
    await _assign(turn, ticket, turn.actor, turn.actor_name)
    turn.say(t("team.taken", reference=ticket.reference, actor=turn.actor_name))


async def assign(turn: Turn, ticket: Ticket, text: str) -> None:
    members = turn.desk.settings.members
    wanted = text.split()[0] if text.split() else ""
    if not wanted:
        turn.say(t("team.usage", usage=USAGE["assign"]))
        return
    configured = turn.desk.settings.names
    learned = await turn.tx.members.all()
    # The full `channel:id`, the bare id, or a name, when it names exactly one member.
    matches = matching(wanted, members, configured, learned)
    if len(matches) != 1:
        known = ", ".join(f"{display_name(m, configured, learned)} ({m})" for m in sorted(members))
        turn.say(t("team.unknown_member", member=wanted, members=known))
        return
    member = matches[0]
    # The team may read an unnamed member's id; the reporter reads "a team member".
    label = configured.get(member) or learned.get(member) or member
    await _assign(turn, ticket, member, label, display_name(member, configured, learned))
    if member != turn.actor:
        with turn.desk.notifier.for_team():
            told = t(
                "team.assigned_to_you",
                reference=ticket.reference,
                actor=turn.actor_name,
                title=ticket.title,
            )
        turn.desk.notifier.to_member(turn.tx, member, told, turn.now)
    turn.say(t("team.assigned", reference=ticket.reference, assignee=label))


async def resolve(turn: Turn, ticket: Ticket, text: str) -> None:
    if _already_done(turn, ticket):
        return
    tx, now = turn.tx, turn.now
    tx.tickets.change(
        ticket,
        turn.actor,
        now,
        status=Status.resolved,
        resolved_at=now,
        resolved_by=turn.actor_name,
        next_escalation_at=None,
    )
    with turn.desk.notifier.for_reporter(ticket):
        notice = t("notify.resolved", reference=ticket.reference, title=ticket.title)
        if text:
            notice += "\n" + t("notify.resolved_note", note=text)
        asked, thumbs = satisfaction.question(ticket)
    if text:
        tx.tickets.add_message(ticket, turn.actor, turn.actor_name, text, public=True, now=now)
    turn.desk.notifier.to_reporter(tx, ticket, f"{notice}\n{asked}", now, thumbs)
    await _observe(turn, ticket, "resolved")
    _changed(turn, ticket, Status.resolved)
    turn.say(t("team.resolved", reference=ticket.reference, actor=turn.actor_name))


async def _resolve_all(turn: Turn, args: str) -> None:
    """`resolve INT-1 INT-2, INT-3 [note]`: every leading reference is resolved, each with the
    note, so a flood of tickets is cleared in one command. After the first, only references
    written in full (`INT-2`, `#2`) count: "resolve INT-1 3 retries fixed it" is one ticket."""
    rest = args.strip()
    references: list[str] = []
    while (word := _LEADING.match(rest)) is not None:
        token = word.group(1)
        full = "-" in token or token.startswith("#")
        if not looks_like_reference(token) or (references and not full):
            break
        references.append(token)
        rest = rest[word.end() :]
    if not references:
        await find_ticket(turn, "resolve", args)  # says what is wrong with it
        return
    for reference in list(dict.fromkeys(references))[:MAX_RESOLVE]:
        ticket = await find_ticket(turn, "resolve", reference, for_update=True)
        if ticket is not None:
            await resolve(turn, ticket, rest.strip())
    if len(references) > MAX_RESOLVE:
        turn.say(t("team.resolve_too_many", limit=MAX_RESOLVE))


async def note(turn: Turn, ticket: Ticket, text: str) -> None:
    if not text:
        turn.say(t("team.note_text_missing", reference=ticket.reference))
        return
    tx, now = turn.tx, turn.now
    tx.tickets.add_message(ticket, turn.actor, turn.actor_name, text, public=False, now=now)
    tx.tickets.record(ticket, turn.actor, "note", now)
    incoming = turn.incoming
    # A note typed in the ticket's own thread is already in that timeline.
    written_in = Target(incoming.channel, incoming.chat_id) if incoming.thread_id else None
    with turn.desk.notifier.for_team():
        entry = t("timeline.note", reference=ticket.reference, actor=turn.actor_name, text=text)
    turn.desk.notifier.timeline(tx, ticket, entry, now, skip=written_in)
    turn.say(t("team.noted", reference=ticket.reference))


async def reply(turn: Turn, ticket: Ticket, text: str) -> None:
    if not text:
        turn.say(t("team.reply_text_missing", reference=ticket.reference))
        return
    if ticket.acknowledged_at is None and ticket.status not in DONE:
        # Answering the merchant is acknowledging the ticket: it stops the pages, in this
        # same transaction (the row is locked, so of two members only one acknowledges).
        await ack(turn, ticket, "")
    tx, now = turn.tx, turn.now
    tx.tickets.add_message(ticket, turn.actor, turn.actor_name, text, public=True, now=now)
    tx.tickets.record(ticket, turn.actor, "reply", now)
    notifier = turn.desk.notifier
    with notifier.for_reporter(ticket):
        notice = t("notify.reply", reference=ticket.reference, text=text)
    notifier.to_reporter(tx, ticket, notice, now)
    with notifier.for_team():
        entry = t("timeline.reply", reference=ticket.reference, actor=turn.actor_name, text=text)
    notifier.timeline(tx, ticket, entry, now)
    turn.say(t("team.replied", reference=ticket.reference))


async def list_tickets(turn: Turn, args: str) -> None:
    wanted = args.strip().lower() or "open"
    if wanted not in LIST_FILTERS:
        turn.say(t("team.list.bad_filter"))
        return
    severity = None if wanted == "open" else wanted
    tickets = await turn.tx.tickets.search(statuses=UNRESOLVED, severity=severity)
    if not tickets:
        turn.say(t("team.list.none"))
        return
    order = {"critical": 0, "major": 1, "minor": 2}
    tickets = sorted(tickets, key=lambda tk: (order.get(tk.severity or "", 3), tk.created_at))
    lines = [t("team.list.header", count=len(tickets))]
    configured, learned = turn.desk.settings.names, await turn.tx.members.all()
    for ticket in tickets[:50]:
        lines.append(
            t(
                "team.list.line",
                reference=ticket.reference,
                severity=t.word("severity", ticket.severity),
                status=t.word("status", ticket.status),
                age=age(ticket.created_at, turn.now),
                title=ticket.title,
                assignee=(
                    f" ({display_name(ticket.assignee, configured, learned)})"
                    if ticket.assignee
                    else ""
                ),
            )
            + list_note(ticket, turn.now)
        )
    turn.say("\n".join(lines))


ACTIONS: dict[str, Callable[[Turn, Ticket, str], Awaitable[None]]] = {
    "ack": ack,
    "take": take,
    "assign": assign,
    "resolve": resolve,
    "note": note,
    "reply": reply,
    "reopen": reopen.by_team,
}
