"""Business-hours arithmetic: "4 business hours after Friday 16:30" in a zone, minus holidays.

Windows are computed per local calendar date and converted to UTC before any subtraction: Python
subtracts two aware datetimes sharing one tzinfo by wall clock, which would be wrong across a DST
change in zones that have one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
# A year of calendar days is far more than any real business duration needs; the cap only turns a
# configuration that could never be satisfied into an error instead of an endless loop.
_MAX_DAYS_SCANNED = 3660


class BusinessHoursError(ValueError):
    """A business-hours spec could not be read; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Working days (0 = Monday) with one daily window [start, end) in local wall-clock time."""

    days: frozenset[int]
    start: time
    end: time

    def describe(self) -> str:
        names = ",".join(DAY_NAMES[d].capitalize() for d in sorted(self.days))
        return f"{names} {self.start:%H:%M}-{self.end:%H:%M}"


def _parse_day(name: str) -> int:
    key = name.strip().lower()[:3]
    if key not in DAY_NAMES or len(name.strip()) < 3:
        raise BusinessHoursError(f"{name.strip()!r} is not a weekday (use Mon, Tue, ... Sun)")
    return DAY_NAMES.index(key)


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            first, last = (_parse_day(p) for p in part.split("-", 1))
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        else:
            days.add(_parse_day(part))
    return frozenset(days)


def parse_business_hours(text: object) -> BusinessHours:
    """Read e.g. `"Mon-Fri 08:00-17:00"` or `"Mon,Wed,Sat 09:00-13:00"`."""
    if not isinstance(text, str) or len(text.split()) != 2:
        raise BusinessHoursError(
            f"expected business hours like 'Mon-Fri 08:00-17:00', got {text!r}"
        )
    days_text, hours_text = text.split()
    days = _parse_days(days_text)
    match = _HOURS.match(hours_text)
    if match is None:
        raise BusinessHoursError(f"{hours_text!r} is not a time window like '08:00-17:00'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise BusinessHoursError(f"{hours_text!r}: {exc}") from None
    if end <= start:
        raise BusinessHoursError(f"{hours_text!r}: the window must end after it starts")
    return BusinessHours(days=days, start=start, end=end)


def parse_clock_time(text: object) -> time:
    """Read `"HH:MM"` (24-hour)."""
    if isinstance(text, str):
        match = re.match(r"^(\d{1,2}):(\d{2})$", text.strip())
        if match:
            try:
                return time(int(match.group(1)), int(match.group(2)))
            except ValueError:
                pass
    raise BusinessHoursError(f"expected a time of day like '08:30', got {text!r}")


def parse_holiday(text: object) -> date:
    """Read an ISO date `"YYYY-MM-DD"`."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text  # TOML already gives dates for bare 2026-12-25
    if isinstance(text, str):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise BusinessHoursError(f"expected a date like '2026-12-25', got {text!r}")


class BusinessCalendar:
    """Business hours in one zone, minus holidays: adds and measures business time."""

    def __init__(self, hours: BusinessHours, zone: ZoneInfo, holidays: Iterable[date] = ()) -> None:
        if not hours.days:
            raise BusinessHoursError("business hours name no working day")
        self.hours = hours
        self.zone = zone
        self.holidays = frozenset(holidays)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.hours.days and day not in self.holidays

    def local_date(self, instant: datetime) -> date:
        return _aware(instant).astimezone(self.zone).date()

    def _window(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.hours.start, tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day, self.hours.end, tzinfo=self.zone).astimezone(UTC)
        return start, end

    def add(self, instant: datetime, duration: timedelta) -> datetime:
        """The first moment at which `duration` of business time has passed since `instant`.

        A zero duration outside business hours gives the next opening: something due "at once,
        business hours only" waits for the desk to open.
        """
        cursor = _aware(instant).astimezone(UTC)
        remaining = duration
        day = self.local_date(cursor)
        for _ in range(_MAX_DAYS_SCANNED):
            if self.is_business_day(day):
                start, end = self._window(day)
                cursor = max(cursor, start)
                if cursor <= end:
                    available = end - cursor
                    if remaining <= available:
                        return cursor + remaining
                    remaining -= available
            day += timedelta(days=1)
        raise BusinessHoursError("no business time found within ten years; check the calendar")

    def elapsed(self, since: datetime, until: datetime) -> timedelta:
        """Business time between two instants (zero if `until` is not after `since`)."""
        lo, hi = _aware(since).astimezone(UTC), _aware(until).astimezone(UTC)
        total = timedelta(0)
        if hi <= lo:
            return total
        day, last = self.local_date(lo), self.local_date(hi)
        while day <= last:
            if self.is_business_day(day):
                start, end = self._window(day)
                overlap = min(end, hi) - max(start, lo)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("business-hours arithmetic needs timezone-aware datetimes")
    return instant
