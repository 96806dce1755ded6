"""Who a page goes to and what it carries, written to the outbox in the claiming transaction.

`team` means every configured team target (Slack team channel, Telegram team group, console);
`leads` means a direct message to each member listed in `[team] leads`. `mention = "everyone"`
travels as a neutral flag plus the team's user ids on that platform: the Slack adapter renders
`<!channel>`, the Telegram adapter mentions each member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.escalation.durations import humanize
from handlers.escalation.planner import PlannedPage
from handlers.escalation.policy import SeverityPolicy
from handlers.events import Choice, Message
from handlers.messages import t
from handlers.notify import PAGE, Target, payload
from handlers.render import language_name, reporter_label
from storage.models import Ticket
from storage.store import Transaction


def member_target(member: str) -> Target | None:
    """`slack:U123` -> a DM to U123 on Slack (chat.postMessage to a user id opens the DM)."""
    channel, _, user_id = member.partition(":")
    return Target(channel, user_id) if channel and user_id else None


@dataclass(frozen=True, slots=True)
class Audience:
    team: tuple[Target, ...]
    leads: tuple[str, ...] = ()  # `channel:user id`
    members: tuple[str, ...] = ()  # `channel:user id`
    # Channels a process can deliver to; a lead on an unconfigured platform cannot be reached.
    channels: frozenset[str] | None = None

    def lead_targets(self) -> list[Target]:
        found = [member_target(lead) for lead in self.leads]
        return [
            t
            for t in found
            if t is not None and (self.channels is None or t.channel in self.channels)
        ]

    def member_ids(self, channel: str) -> list[str]:
        return [m.split(":", 1)[1] for m in self.members if m.startswith(f"{channel}:")]


def page_message(
    ticket: Ticket, page: PlannedPage, sev: SeverityPolicy, now: datetime, last: bool = False
) -> Message:
    repeat = (
        t("page.repeat", repeat=page.repeat, max_repeats=sev.max_repeats) if page.repeat else ""
    )
    body = t(
        "page",
        level=page.level,
        repeat=repeat,
        reference=ticket.reference,
        severity=t.word("severity", ticket.severity),
        title=ticket.title,
        age=humanize(now - ticket.created_at),
        reporter=reporter_label(ticket),
    )
    if ticket.reporter_language:
        body += "\n" + t("alert.language", language=language_name(ticket.reporter_language))
    if last:
        body += "\n" + t("page.last", reference=ticket.reference)
    ack = Choice(t("page.acknowledge"), f"team:ack:{ticket.reference}")
    return Message(body, (ack,))


def write_page(
    tx: Transaction,
    ticket: Ticket,
    page: PlannedPage,
    sev: SeverityPolicy,
    audience: Audience,
    now: datetime,
    last: bool = False,
) -> list[str]:
    """Outbox rows for one page; returns the targets as `channel:chat` for the page record.
    The `last` page of a sequence says so and also goes to the leads, whatever its level's
    `notify`: after it nobody is paged again, so the people who answer for the desk know."""
    message = page_message(ticket, page, sev, now, last)
    chosen: list[tuple[Target, bool]] = []
    if "team" in page.notify:
        chosen += [(target, page.mention_everyone) for target in audience.team]
    if "leads" in page.notify or last:
        # A DM already reaches the person; no mention needed there.
        chosen += [(target, False) for target in audience.lead_targets()]
    written: list[str] = []
    seen: set[Target] = set()
    # A reopened ticket pages its sequence again: each round of it has keys of its own.
    again = f"r{ticket.reopen_count}:" if ticket.reopen_count else ""
    for target, mention in chosen:
        if target in seen:
            continue
        seen.add(target)
        extra: dict[str, object] = {
            "level": page.level,
            "repeat": page.repeat,
            "mention": "everyone" if mention else None,
            "mention_user_ids": audience.member_ids(target.channel) if mention else [],
        }
        tx.outbox.add(
            # Deterministic: the same page to the same place can only ever be queued once.
            key=f"{PAGE}:{ticket.reference}:{again}{page.step}:{target.channel}:{target.chat_id}",
            channel=target.channel,
            chat_id=target.chat_id,
            kind=PAGE,
            payload=payload(message, ticket, **extra),
            now=now,
            ticket_reference=ticket.reference,
        )
        written.append(f"{target.channel}:{target.chat_id}")
    return written
