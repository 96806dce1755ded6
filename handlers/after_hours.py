"""What a merchant filing a ticket outside business hours is told: when the team is back and,
from the SLA policy, by when to expect an answer; or, for a severity that pages day and night,
that the team is paged now."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.escalation.policy import SEVERITIES, EscalationPolicy, default_policy
from handlers.i18n.dates import short_when, spoken_duration
from handlers.messages import t
from handlers.turn import Turn
from storage.models import Ticket

HOUR = timedelta(hours=1)


def policy_of(turn: Turn) -> EscalationPolicy:
    """The desk's escalation policy (its business hours, holidays and SLA), or the default one
    in the desk's time zone."""
    return turn.desk.policy or default_policy(turn.desk.settings.timezone)


def expectation(turn: Turn, ticket: Ticket) -> list[str]:
    """Lines for the merchant when `ticket` was filed outside business hours; none inside."""
    policy = policy_of(turn)
    calendar = policy.calendar()
    zone = turn.desk.settings.timezone
    opening = calendar.add(ticket.created_at, timedelta(0))
    if opening <= ticket.created_at:
        return []
    lines = [t("afterhours.back", back=short_when(opening, t.language, zone))]
    if ticket.severity not in SEVERITIES:
        return lines
    severity = policy.for_severity(ticket.severity)
    name = t.word("severity", ticket.severity)
    first = severity.levels[0] if severity.levels else None
    if not severity.business_hours_only and first is not None and not first.after:
        lines.append(t("afterhours.paged", severity=name))
        return lines
    within = severity.acknowledge_within
    if within is None:
        return lines
    due = ticket.acknowledge_due_at
    if severity.business_hours_only:
        due = due or calendar.add(ticket.created_at, within)
        hours = f"{within / HOUR:g}"
        lines.append(
            t("afterhours.answer_business", severity=name, hours=hours, due=_at(due, zone))
        )
    else:
        due = due or ticket.created_at + within
        duration = spoken_duration(within, t.language)
        lines.append(t("afterhours.answer", severity=name, duration=duration, due=_at(due, zone)))
    return lines


def _at(moment: datetime, zone: str) -> str:
    return short_when(moment, t.language, zone)
