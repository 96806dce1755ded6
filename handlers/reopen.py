"""Reopening resolved tickets.

A merchant writing about one of their tickets resolved within `[desk] reopen_within` is offered
"Reopen INT-4" / "It's something new" (`offer_for_text`, which free-text routing calls; `offer`
when it already knows the ticket). Reopening (the button, typed `reopen`, the team's
`reopen INT-4`) is one conditional update: of two presses or two processes, one reopens and
tells the team, the other is told it is open already. The reopened ticket is open and
unacknowledged again; escalation starts over from the reopen moment by its severity.
"""

from __future__ import annotations

import re
from datetime import timedelta

from handlers import report
from handlers.escalation.durations import humanize
from handlers.events import Choice
from handlers.merchant import find_ticket
from handlers.messages import t
from handlers.render import one_line, quoted
from handlers.turn import Turn
from storage.models import UNRESOLVED, Ticket
from storage.reopens import DONE, REOPENED, ReopenRepository

OFFER = "reopen_offer"  # the conversation holds the offer's ticket and the merchant's text
REOPEN, NEW = "reopen:yes:", "reopen:new:"
TYPED_REOPEN = ("reopen", "reopen it", "fungua", "fungua tena", "ifungue", "ifungue tena")
TYPED_NEW = ("new", "something new", "it's something new", "mpya", "kipya", "jipya")
# Words of someone saying a fix did not hold. Only read when the merchant has no ticket in
# progress (routing sends those messages to that ticket) and one resolved recently.
_NOT_FIXED = re.compile(
    r"\b(not (fixed|solved|resolved|working)|isn'?t (fixed|working)|doesn'?t work|"
    r"still|again|same (problem|issue|error)|came back|back again|reversed|failing|broken|"
    r"bado|tena|haijatatuliwa|haifanyi kazi|imerudi|limerudi|tatizo lile lile)\b",
    re.IGNORECASE,
)


def window(turn: Turn) -> timedelta:
    return turn.desk.settings.reopen_within


