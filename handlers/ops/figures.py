"""The report's arithmetic, on plain rows: MTTA and MTTR (median and p90), SLA attainment,
breaches, knowledge-base deflection, and the weekly series the chart draws.

Definitions (the README's "Reports" section says the same):
- The report covers tickets *created* in [since, until).
- Time to acknowledge: from creation to the first acknowledgement, or to resolution when a ticket
  was resolved without one (the SLA clock counts resolving as acknowledging, so this does too).
  Time to resolve: from creation to resolution. Both are measured as the SLA measures them:
  business time for severities whose policy is `business_hours_only`, wall time otherwise.
- Median: the middle value (the mean of the two middle ones for an even count). p90: nearest
  rank, the smallest value with at least 90% of the values at or below it.
- SLA attainment per clock: met / (met + breached); clocks still running are not counted.
- Knowledge base: questions = answers shown + questions with no answer; deflected = questions
  that did not become a ticket (not "No", not "no answer"); helpful rate = Yes / (Yes + No).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from handlers.escalation.business_hours import BusinessCalendar
from handlers.escalation.policy import SEVERITIES, EscalationPolicy
from handlers.escalation.sla import Clock, SlaStatus, SlaTicket, ticket_sla

QUESTION = "question"
GROUP_ORDER = (*SEVERITIES, QUESTION)


class ReportTicket(SlaTicket, Protocol):
    """The ticket fields a report reads (the storage model has them all)."""

    reference: str
    kind: str
    reporter_channel: str


@dataclass(frozen=True, slots=True)
class Spread:
    """Durations in seconds: how many, the median and the p90 (None when there are none)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Spread:
        if not seconds:
            return cls()
        ordered = sorted(seconds)
        rank = math.ceil(0.9 * len(ordered))
        return cls(len(ordered), float(statistics.median(ordered)), float(ordered[rank - 1]))


@dataclass(frozen=True, slots=True)
class Group:
    """Figures for one slice of the tickets (a severity, a channel, or all of them)."""

    name: str
    opened: int = 0
    acknowledged: int = 0
    resolved: int = 0
    mtta: Spread = Spread()
    mttr: Spread = Spread()
    ack_met: int = 0
    ack_breached: int = 0
    resolve_met: int = 0
    resolve_breached: int = 0
    business_hours: bool = False

    @property
    def ack_attainment(self) -> float | None:
        decided = self.ack_met + self.ack_breached
        return self.ack_met / decided if decided else None

    @property
    def resolve_attainment(self) -> float | None:
        decided = self.resolve_met + self.resolve_breached
        return self.resolve_met / decided if decided else None


@dataclass(frozen=True, slots=True)
class Breach:
    reference: str
    severity: str
    clocks: tuple[str, ...]  # "acknowledge", "resolve"


@dataclass(frozen=True, slots=True)
class KbFigures:
    answered: int = 0
    helpful: int = 0
    not_helpful: int = 0
    no_answer: int = 0

    @property
    def asked(self) -> int:
        return self.answered + self.no_answer

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def deflected(self) -> int:
        return max(0, self.asked - self.not_helpful - self.no_answer)

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.rated if self.rated else None

    @property
    def deflection(self) -> float | None:
        return self.deflected / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class Week:
    """One week (Monday 00:00 in the desk's zone) for the chart."""

    start: datetime
    opened: dict[str, int]
    mtta_median: float | None
    mttr_median: float | None


@dataclass(frozen=True, slots=True)
class Extra:
    """A figure from another part of the desk (reopen rate, satisfaction, the integration
    program), added by a provider when that part keeps data; see handlers/ops/report.py."""

    key: str
    label: str
    value: str
    data: object = None


@dataclass(frozen=True)
class Report:
    since: datetime
    until: datetime
    zone: str
    generated_at: datetime
    total: Group
    by_severity: list[Group]
    by_channel: list[Group]
    breaches: list[Breach]
    kb: KbFigures
    weeks: list[Week]
    extras: list[Extra] = field(default_factory=list)


Measure = Callable[[datetime, datetime], timedelta]


def _wall(since: datetime, until: datetime) -> timedelta:
    return max(timedelta(0), until - since)


def group_of(ticket: ReportTicket) -> str:
    if ticket.kind != "issue" or ticket.severity not in SEVERITIES:
        return QUESTION
    return str(ticket.severity)


def _business(ticket: ReportTicket, policy: EscalationPolicy) -> bool:
    group = group_of(ticket)
    return group != QUESTION and policy.for_severity(group).business_hours_only


def _measure(ticket: ReportTicket, policy: EscalationPolicy, calendar: BusinessCalendar) -> Measure:
    return calendar.elapsed if _business(ticket, policy) else _wall


