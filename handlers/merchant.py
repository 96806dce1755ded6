"""What a merchant does outside the report and ask flows: menu, status, own tickets, follow-ups."""

from __future__ import annotations

from collections.abc import Sequence

from handlers import attaching, attachments, commands, facts
from handlers.attachments import listing
from handlers.events import Choice
from handlers.members import name_of
from handlers.messages import t
from handlers.references import normalise_reference, split_reference
from handlers.render import details_excerpt, one_line, quoted, status_text
from handlers.turn import Turn
from storage.models import Ticket

FOLLOWUP = "followup"
MAX_FOLLOWUP_CHOICES = 5


def menu_choices() -> tuple[Choice, ...]:
    return (
        Choice(t("menu.choice.report"), "menu:report"),
        Choice(t("menu.choice.ask"), "menu:ask"),
        Choice(t("menu.choice.mytickets"), "menu:mytickets"),
        Choice(t("menu.choice.integrate"), "menu:integrate"),
    )


def show_menu(turn: Turn, lead: str | None = None) -> None:
    text = t("menu", name=turn.actor_name)
    if turn.is_team:
        text += "\n" + "\n".join((t("menu.team"), t("teamview.commands"), t("menu.team.program")))
    if lead:
        text = f"{lead}\n{text}"
    turn.say(text, menu_choices())


async def find_ticket(
    turn: Turn, command: str, args: str, *, for_update: bool = False
) -> Ticket | None:
    """The ticket named in `args` if this user may see it; otherwise says why and gives None.

    Another reporter's ticket answers exactly like a missing one, so references reveal nothing.
    `for_update` locks the ticket's row for a change (see `TicketRepository.get`).
    """
    prefix = turn.desk.settings.reference_prefix
    word, _ = split_reference(args, turn.desk.prefixes)
    if not word:
        word = commands.word_for(command, t.language)
        turn.say(t("ref.missing", command=word, prefix=prefix))
        return None
    reference = normalise_reference(word, prefix)
    if reference is None:
        turn.say(t("ref.malformed", text=word[:40], prefix=prefix))
        return None
    ticket = await turn.tx.tickets.get(reference, for_update=for_update)
    if ticket is None or not (turn.is_team or turn.owns(ticket)):
        key = "ref.not_found_team" if turn.is_team else "ref.not_found"
        turn.say(t(key, reference=reference))
        return None
    return ticket


async def status(turn: Turn, args: str) -> None:
    ticket = await find_ticket(turn, "status", args)
    if ticket is None:
        return
    turn.say(await status_reply(turn, ticket))


async def status_reply(turn: Turn, ticket: Ticket) -> str:
    """Where `ticket` stands and the team's latest public replies, as its reporter sees it."""
    assignee = (
        await name_of(turn.tx, turn.desk.settings.names, ticket.assignee)
        if ticket.assignee
        else None
    )
    text = status_text(ticket, turn.desk.settings.timezone, assignee)
    if turn.is_team and (excerpt := details_excerpt(ticket)):
        text += "\n" + excerpt  # the team reads what the merchant wrote, not just the title
    replies = [
        m
        for m in await turn.tx.tickets.messages(ticket)
        if m.public and m.author != ticket_author(ticket)
    ]
    if replies:
        text += "\n" + t("status.replies")
        for message in replies[-3:]:
            text += f"\n— {message.text}"
    files = listing(await turn.tx.attachments.for_ticket(ticket.id), internal=turn.is_team)  # type: ignore[arg-type]
    if files:
        text += "\n" + files
    return text


def ticket_author(ticket: Ticket) -> str:
    return f"{ticket.reporter_channel}:{ticket.reporter_user_id}"


async def my_tickets(turn: Turn) -> None:
    incoming = turn.incoming
    tickets = await turn.tx.tickets.for_reporter(incoming.channel, incoming.user_id)
    if not tickets:
        turn.say(t("mytickets.none"), menu_choices())
        return
    turn.say("\n".join([t("mytickets.header"), *ticket_lines(tickets)]))


