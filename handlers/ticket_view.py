"""`show REF` for the team: everything about one ticket, in chat, on every channel.

The answer is a few messages of bounded size rather than one long text: Telegram takes 4,096
characters a message, a Slack section 3,000 (and a message about 12,000 in all), and a Slack
`response_url` takes at most five answers. So every part is clipped to a known size, the
transcript keeps its newest entries when there is too much, and the whole fits in `MAX_MESSAGES`
messages of at most `MESSAGE_CHARS` characters each.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.after_hours import policy_of
from handlers.attachments import listing
from handlers.escalation.durations import humanize
from handlers.escalation.sla import Clock, ticket_sla
from handlers.events import Message
from handlers.i18n.dates import short_when
from handlers.members import display_name
from handlers.messages import EN, t
from handlers.render import language_name, one_line, quoted, reporter_label, status_words
from handlers.turn import Turn
from storage.models import Ticket, TicketEvent, TicketMessage

MESSAGE_CHARS = 3500
MAX_MESSAGES = 4
DETAILS_CHARS = 6000  # the details are shown whole up to here
ENTRY_CHARS = 700  # one transcript entry
TRANSCRIPT_ENTRIES = 20  # the newest ones
EVENTS_SHOWN = 8  # the newest ones
MAX_FACT_VALUES = 10  # per kind of payment detail
MAX_FACT = 100  # characters of one value
# Audit fields that repeat what another event of the same change says, or only drive the
# escalation timers: left out of "Last events" so the eight shown are the ones people did.
BOOKKEEPING = frozenset(
    {
        "acknowledged_at",
        "resolved_at",
        "updated_at",
        "next_escalation_at",
        "escalation_level",
        "escalation_repeats",
        "acknowledge_due_at",
        "resolve_due_at",
    }
)

# Another part of `show` (attachments, facts a merchant gave): lines to add for a ticket, read
# in the command's transaction. A feature adds its section to `SECTIONS` below.
Section = Callable[[Turn, Ticket], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class Names:
    """Member ids to the names people see."""

    configured: Mapping[str, str]
    learned: Mapping[str, str]
    members: frozenset[str]

    def of(self, actor: str, fallback: str = "") -> str:
        if actor in self.members:
            return display_name(actor, self.configured, self.learned)
        return fallback or actor


def _quoted_clip(text: str, limit: int) -> str:
    """`text` as the merchant's (or a member's) words, up to `limit` characters; the desk's
    own line says how much was left out."""
    if len(text) <= limit:
        return quoted(text)
    return quoted(text[:limit].rstrip()) + "\n" + t("show.clipped", count=len(text) - limit)


def _when(turn: Turn, moment: datetime) -> str:
    return short_when(moment, t.language, turn.desk.settings.timezone)


def _summary(turn: Turn, ticket: Ticket, names: Names) -> list[str]:
    lines = [
        t(
            "show.head",
            reference=ticket.reference,
            kind=t.word("kind", ticket.kind),
            severity=t.word("severity", ticket.severity),
            environment=t.word("environment", ticket.environment),
            status=status_words(ticket),
        ),
        t("show.title", title=one_line(ticket.title)),
        t("show.reporter", reporter=reporter_label(ticket)),
    ]
    if ticket.reporter_language:
        lines.append(t("show.language", language=language_name(ticket.reporter_language)))
    lines.append(
        t(
            "show.opened",
            when=_when(turn, ticket.created_at),
            age=humanize(turn.now - ticket.created_at),
        )
    )
    if ticket.assignee:
        lines.append(t("show.assignee", assignee=names.of(ticket.assignee)))
    else:
        lines.append(t("show.unassigned"))
    if ticket.acknowledged_at is not None:
        actor = ticket.acknowledged_by or t("team.member_unnamed")
        lines.append(t("show.acknowledged", actor=actor, when=_when(turn, ticket.acknowledged_at)))
    else:
        lines.append(t("show.unacknowledged"))
    if ticket.resolved_at is not None:
        actor = ticket.resolved_by or t("team.member_unnamed")
        lines.append(t("show.resolved", actor=actor, when=_when(turn, ticket.resolved_at)))
    lines.append(_sla(turn, ticket))
    return lines


_STATES = {
    Clock.ok: "show.sla.ok",
    Clock.at_risk: "show.sla.at_risk",
    Clock.breached: "show.sla.breached",
    Clock.met: "show.sla.met",
}


def _sla(turn: Turn, ticket: Ticket) -> str:
    policy = policy_of(turn)
    status = ticket_sla(ticket, policy, policy.calendar(), turn.now)
    clocks = [
        t(
            "show.sla.clock",
            name=t(f"show.sla.{name}"),
            due=_when(turn, due),
            state=t(_STATES[state]),
        )
        for name, due, state in (
            ("acknowledge", ticket.acknowledge_due_at, status.acknowledge),
            ("resolve", ticket.resolve_due_at, status.resolve),
        )
        if due is not None and state in _STATES
    ]
    return t("show.sla", clocks="; ".join(clocks)) if clocks else t("show.sla.none")


def _details(ticket: Ticket) -> list[str]:
    details = ticket.description.strip()
    if not details:
        return [t("show.no_details")]
    return [t("show.details"), _quoted_clip(details, DETAILS_CHARS)]


def _entry(turn: Turn, message: TicketMessage, names: Names) -> str:
    mark = t("show.mark.public" if message.public else "show.mark.internal")
    author = one_line(names.of(message.author, message.author_name))
    head = t("show.entry", when=_when(turn, message.created_at), author=author, mark=mark)
    return head + "\n" + _quoted_clip(message.text, ENTRY_CHARS)


def _transcript(turn: Turn, messages: Sequence[TicketMessage], names: Names, keep: int) -> str:
    if not messages:
        return t("show.no_transcript")
    shown = list(messages)[-keep:] if keep else []
    lines = [t("show.transcript", count=len(messages))]
    if len(messages) > len(shown):
        lines.append(t("show.earlier", count=len(messages) - len(shown)))
    lines += [_entry(turn, message, names) for message in shown]
    return "\n".join(lines)


def _value(turn: Turn, field: str, value: str | None, names: Names) -> str:
    """An audit value as people read it: times in the desk's zone, members by name."""
    if value is None or value == "":
        return "-"
    if field == "assignee":
        return one_line(names.of(value))
    if field == "status":
        return t.word("status", value)
    if field.endswith("_at"):
        try:
            return _when(turn, datetime.fromisoformat(value))
        except ValueError:
            pass
    return one_line(value)[:80]


