"""What the desk does with a merchant's free text once `classify` has said where it goes.

A message about an active ticket (unresolved, touched within `[desk] followup_window`) is added
to it at once, with a "Not about INT-4" button (handlers/not_about.py, shared with files) that
takes it back and asks where it belongs;
status questions also get the ticket's status. Questions and problem reports go to the knowledge
base; without a confident answer the merchant is offered to report it (title pre-filled) or to
ask the team. Urgent messages are offered a Critical report.

One guard stands before any knowledge-base answer: when the message is tied to an active ticket
(classify.decide: it shares the ticket's topic, names its details, or uses follow-up words), the
merchant is first asked "About INT-4 or something new?". A follow-up the rules misread thus
reaches its ticket in one tap and is never answered with an unrelated entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from handlers import ask, file_routing, merchant, not_about, report
from handlers.events import Choice
from handlers.messages import t
from handlers.render import one_line
from handlers.routing.classify import Label, Topic, decide, referenced_numbers
from handlers.turn import Turn
from storage.models import Ticket

CHOICE = "route"


async def route(turn: Turn, text: str) -> None:
    incoming = turn.incoming
    tickets = list(
        await turn.tx.tickets.for_reporter(
            incoming.channel,
            incoming.user_id,
            unresolved_only=True,
            limit=merchant.MAX_FOLLOWUP_CHOICES,
        )
    )
    limit = turn.desk.settings.limits.max_followup_length
    if tickets and len(text.strip()) > limit and turn.desk.files is None:
        # It could be about one of them, and no ticket takes a message this long.
        turn.reset()
        turn.say(t("report.too_long", length=len(text.strip()), limit=limit))
        return
    named = _named(turn, text, tickets)
    since = turn.now - turn.desk.settings.followup_window
    active = [named] if named is not None else [tk for tk in tickets if tk.updated_at >= since]
    topics = [Topic(tk.title, tk.description) for tk in active]
    decision = decide(text, topics, named=named is not None)
    if decision.confirm:
        tied = [active[i] for i in decision.tied]
        await _knowledge(turn, text.strip(), active, tickets, tied)
        return
    await _ACTIONS[decision.label](turn, text.strip(), active, tickets)


def _named(turn: Turn, text: str, tickets: Sequence[Ticket]) -> Ticket | None:
    """One of the merchant's unresolved tickets named in the text ("INT-4 still fails")."""
    numbers = referenced_numbers(text, turn.desk.settings.reference_prefix)
    for ticket in tickets:
        if int(ticket.reference.rsplit("-", 1)[-1]) in numbers:
            return ticket
    return None


async def _menu(turn: Turn, _text: str, _active: list[Ticket], _all: list[Ticket]) -> None:
    merchant.show_menu(turn)


async def _status(turn: Turn, text: str, active: list[Ticket], tickets: list[Ticket]) -> None:
    if len(active) == 1:
        ticket = active[0]
        message_id = await _record(turn, ticket, text)
        if message_id is None:
            return
        turn.say(await merchant.status_reply(turn, ticket))
        turn.say(
            t("routing.status.recorded", reference=ticket.reference),
            (not_about.button(ticket, message_id),),
        )
    elif active or tickets:
        _which(turn, text, active or tickets, "status")
    else:
        turn.say(t("routing.no_tickets"), merchant.menu_choices())


async def _followup(turn: Turn, text: str, active: list[Ticket], tickets: list[Ticket]) -> None:
    if len(active) != 1:
        _which(turn, text, active or tickets, "followup")
        return
    ticket = active[0]
    message_id = await _record(turn, ticket, text)
    if message_id is not None:
        turn.say(
            t("routing.followup.added", reference=ticket.reference, line=status_line(ticket)),
            (not_about.button(ticket, message_id),),
        )


async def _knowledge(
    turn: Turn,
    text: str,
    _active: list[Ticket],
    tickets: list[Ticket],
    tied: Sequence[Ticket] = (),
) -> None:
    kb = ask.knowledge(turn)
    if kb is not None and len(text) <= turn.desk.settings.max_details_length:
        found = kb.answer(text)
        if found is not None and tied:
            _about_or_new(turn, text, tied)
            return
        if found is not None:
            turn.reset()
            ask.show_answer(turn, found)
            return
    merchant.hold(turn, text)
    choices = [
        Choice(t("routing.choice.report"), "menu:report"),
        Choice(t("routing.choice.ask"), "menu:ask"),
        *merchant.ticket_choices(tickets),
    ]
    turn.say(t("routing.no_answer"), tuple(choices))


