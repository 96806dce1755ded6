"""Opening tickets: shared by the report flow, the ask flow and channel forms (Slack's modal)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import facts
from handlers.after_hours import expectation, policy_of
from handlers.escalation.promise import paging_promise
from handlers.messages import t
from handlers.ops import metrics
from handlers.turn import Turn
from storage.database import after_commit
from storage.models import Environment, Kind, Severity, Status, Ticket, new_row
from storage.program_models import Project


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    description: str
    kind: str = Kind.issue
    severity: str | None = None
    environment: str | None = None


async def _link(turn: Turn, ticket: Ticket, project: Project | None) -> None:
    """Point the ticket at the reporter's merchant and its project (the one given, else the
    newest one not yet live, else the newest), and name them for the team's alerts. Without a
    project, the ticket was written already, its merchant looked up with it."""
    projects = turn.tx.projects
    if project is None:
        found = ticket.merchant_id
        merchant = None if found is None else await projects.merchant(found)
    else:
        merchant = await projects.merchant_for(turn.actor)
    if merchant is None and project is None:
        return
    if project is None and merchant is not None:
        own = list(await projects.for_merchant(merchant.id))  # type: ignore[arg-type]
        active = [p for p in own if p.stage != "live"]
        candidates = active or own
        project = candidates[-1] if candidates else None
    if merchant is None and project is not None:
        merchant = await projects.merchant(project.merchant_id)
    ticket.merchant_id = merchant.id if merchant else None
    parts = [merchant.name] if merchant else []
    if project is not None:
        ticket.project_id = project.id
        parts += [project.reference, t.word("stage", project.stage)]
        if project.stage == "live" and ticket.environment == Environment.production:
            parts.append(t("prj.live_merchant"))
    ticket.program_label = " · ".join(parts)


async def open_ticket(turn: Turn, draft: Draft, project: Project | None = None) -> Ticket:
    incoming = turn.incoming
    ticket = new_row(
        Ticket,
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
        reporter_language=turn.language,
        created_at=turn.now,
        updated_at=turn.now,
        facts=facts.dumps(facts.extract(f"{draft.title}\n{draft.description}")),
    )
    if project is None:
        # Most reporters speak for no merchant: the insert itself looks theirs up, and only a
        # ticket that found one is named after it (an UPDATE at the flush).
        await turn.tx.tickets.create(ticket, turn.actor, merchant_of=turn.actor)
        if ticket.merchant_id is not None:
            await _link(turn, ticket, None)
    else:
        await _link(turn, ticket, project)
        await turn.tx.tickets.create(ticket, turn.actor)
    for observer in turn.desk.observers:
        await observer.created(turn.tx, ticket, turn.now)
    turn.desk.notifier.new_ticket(turn.tx, ticket, turn.now)
    severity = ticket.severity if ticket.kind == Kind.issue else None
    after_commit(turn.tx.session, lambda: metrics.ticket_opened(severity, incoming.channel))
    return ticket


def _next_steps(turn: Turn, ticket: Ticket) -> str:
    """What happens now: for a Critical ticket, what the escalation policy will really do."""
    if ticket.severity == Severity.critical and ticket.kind == Kind.issue:
        policy = policy_of(turn)
        promise = paging_promise(policy, Severity.critical, bool(turn.desk.settings.leads))
        if promise is not None:
            return promise
    return t("report.next.other")


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
                _next_steps(turn, ticket),
                *expectation(turn, ticket),
                t("report.next.status", reference=ticket.reference),
            )
        )
    )