def _event(turn: Turn, ticket: Ticket, event: TicketEvent, names: Names) -> str:
    if event.action == "changed" and event.field:
        what = t(
            "show.event.changed",
            field=event.field,
            old=_value(turn, event.field, event.old_value, names),
            new=_value(turn, event.field, event.new_value, names),
        )
    elif event.action == "created":
        what = t("show.event.created")
    else:
        what = " ".join(part for part in (event.action, event.field) if part)
    reporter = f"{ticket.reporter_channel}:{ticket.reporter_user_id}"
    fallback = ticket.reporter_name if event.actor == reporter else ""
    actor = one_line(names.of(event.actor, fallback))
    return t("show.event", when=_when(turn, event.created_at), actor=actor, what=what)


async def _facts(turn: Turn, ticket: Ticket) -> list[str]:
    """Payment details the desk found in what the merchant wrote (`ticket.facts`, a JSON
    object of kind -> values; issue 12). A kind is named by its `facts.kind.<kind>` text when
    there is one."""
    try:
        facts = json.loads(ticket.facts or "{}")
    except ValueError:
        return []
    if not isinstance(facts, dict):
        return []
    lines = []
    for kind, values in facts.items():
        found = values if isinstance(values, list) else [values]
        shown = ", ".join(one_line(str(value))[:MAX_FACT] for value in found[:MAX_FACT_VALUES])
        if not shown:
            continue
        key = f"facts.kind.{kind}"
        label = t(key) if key in EN else str(kind)
        lines.append(t("show.fact", kind=label, values=shown))
    return [t("show.facts"), *lines] if lines else []


async def _attachments(turn: Turn, ticket: Ticket) -> list[str]:
    """The ticket's files, internal ones included (the team reads `show`), with their state
    ("attachment pending" until the download arrives)."""
    assert ticket.id is not None
    shown = listing(await turn.tx.attachments.for_ticket(ticket.id), internal=True)
    return shown.splitlines() if shown else []


SECTIONS: tuple[Section, ...] = (_facts, _attachments)


def pack(text: str, size: int = MESSAGE_CHARS) -> list[str]:
    """`text` in pieces of at most `size` characters, cut at a line break when one is in the
    second half of a piece, else at a space there, else inside a word."""
    pieces: list[str] = []
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, size + 1)
        if cut < size // 2:
            cut = rest.rfind(" ", 0, size + 1)
        if cut < size // 2:
            cut = size
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest.strip():
        pieces.append(rest)
    return pieces


async def show(turn: Turn, ticket: Ticket) -> list[Message]:
    tx = turn.tx
    settings = turn.desk.settings
    names = Names(settings.names, await tx.members.all(), settings.members)
    head = [*_summary(turn, ticket, names), *_details(ticket)]
    for section in SECTIONS:
        head += await section(turn, ticket)
    events = [e for e in await tx.tickets.events(ticket) if e.field not in BOOKKEEPING]
    events = events[-EVENTS_SHOWN:]
    tail = [t("show.events"), *(_event(turn, ticket, event, names) for event in events)]
    messages = await tx.tickets.messages(ticket)
    keep = TRANSCRIPT_ENTRIES
    while True:
        transcript = _transcript(turn, messages, names, keep)
        texts = pack("\n".join([*head, transcript, *tail]))
        if len(texts) <= MAX_MESSAGES or keep == 0:
            break
        keep -= 1
    return [Message(text) for text in texts[:MAX_MESSAGES]]