def _references(text: str, prefix: str) -> list[str]:
    """Ticket references written in `text` (`INT-4`, `int 4`, `INT4`, `#4`), in order."""
    pattern = re.compile(rf"(?:\b{re.escape(prefix)}[-\s]?|#)(\d{{1,12}})\b", re.IGNORECASE)
    found = [f"{prefix}-{int(m.group(1))}" for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def recent(turn: Turn, ticket: Ticket) -> bool:
    """Resolved (or closed) within the reopen window."""
    resolved = ticket.resolved_at or ticket.updated_at
    return ticket.status in DONE and turn.now - resolved <= window(turn)


async def resolved_about(turn: Turn, text: str) -> Ticket | None:
    """The merchant's own ticket, resolved within the window, that `text` is about: the one it
    names, else (when it sounds like a fix that did not hold and nothing of theirs is still
    open) the one resolved last."""
    incoming, prefix = turn.incoming, turn.desk.settings.reference_prefix
    for reference in _references(text, prefix):
        ticket = await turn.tx.tickets.get(reference)
        if ticket is not None and turn.owns(ticket) and recent(turn, ticket):
            return ticket
    if not _NOT_FIXED.search(text):
        return None
    mine = await turn.tx.tickets.for_reporter(incoming.channel, incoming.user_id, limit=5)
    if any(ticket.status in UNRESOLVED for ticket in mine):
        return None
    done = [ticket for ticket in mine if recent(turn, ticket)]
    return max(done, key=lambda tk: tk.resolved_at or tk.updated_at) if done else None


async def offer_for_text(turn: Turn, text: str) -> bool:
    """Offer the choice when `text` is about a recently resolved ticket; False otherwise."""
    ticket = await resolved_about(turn, text)
    if ticket is None:
        return False
    offer(turn, ticket, text)
    return True


def choices(ticket: Ticket) -> tuple[Choice, ...]:
    reference = ticket.reference
    return (
        Choice(t("reopen.choice.reopen", reference=reference), f"{REOPEN}{reference}"),
        Choice(t("reopen.choice.new"), f"{NEW}{reference}"),
    )


def offer(turn: Turn, ticket: Ticket, text: str) -> None:
    turn.reset()
    turn.go(OFFER, "offered", reference=ticket.reference, text=text.strip())
    resolved = ticket.resolved_at or ticket.updated_at
    turn.say(
        t(
            "reopen.offer",
            reference=ticket.reference,
            title=one_line(ticket.title),
            ago=humanize(turn.now - resolved),
        ),
        choices(ticket),
    )


async def typed_answer(turn: Turn, text: str) -> bool:
    """`reopen` / `new` (or their Swahili words) typed right after an offer."""
    if turn.state.flow != OFFER:
        return False
    typed = " ".join(text.strip().lower().rstrip(".!").split())
    reference = str(turn.state.data.get("reference", ""))
    if typed in TYPED_REOPEN:
        await choice(turn, f"{REOPEN}{reference}")
        return True
    if typed in TYPED_NEW:
        await choice(turn, f"{NEW}{reference}")
        return True
    return False


async def choice(turn: Turn, value: str) -> bool:
    """A `reopen:` button (from an offer, or from 👎 after a resolve)."""
    if value.startswith(NEW):
        await _something_new(turn)
        return True
    if not value.startswith(REOPEN):
        turn.say(t("stale_choice"))
        return True
    reference = value.removeprefix(REOPEN)
    offered = turn.state.flow == OFFER and turn.state.data.get("reference") == reference
    text = str(turn.state.data.get("text", "")) if offered else ""
    if turn.state.flow == OFFER:
        turn.reset()
    ticket = await find_ticket(turn, "reopen", reference)
    if ticket is not None:
        await _merchant_reopen(turn, ticket, text)
    return True


async def command(turn: Turn, args: str) -> None:
    """`reopen INT-4`: the team reopens any resolved ticket; a reporter their own, within the
    window. Anyone else's ticket is "not found", as everywhere."""
    if not args.strip():
        turn.say(t("reopen.usage", prefix=turn.desk.settings.reference_prefix))
        return
    ticket = await find_ticket(turn, "reopen", args)
    if ticket is None:
        return
    if turn.is_team:
        await by_team(turn, ticket)
    else:
        await _merchant_reopen(turn, ticket, "")


async def by_team(turn: Turn, ticket: Ticket, _text: str = "") -> None:
    if await _reopen(turn, ticket, ""):
        with turn.desk.notifier.for_reporter(ticket):
            notice = t("reopen.notice", reference=ticket.reference, title=ticket.title)
        turn.desk.notifier.to_reporter(turn.tx, ticket, notice, turn.now)
        turn.say(t("reopen.done_team", reference=ticket.reference, actor=turn.actor_name))


async def _merchant_reopen(turn: Turn, ticket: Ticket, text: str) -> None:
    if ticket.status in DONE and not recent(turn, ticket):
        resolved = ticket.resolved_at or ticket.updated_at
        turn.go(OFFER, "too_old", reference=ticket.reference, text=text)
        turn.say(
            t(
                "reopen.too_old",
                reference=ticket.reference,
                ago=humanize(turn.now - resolved),
                days=window(turn).days,
            ),
            (Choice(t("reopen.choice.report"), f"{NEW}{ticket.reference}"),),
        )
        return
    if await _reopen(turn, ticket, text):
        turn.say(t("reopen.done", reference=ticket.reference))


async def _reopen(turn: Turn, ticket: Ticket, text: str) -> bool:
    """Reopen `ticket` and tell the team; False (the person told why) when it is not resolved,
    or another press or process reopened it first."""
    if ticket.status not in DONE:
        # Reopened before (a second press): open again. Never resolved: nothing to reopen.
        key = "reopen.already" if ticket.reopened_at is not None else "reopen.not_resolved"
        turn.say(t(key, reference=ticket.reference, status=t.word("status", ticket.status)))
        return False
    before = ticket.status
    tx, now = turn.tx, turn.now
    if not await ReopenRepository(tx.session).reopen(ticket, now):
        turn.say(t("reopen.already", reference=ticket.reference))
        return False
    tx.tickets.record(
        ticket, turn.actor, REOPENED, now, field="status", old=before, new=ticket.status
    )
    if text:
        tx.tickets.add_message(ticket, turn.actor, turn.actor_name, text, public=True, now=now)
    for observer in turn.desk.observers:
        hook = getattr(observer, "reopened", None)
        if hook is not None:
            await hook(tx, ticket, now)
    notifier = turn.desk.notifier
    with notifier.for_team():
        actor = one_line(turn.actor_name)
        timeline = (
            t("reopen.timeline_text", reference=ticket.reference, actor=actor, text=quoted(text))
            if text
            else t("reopen.timeline", reference=ticket.reference, actor=actor)
        )
    notifier.ticket_changed(tx, ticket, timeline, now)
    return True


async def _something_new(turn: Turn) -> None:
    """A new report, its title taken from the message the offer was about (when it fits)."""
    text = str(turn.state.data.get("text", "")) if turn.state.flow == OFFER else ""
    title = " ".join(text.split())
    if len(title) > turn.desk.settings.max_title_length:
        title = ""
    await report.start(turn, title)
