"""SLA clocks: is a ticket's acknowledge or resolve deadline met, fine, at risk or breached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from handlers.escalation.business_hours import BusinessCalendar
from handlers.escalation.policy import SEVERITIES, EscalationPolicy

# With less than this share of the allowed time left, a clock counts as at risk.
AT_RISK_SHARE = 0.25

Measure = Callable[[datetime, datetime], timedelta]


class Clock(StrEnum):
    none = "none"  # no deadline configured
    ok = "ok"
    at_risk = "at risk"
    breached = "breached"
    met = "met"


def _wall(since: datetime, until: datetime) -> timedelta:
    return max(timedelta(0), until - since)


def clock_state(
    *,
    started: datetime,
    due: datetime | None,
    done_at: datetime | None,
    breached_at: datetime | None,
    now: datetime,
    measure: Measure = _wall,
) -> Clock:
    """One SLA clock. `measure` counts time the way the deadline was set (business or wall)."""
    if due is None:
        return Clock.none
    if done_at is not None:
        return Clock.breached if breached_at is not None or done_at > due else Clock.met
    if breached_at is not None or now >= due:
        return Clock.breached
    allowed = measure(started, due)
    left = measure(now, due)
    return Clock.at_risk if left <= allowed * AT_RISK_SHARE else Clock.ok


@dataclass(frozen=True, slots=True)
class SlaStatus:
    acknowledge: Clock
    resolve: Clock

    @property
    def breached(self) -> bool:
        return Clock.breached in (self.acknowledge, self.resolve)

    @property
    def at_risk(self) -> bool:
        return not self.breached and Clock.at_risk in (self.acknowledge, self.resolve)

    def summary(self) -> str:
        """Short text for the team's list: `ack breached`, `resolve at risk`, `ok`, `-`."""
        parts = [
            f"{name} {state}"
            for name, state in (("ack", self.acknowledge), ("resolve", self.resolve))
            if state in (Clock.breached, Clock.at_risk)
        ]
        if parts:
            return ", ".join(parts)
        if self.acknowledge is Clock.none and self.resolve is Clock.none:
            return "-"
        return "ok"


class SlaTicket(Protocol):
    """The ticket fields the SLA clocks read (the storage model has them all)."""

    severity: str | None
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    acknowledge_due_at: datetime | None
    resolve_due_at: datetime | None
    acknowledge_breached_at: datetime | None
    resolve_breached_at: datetime | None


def ticket_sla(
    ticket: SlaTicket, policy: EscalationPolicy, calendar: BusinessCalendar, now: datetime
) -> SlaStatus:
    business = False
    if ticket.severity in SEVERITIES:
        business = policy.for_severity(ticket.severity).business_hours_only
    return _status(ticket, now, calendar.elapsed if business else _wall)


def _status(ticket: SlaTicket, now: datetime, measure: Measure) -> SlaStatus:
    return SlaStatus(
        acknowledge=clock_state(
            started=ticket.created_at,
            due=ticket.acknowledge_due_at,
            # A resolved ticket needs no acknowledgement any more; resolving counts as one.
            done_at=ticket.acknowledged_at or ticket.resolved_at,
            breached_at=ticket.acknowledge_breached_at,
            now=now,
            measure=measure,
        ),
        resolve=clock_state(
            started=ticket.created_at,
            due=ticket.resolve_due_at,
            done_at=ticket.resolved_at,
            breached_at=ticket.resolve_breached_at,
            now=now,
            measure=measure,
        ),
    )


def list_note(ticket: SlaTicket, now: datetime) -> str:
    """SLA trouble for one line of the team's chat list (`" · SLA: ack breached"`, or "").

    The chat list has no policy at hand, so "at risk" is judged on wall-clock time here;
    `deskbot tickets list` and the digest count business hours where the policy says so.
    """
    status = _status(ticket, now, _wall)
    summary = status.summary()
    return f" · SLA: {summary}" if status.breached or status.at_risk else ""
