"""When a project next needs the scheduler: go-live reminders (the business day before, one
hour before), the go-live moment itself, and the stall nudge. Computed from the row, stored in
`next_due_at` (indexed), read by the sweep: the scheduler's memory holds nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.program.settings import ProgramSettings
from storage.program_models import Project
from storage.store import Transaction

HOUR_BEFORE = timedelta(hours=1)


def day_before(project: Project, program: ProgramSettings) -> datetime | None:
    """The opening of the last business day before the go-live day."""
    if project.go_live_at is None:
        return None
    calendar = program.calendar
    day = calendar.local_date(project.go_live_at) - timedelta(days=1)
    for _ in range(30):
        if calendar.is_business_day(day):
            opening = datetime.combine(day, calendar.hours.start, tzinfo=calendar.zone)
            return opening.astimezone(project.go_live_at.tzinfo)
        day -= timedelta(days=1)
    return None


def stall_due(project: Project, program: ProgramSettings) -> datetime | None:
    if project.stage == "live" or project.stall_nudged:
        return None
    return program.calendar.add(project.stage_entered_at, program.stall_after())


def next_due(project: Project, program: ProgramSettings) -> datetime | None:
    moments: list[datetime | None] = [stall_due(project, program)]
    if project.go_live_at is not None and project.stage == "uat":
        if not project.reminded_day_before:
            moments.append(day_before(project, program))
        if not project.reminded_hour_before:
            moments.append(project.go_live_at - HOUR_BEFORE)
        moments.append(project.go_live_at)
    present = [m for m in moments if m is not None]
    return min(present) if present else None


async def replan(tx: Transaction, project: Project, program: ProgramSettings) -> None:
    """Store the next due moment. Called inside the transaction that changed the project (its
    conditional UPDATE already holds the row)."""
    due = next_due(project, program)
    if due != project.next_due_at:
        await tx.projects.change(project, {}, next_due_at=due)