def ticket_lines(tickets: Sequence[Ticket]) -> list[str]:
    """One line per ticket, as `mytickets` lists a reporter's own."""
    return [
        t(
            "mytickets.line",
            reference=ticket.reference,
            status=t.word("status", ticket.status),
            severity=t.word("severity", ticket.severity),
            title=ticket.title,
        )
        for ticket in tickets
    ]


def ticket_choices(tickets: Sequence[Ticket]) -> list[Choice]:
    """A choice "Add to INT-4: title" for each of `tickets`, for text held in the offer."""
    return [
        Choice(
            t("followup.add", reference=tk.reference, title=tk.title), f"followup:{tk.reference}"
        )
        for tk in tickets[:MAX_FOLLOWUP_CHOICES]
    ]


def hold(turn: Turn, text: str, intent: str = "") -> None:
    """Keep `text` while the merchant chooses where it goes (a ticket, a report, a question)."""
    turn.reset()
    turn.go(FOLLOWUP, "which", text=text, intent=intent)


def pending_text(turn: Turn, command: str) -> str:
    """The loose message a follow-up offer was holding, when it can start `command`."""
    if turn.state.flow != FOLLOWUP:
        return ""
    text = str(turn.state.data.get("text", "")).strip()
    if command == "ask" or (
        command == "report" and len(text) <= turn.desk.settings.max_title_length
    ):
        return text
    return ""


async def add_followup(turn: Turn, reference: str) -> None:
    text = turn.state.data.get("text") if turn.state.flow == FOLLOWUP else None
    intent = turn.state.data.get("intent") if turn.state.flow == FOLLOWUP else None
    turn.reset()
    ticket = await turn.tx.tickets.get(reference)
    if text is None or ticket is None or not turn.owns(ticket):
        turn.say(t("followup.expired"))
        return
    await record_followup(turn, ticket, text)
    turn.say(t("followup.added", reference=ticket.reference))
    if intent == "status":
        turn.say(await status_reply(turn, ticket))


async def record_followup(turn: Turn, ticket: Ticket, text: str) -> int:
    """Add the reporter's `text` to `ticket` and tell the team; the message's id (for undo).
    A text past `max_followup_length` (a pasted log) keeps its first part inline and is
    attached whole as details.txt, like over-long report details."""
    tx, now = turn.tx, turn.now
    limit = turn.desk.settings.limits.max_followup_length
    whole = text if len(text) > limit and turn.desk.files is not None else None
    if whole is not None:
        text = whole[: limit - 1].rstrip() + "…"
    message = tx.tickets.add_message(
        ticket, turn.actor, turn.actor_name, text, public=True, now=now
    )
    tx.tickets.record(ticket, turn.actor, "followup", now)
    found = facts.dumps(facts.merged(facts.loads(ticket.facts), facts.extract(whole or text)))
    new_facts = found != facts.dumps(facts.loads(ticket.facts))
    if new_facts:
        tx.tickets.change(ticket, turn.actor, now, facts=found)
    ticket.updated_at = now
    tx.session.add(ticket)
    with turn.desk.notifier.for_team():
        entry = t(
            "timeline.followup",
            reporter=one_line(turn.actor_name),
            reference=ticket.reference,
            text=quoted(text),
        )
    if new_facts:
        # The alert's payment-details line gains what the follow-up brought.
        turn.desk.notifier.ticket_changed(tx, ticket, entry, now)
    else:
        turn.desk.notifier.timeline(tx, ticket, entry, now)
    message_id = await tx.tickets.message_id(message)
    if whole is not None:
        row = await attachments.stored_text(turn, attachments.DETAILS_FILE, whole)
        ids = [row.id] if row.id is not None else []
        await attaching.attach(turn, ticket, ids, transcript=False, message_id=message_id)
        turn.say(t("followup.long", length=len(whole), reference=ticket.reference))
    return message_id