def _about_or_new(turn: Turn, text: str, tied: Sequence[Ticket]) -> None:
    """Ask before answering from the knowledge base: the message may be about `tied`."""
    merchant.hold(turn, text)
    if len(tied) == 1:
        lead = t("routing.about_or_new", reference=tied[0].reference, line=status_line(tied[0]))
    else:
        lead = t("routing.about_which_or_new")
    choices = [*merchant.ticket_choices(tied), Choice(t("routing.choice.new"), f"{CHOICE}:new")]
    turn.say(lead, tuple(choices))


async def _urgent(turn: Turn, text: str, _active: list[Ticket], tickets: list[Ticket]) -> None:
    merchant.hold(turn, text)
    choices = [
        Choice(t("routing.choice.critical"), f"{CHOICE}:critical"),
        Choice(t("routing.choice.ask"), "menu:ask"),
        *merchant.ticket_choices(tickets),
    ]
    turn.say(t("routing.urgent"), tuple(choices))


_ACTIONS: dict[Label, Callable[[Turn, str, list[Ticket], list[Ticket]], Awaitable[None]]] = {
    Label.greeting: _menu,
    Label.other: _menu,
    Label.status: _status,
    Label.followup: _followup,
    Label.question: _knowledge,
    Label.new_issue: _knowledge,
    Label.urgent: _urgent,
}


def status_line(ticket: Ticket) -> str:
    """ "INT-4 · Open · Critical · Payouts failing": where a ticket stands, in one line."""
    parts = [ticket.reference, t.word("status", ticket.status)]
    if ticket.severity:
        parts.append(t.word("severity", ticket.severity))
    parts.append(one_line(ticket.title))
    return " · ".join(parts)


def _which(turn: Turn, text: str, tickets: Sequence[Ticket], intent: str) -> None:
    merchant.hold(turn, text, intent)
    choices = [
        *merchant.ticket_choices(tickets),
        Choice(t("followup.new_report"), "menu:report"),
        Choice(t("followup.new_question"), "menu:ask"),
    ]
    turn.say(t("followup.which"), tuple(choices))


async def _record(turn: Turn, ticket: Ticket, text: str) -> int | None:
    turn.reset()
    limit = turn.desk.settings.limits.max_followup_length
    if len(text) > limit and turn.desk.files is None:
        turn.say(t("report.too_long", length=len(text), limit=limit))
        return None
    return await merchant.record_followup(turn, ticket, text)


async def choice(turn: Turn, value: str) -> None:
    """A `route:` button: report the held urgent message as Critical, answer a held message as
    something new, or take a message back."""
    action, _, rest = value.partition(":")
    text = str(turn.state.data.get("text", "")) if turn.state.flow == merchant.FOLLOWUP else ""
    if action == "critical" and turn.state.flow == merchant.FOLLOWUP:
        await report.start_with(turn, text, severity="critical")
        return
    if action == "new" and text:
        incoming = turn.incoming
        tickets = await turn.tx.tickets.for_reporter(
            incoming.channel,
            incoming.user_id,
            unresolved_only=True,
            limit=merchant.MAX_FOLLOWUP_CHOICES,
        )
        await _knowledge(turn, text, [], list(tickets))
        return
    if action == "undo":
        # "Not about INT-4" under a text follow-up or under files: one undo for both.
        taken = await not_about.take_back(turn, rest)
        if taken is not None:
            (file_routing.offer_again if taken.files else _offer_elsewhere)(turn, taken)
        return
    turn.say(t("stale_choice"))


def _offer_elsewhere(turn: Turn, taken: not_about.Taken) -> None:
    """After "Not about INT-4" took a message back: held while the merchant picks where it
    goes."""
    merchant.hold(turn, taken.text)
    choices = [
        *merchant.ticket_choices(taken.others),
        Choice(t("routing.choice.report"), "menu:report"),
        Choice(t("routing.choice.ask"), "menu:ask"),
    ]
    turn.say(t("routing.undone", reference=taken.ticket.reference), tuple(choices))
