"""The pure planner: which page a ticket is due next, when, and to whom.

A ticket's escalation state is one integer, `step`: how far along its page sequence it is. Steps
0..L-1 are the configured levels; steps L.. are repeats of the last level, `repeat_every` apart,
at most `max_repeats` of them. Every step's due time is measured from the ticket's creation (in
business time when the severity says so), so the schedule never drifts with sweep timing and a
restart recomputes exactly the same instants. The sweep and the tests both ask this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.escalation.business_hours import BusinessCalendar
from handlers.escalation.policy import EscalationPolicy, SeverityPolicy


@dataclass(frozen=True, slots=True)
class PlannedPage:
    step: int
    level: int  # 1-based, as people say it: "Level 2"
    repeat: int  # 0 for the level itself, n for its n-th repeat
    due_at: datetime
    notify: tuple[str, ...]
    mention_everyone: bool


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What to send now: one page (the latest overdue one) and where the sequence resumes."""

    page: PlannedPage | None
    next_step: int
    next_due_at: datetime | None


class Planner:
    def __init__(self, policy: EscalationPolicy, calendar: BusinessCalendar | None = None) -> None:
        self.policy = policy
        self.calendar = calendar or policy.calendar()

    def _offset(self, sev: SeverityPolicy, step: int) -> timedelta | None:
        count = len(sev.levels)
        if step < 0 or not count:
            return None
        if step < count:
            return sev.levels[step].after
        repeat = step - count + 1
        if not sev.repeat_every or repeat > sev.max_repeats:
            return None
        return sev.levels[-1].after + sev.repeat_every * repeat

    def _after(self, sev: SeverityPolicy, start: datetime, offset: timedelta) -> datetime:
        return self.calendar.add(start, offset) if sev.business_hours_only else start + offset

    def total_steps(self, severity: str) -> int:
        sev = self.policy.for_severity(severity)
        if not sev.levels:
            return 0
        return len(sev.levels) + (sev.max_repeats if sev.repeat_every else 0)

    def due_at(self, created_at: datetime, severity: str, step: int) -> datetime | None:
        """When page `step` is due, or None when the sequence has no such step."""
        sev = self.policy.for_severity(severity)
        offset = self._offset(sev, step)
        return None if offset is None else self._after(sev, created_at, offset)

    def page(self, created_at: datetime, severity: str, step: int) -> PlannedPage | None:
        sev = self.policy.for_severity(severity)
        due = self.due_at(created_at, severity, step)
        if due is None:
            return None
        index = min(step, len(sev.levels) - 1)
        level = sev.levels[index]
        return PlannedPage(
            step=step,
            level=index + 1,
            repeat=max(0, step - len(sev.levels) + 1),
            due_at=due,
            notify=level.notify,
            mention_everyone=level.mention_everyone,
        )

    def catch_up(self, created_at: datetime, severity: str, step: int, now: datetime) -> CatchUp:
        """From `step` onward, the one page to send at `now` and the step after it.

        When several steps are overdue (the bot was down) only the latest is sent: it is the most
        escalated, and sending the missed ones in a burst would only add noise.
        """
        due = self.due_at(created_at, severity, step)
        if due is None or due > now:
            return CatchUp(page=None, next_step=step, next_due_at=due)
        latest = step
        while True:
            following = self.due_at(created_at, severity, latest + 1)
            if following is None or following > now:
                break
            latest += 1
        return CatchUp(
            page=self.page(created_at, severity, latest),
            next_step=latest + 1,
            next_due_at=self.due_at(created_at, severity, latest + 1),
        )

    def deadline(
        self, created_at: datetime, severity: str, within: timedelta | None
    ) -> datetime | None:
        if within is None:
            return None
        return self._after(self.policy.for_severity(severity), created_at, within)

    def acknowledge_deadline(self, created_at: datetime, severity: str) -> datetime | None:
        sev = self.policy.for_severity(severity)
        return self.deadline(created_at, severity, sev.acknowledge_within)

    def resolve_deadline(self, created_at: datetime, severity: str) -> datetime | None:
        sev = self.policy.for_severity(severity)
        return self.deadline(created_at, severity, sev.resolve_within)
