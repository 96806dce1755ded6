"""The escalation policy: who is paged when, per severity, and the SLA clocks.

Defaults follow issue 5: critical pages the team at once, again with @channel at 15 minutes, adds
the leads at 30 and then repeats every 15 minutes up to eight times; major reminds the team once
after 4 business hours unacknowledged; minor only appears in the daily digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from handlers.escalation.business_hours import (
    BusinessCalendar,
    BusinessHours,
    parse_business_hours,
)

SEVERITIES = ("critical", "major", "minor")
TARGETS = ("team", "leads")
MENTIONS = ("everyone",)


@dataclass(frozen=True, slots=True)
class Level:
    """One escalation step: `after` counts from ticket creation (business time if so configured)."""

    after: timedelta
    notify: tuple[str, ...] = ("team",)
    mention: str | None = None

    @property
    def mention_everyone(self) -> bool:
        return self.mention == "everyone"


@dataclass(frozen=True, slots=True)
class SeverityPolicy:
    acknowledge_within: timedelta | None
    resolve_within: timedelta | None
    business_hours_only: bool
    levels: tuple[Level, ...]
    # After the last level, it is sent again every `repeat_every` until acknowledged, at most
    # `max_repeats` more times; None or 0 means the last level is sent once.
    repeat_every: timedelta | None = None
    max_repeats: int = 0

    @property
    def pages(self) -> bool:
        return bool(self.levels)


def _minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


DEFAULT_CRITICAL = SeverityPolicy(
    acknowledge_within=_minutes(15),
    resolve_within=timedelta(hours=4),
    business_hours_only=False,
    levels=(
        Level(after=timedelta(0), notify=("team",)),
        Level(after=_minutes(15), notify=("team",), mention="everyone"),
        Level(after=_minutes(30), notify=("team", "leads"), mention="everyone"),
    ),
    repeat_every=_minutes(15),
    max_repeats=8,
)

DEFAULT_MAJOR = SeverityPolicy(
    acknowledge_within=timedelta(hours=4),
    resolve_within=timedelta(days=2),
    business_hours_only=True,
    levels=(Level(after=timedelta(hours=4), notify=("team",)),),
)

DEFAULT_MINOR = SeverityPolicy(
    acknowledge_within=timedelta(days=2),
    resolve_within=timedelta(days=10),
    business_hours_only=True,
    levels=(),
)

DEFAULT_SEVERITIES = {
    "critical": DEFAULT_CRITICAL,
    "major": DEFAULT_MAJOR,
    "minor": DEFAULT_MINOR,
}


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    sweep_interval: timedelta = timedelta(seconds=30)
    timezone: str = "Africa/Dar_es_Salaam"
    business_hours: BusinessHours = field(
        default_factory=lambda: parse_business_hours("Mon-Fri 08:00-17:00")
    )
    holidays: frozenset[date] = frozenset()
    digest_at: time = time(8, 30)
    critical: SeverityPolicy = DEFAULT_CRITICAL
    major: SeverityPolicy = DEFAULT_MAJOR
    minor: SeverityPolicy = DEFAULT_MINOR

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(self.business_hours, self.zone, self.holidays)

    def for_severity(self, severity: str) -> SeverityPolicy:
        key = severity.lower()
        if key not in SEVERITIES:
            raise KeyError(f"unknown severity {severity!r}")
        policy: SeverityPolicy = getattr(self, key)
        return policy


@lru_cache(maxsize=8)
def default_policy(timezone: str = "Africa/Dar_es_Salaam") -> EscalationPolicy:
    """The default policy (in `timezone`): frozen, so built once instead of on every ticket."""
    return EscalationPolicy(timezone=timezone)
