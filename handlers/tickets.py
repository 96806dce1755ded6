"""Opening tickets: shared by the report flow, the ask flow and channel forms (Slack's modal)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.messages import t
from handlers.ops import metrics
from handlers.turn import Turn
from storage.database import after_commit
from storage.models import Kind, Severity, Status, Ticket


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    description: str
    kind: str = Kind.issue
    severity: str | None = None
    environment: str | None = None


async def open_ticket(turn: Turn, draft: Draft) -> Ticket:
    incoming = turn.incoming
    ticket = Ticket(
        kind=draft.kind,
        title=draft.title,
        description=draft.description,
        severity=draft.severity,
        environment=draft.environment,
        status=Status.open,
        reporter_channel=incoming.channel,
        reporter_user_id=incoming.user_id,
        reporter_name=turn.actor_name,
        reporter_chat_id=incoming.chat_id,
        reporter_thread_id=incoming.thread_id,
        created_at=turn.now,
        updated_at=turn.now,
    )
    await turn.tx.tickets.create(ticket, turn.actor)
    for observer in turn.desk.observers:
        await observer.created(turn.tx, ticket, turn.now)
    turn.desk.notifier.new_ticket(turn.tx, ticket, turn.now)
    severity = ticket.severity if ticket.kind == Kind.issue else None
    after_commit(turn.tx.session, lambda: metrics.ticket_opened(severity, incoming.channel))
    return ticket


def created_replies(turn: Turn, ticket: Ticket) -> None:
    turn.say(
        "\n".join(
            (
                t(
                    "report.created",
                    reference=ticket.reference,
                    severity=t.word("severity", ticket.severity),
                    environment=t.word("environment", ticket.environment),
                ),
                t(
                    "report.next.critical"
                    if ticket.severity == Severity.critical
                    else "report.next.other"
                ),
                t("report.next.status", reference=ticket.reference),
            )
        )
    )