def time_to_acknowledge(
    ticket: ReportTicket, policy: EscalationPolicy, calendar: BusinessCalendar
) -> float | None:
    first = ticket.acknowledged_at or ticket.resolved_at
    if first is None:
        return None
    return _measure(ticket, policy, calendar)(ticket.created_at, first).total_seconds()


def time_to_resolve(
    ticket: ReportTicket, policy: EscalationPolicy, calendar: BusinessCalendar
) -> float | None:
    if ticket.resolved_at is None:
        return None
    return _measure(ticket, policy, calendar)(ticket.created_at, ticket.resolved_at).total_seconds()


@dataclass(frozen=True, slots=True)
class Measured:
    """One ticket, measured once: its group, channel, times and SLA clocks."""

    reference: str
    group: str
    channel: str
    created_at: datetime
    tta: float | None
    ttr: float | None
    sla: SlaStatus


def measure(
    ticket: ReportTicket, policy: EscalationPolicy, calendar: BusinessCalendar, now: datetime
) -> Measured:
    return Measured(
        reference=ticket.reference,
        group=group_of(ticket),
        channel=ticket.reporter_channel,
        created_at=ticket.created_at,
        tta=time_to_acknowledge(ticket, policy, calendar),
        ttr=time_to_resolve(ticket, policy, calendar),
        sla=ticket_sla(ticket, policy, calendar, now),
    )


def group_figures(name: str, rows: Sequence[Measured], business_hours: bool = False) -> Group:
    acks = [row.tta for row in rows if row.tta is not None]
    fixes = [row.ttr for row in rows if row.ttr is not None]
    counts = {"ack_met": 0, "ack_breached": 0, "resolve_met": 0, "resolve_breached": 0}
    for row in rows:
        for prefix, state in (("ack", row.sla.acknowledge), ("resolve", row.sla.resolve)):
            if state is Clock.met:
                counts[f"{prefix}_met"] += 1
            elif state is Clock.breached:
                counts[f"{prefix}_breached"] += 1
    return Group(
        name=name,
        opened=len(rows),
        acknowledged=len(acks),
        resolved=len(fixes),
        mtta=Spread.of(acks),
        mttr=Spread.of(fixes),
        business_hours=business_hours,
        **counts,
    )


def breaches(rows: Sequence[Measured]) -> list[Breach]:
    found = []
    for row in rows:
        clocks = tuple(
            name
            for name, state in (("acknowledge", row.sla.acknowledge), ("resolve", row.sla.resolve))
            if state is Clock.breached
        )
        if clocks:
            found.append(Breach(row.reference, row.group, clocks))
    return found


def week_start(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=zone)


def weekly_series(
    rows: Sequence[Measured], zone: ZoneInfo, since: datetime, until: datetime
) -> list[Week]:
    weeks: list[Week] = []
    start = week_start(since, zone)
    while start < until:
        end = week_start(start + timedelta(days=7, hours=12), zone)
        inside = [row for row in rows if start <= row.created_at < end]
        opened = {g: sum(1 for row in inside if row.group == g) for g in GROUP_ORDER}
        acks = [row.tta for row in inside if row.tta is not None]
        fixes = [row.ttr for row in inside if row.ttr is not None]
        weeks.append(Week(start, opened, Spread.of(acks).median, Spread.of(fixes).median))
        start = end
    return weeks


def compute(
    tickets: Sequence[ReportTicket],
    kb_counts: dict[str, int],
    policy: EscalationPolicy,
    since: datetime,
    until: datetime,
    now: datetime,
) -> Report:
    calendar = policy.calendar()
    rows = [measure(ticket, policy, calendar, now) for ticket in tickets]
    by_severity = []
    for name in GROUP_ORDER:
        business = name != QUESTION and policy.for_severity(name).business_hours_only
        by_severity.append(group_figures(name, [r for r in rows if r.group == name], business))
    channels = sorted({row.channel for row in rows})
    by_channel = [group_figures(c, [r for r in rows if r.channel == c]) for c in channels]
    kb = KbFigures(
        answered=kb_counts.get("answered", 0),
        helpful=kb_counts.get("helpful", 0),
        not_helpful=kb_counts.get("not_helpful", 0),
        no_answer=kb_counts.get("no_answer", 0),
    )
    return Report(
        since=since,
        until=until,
        zone=policy.timezone,
        generated_at=now,
        total=group_figures("all", rows),
        by_severity=by_severity,
        by_channel=by_channel,
        breaches=breaches(rows),
        kb=kb,
        weeks=weekly_series(rows, policy.zone, since, until),
    )
