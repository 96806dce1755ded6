""" "Did this solve it?": asked with every resolved notice, answered with 👍 / 👎 (buttons, or the
emoji typed), stored once per resolution, and 👎 offers reopening.

A resolution is a *round*: the ticket's `reopen_count` when it was resolved. The buttons carry
it, so a button from before a reopen is stale, and a second press of the same round is told
it was answered already (the unique (ticket, round) decides, whatever the process).
"""

from __future__ import annotations

from handlers import reopen
from handlers.events import Choice
from handlers.merchant import find_ticket
from handlers.messages import t
from handlers.turn import Turn
from storage.models import Ticket
from storage.reopens import DONE, ReopenRepository

UP, DOWN = "csat:up:", "csat:down:"
THUMBS_UP, THUMBS_DOWN = "👍", "👎"
# Variation selectors and skin tones some keyboards add to the thumbs.
_DECORATIONS = dict.fromkeys(
    map(ord, "\ufe0f\ufe0e\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
)
EVENT = "satisfaction"


def question(ticket: Ticket) -> tuple[str, tuple[Choice, ...]]:
    """The question's line and its two buttons, in the current language (the reporter's)."""
    suffix = f"{ticket.reference}:{ticket.reopen_count}"
    return t("csat.question"), (
        Choice(THUMBS_UP, f"{UP}{suffix}"),
        Choice(THUMBS_DOWN, f"{DOWN}{suffix}"),
    )


async def choice(turn: Turn, value: str) -> bool:
    """A `csat:` button."""
    if not value.startswith((UP, DOWN)):
        turn.say(t("stale_choice"))
        return True
    solved = value.startswith(UP)
    reference, _, round_text = value.split(":", 2)[2].rpartition(":")
    if not round_text.isdigit():
        turn.say(t("stale_choice"))
        return True
    ticket = await find_ticket(turn, "status", reference)
    if ticket is not None:
        await _answer(turn, ticket, int(round_text), solved)
    return True


async def typed(turn: Turn, text: str) -> bool:
    """👍 or 👎 typed alone: the answer for the reporter's latest resolved ticket. False for any
    other text, or when nothing of theirs is resolved."""
    typed = text.strip().translate(_DECORATIONS)
    if typed not in (THUMBS_UP, THUMBS_DOWN):
        return False
    incoming = turn.incoming
    mine = await turn.tx.tickets.for_reporter(incoming.channel, incoming.user_id, limit=5)
    done = [tk for tk in mine if tk.status in DONE and tk.resolved_at is not None]
    if not done:
        return False
    ticket = max(done, key=lambda tk: tk.resolved_at or tk.updated_at)
    await _answer(turn, ticket, ticket.reopen_count, typed == THUMBS_UP)
    return True


async def _answer(turn: Turn, ticket: Ticket, round_: int, solved: bool) -> None:
    reference = ticket.reference
    if ticket.reopen_count != round_ or ticket.status not in DONE:
        turn.say(t("csat.stale", reference=reference))
        return
    if not await ReopenRepository(turn.tx.session).answer(ticket, round_, solved, turn.now):
        turn.say(t("csat.already", reference=reference))
        return
    answer = THUMBS_UP if solved else THUMBS_DOWN
    turn.tx.tickets.record(ticket, turn.actor, EVENT, turn.now, field="solved", new=answer)
    notifier = turn.desk.notifier
    with notifier.for_team():
        entry = t("csat.timeline", reference=reference, answer=answer)
    notifier.timeline(turn.tx, ticket, entry, turn.now)
    if solved:
        turn.say(t("csat.thanks", reference=reference))
    elif reopen.recent(turn, ticket):
        turn.reset()
        turn.go(reopen.OFFER, "offered", reference=reference, text="")
        turn.say(t("csat.sorry", reference=reference), reopen.choices(ticket))
    else:
        await reopen.command(turn, reference)
