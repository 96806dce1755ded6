"""Turning tickets into the plain-text messages people see."""

from __future__ import annotations

from datetime import datetime

from handlers import facts
from handlers.events import Choice, Message
from handlers.i18n.catalogs import LANGUAGE_NAMES
from handlers.i18n.dates import when
from handlers.messages import t
from storage.models import Kind, Status, Ticket

# Marks each line a merchant wrote, wherever it appears among the desk's own lines (the team
# timeline), so "INT-4: Resolved by Asha" typed by a merchant cannot pass for the desk's own.
QUOTE = "│ "
# Characters of a ticket's details on its alert and pages; `show REF` has the full text.
DETAILS_SHOWN = 600


def quoted(text: str) -> str:
    return "\n".join(QUOTE + line for line in text.splitlines() or [""])


def one_line(text: str) -> str:
    """A merchant's single-line field (a title, a name) kept on one line in the desk's texts."""
    return " ".join(text.split())


def reporter_label(ticket: Ticket) -> str:
    name = one_line(ticket.reporter_name or ticket.reporter_user_id)
    label = f"{name} ({ticket.reporter_channel}:{ticket.reporter_user_id})"
    # The merchant, project and stage: "Duka Online · PRJ-3 · UAT".
    return f"{label} · {ticket.program_label}" if ticket.program_label else label


def age(since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes // 1440}d"


def status_words(ticket: Ticket) -> str:
    words = t.word("status", ticket.status)
    if ticket.status == Status.resolved and ticket.resolved_by:
        return t("alert.status_by", status=words, actor=ticket.resolved_by)
    if ticket.status in (Status.acknowledged, Status.in_progress) and ticket.acknowledged_by:
        return t("alert.status_by", status=words, actor=ticket.acknowledged_by)
    return words


def team_buttons(ticket: Ticket) -> tuple[Choice, ...]:
    ref = ticket.reference
    if ticket.status in (Status.resolved, Status.closed):
        # The same as a member's `reopen REF` (handlers/team.py runs it for the button).
        return (Choice(t("alert.reopen"), f"team:reopen:{ref}"),)
    buttons = []
    if ticket.status == Status.open:
        buttons.append(Choice(t("alert.acknowledge"), f"team:ack:{ref}"))
    if ticket.status in (Status.open, Status.acknowledged):
        buttons.append(Choice(t("alert.take"), f"team:take:{ref}"))
    buttons.append(Choice(t("alert.resolve"), f"team:resolve:{ref}"))
    return tuple(buttons)


def alert(ticket: Ticket) -> Message:
    """The team's alert for a ticket, re-rendered from its current state after every change."""
    text = t(
        # A question has no severity or environment to show.
        "alert.question" if ticket.kind == Kind.question else "alert.new",
        kind=t.word("kind", ticket.kind),
        reference=ticket.reference,
        severity=t.word("severity", ticket.severity),
        environment=t.word("environment", ticket.environment),
        title=one_line(ticket.title),
        reporter=reporter_label(ticket),
        status=status_words(ticket),
    )
    if ticket.assignee:
        text += "\n" + t("alert.assignee", assignee=ticket.assignee)
    if ticket.reporter_language:
        text += "\n" + t("alert.language", language=language_name(ticket.reporter_language))
    if found := facts_line(ticket):
        text += "\n" + t("alert.facts", facts=found)
    if excerpt := details_excerpt(ticket):
        text += "\n" + excerpt
    return Message(text, team_buttons(ticket))


def facts_line(ticket: Ticket) -> str:
    """The ticket's payment details on one line (empty when none were found)."""
    return facts.line(facts.loads(ticket.facts))


def details_excerpt(ticket: Ticket) -> str:
    """The details for an alert or a page: the first `DETAILS_SHOWN` characters, marked as
    the merchant's words, and where to read the rest. Alerts and pages stay well inside every
    platform's message limit whatever the merchant wrote."""
    details = ticket.description.strip()
    if not details:
        return ""
    if len(details) <= DETAILS_SHOWN:
        return t("alert.details", details=quoted(details))
    shown = quoted(details[:DETAILS_SHOWN].rstrip())
    more = t("alert.details_more", reference=ticket.reference)
    return t("alert.details", details=shown) + "\n" + more


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)


def ticket_facts(ticket: Ticket) -> dict[str, str | None]:
    """Structured fields carried with outgoing messages, for channels that lay them out."""
    return {
        "reference": ticket.reference,
        "kind": ticket.kind,
        "title": ticket.title,
        "severity": ticket.severity,
        "environment": ticket.environment,
        "status": ticket.status,
        "reporter": f"{ticket.reporter_channel}:{ticket.reporter_user_id}",
        "reporter_name": ticket.reporter_name,
        "assignee": ticket.assignee,
    }


def status_text(ticket: Ticket, zone: str = "UTC", assignee_name: str | None = None) -> str:
    """What the reporter reads about their ticket; the assignee by name, never by id."""
    assignee = t("status.assignee", assignee=assignee_name) if assignee_name else ""
    return t(
        "status.line",
        reference=ticket.reference,
        kind=t.word("kind", ticket.kind),
        severity=t.word("severity", ticket.severity),
        environment=t.word("environment", ticket.environment),
        title=ticket.title,
        status=t.word("status", ticket.status),
        assignee=assignee,
        created=when(ticket.created_at, t.language, zone),
    )
