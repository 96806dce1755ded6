"""The program's scheduled work, read from project rows like escalation: the go-live moment
(uat -> go_live), reminders the business day before and one hour before, and the stall nudge.

Each piece is claimed with a conditional UPDATE in the transaction that writes its notices, so
two processes (or a restart) send it once. After downtime a project gets the latest reminder
that is due, not every one it missed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from handlers.clock import Clock
from handlers.escalation.paging import member_target
from handlers.messages import t
from handlers.notify import DIRECT, Notifier, Target
from handlers.program.common import Render, queue, shown_time, tell_merchant_tx, tell_team_tx
from handlers.program.plan import HOUR_BEFORE, day_before, next_due, stall_due
from handlers.program.settings import STAGES, ProgramSettings
from storage.program_models import Project
from storage.store import Store, Transaction

log = logging.getLogger(__name__)
ACTOR = "deskbot"
BATCH = 100


class ProgramSweep:
    def __init__(
        self,
        store: Store,
        program: ProgramSettings,
        clock: Clock,
        team_targets: Sequence[Target],
        channels: frozenset[str] | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.store = store
        # The languages: the merchant's for their notices, `[team] language` for the team's.
        self.notifier = notifier or Notifier(team_targets)
        self.program = program
        self.clock = clock
        self.team_targets = tuple(team_targets)
        self.channels = channels
        self.sent = 0

    async def __call__(self) -> datetime | None:
        """Do what is due; returns when the next project needs the scheduler."""
        now = self.clock.now()
        async with self.store.transaction() as tx:
            due = list(await tx.projects.due(now, BATCH))
        for snapshot in due:
            async with self.store.transaction() as tx:
                project = await tx.projects.get(snapshot.reference)
                if project is not None and project.next_due_at == snapshot.next_due_at:
                    await self._one(tx, project, now)
        async with self.store.transaction() as tx:
            return await tx.projects.next_due()

    async def _one(self, tx: Transaction, project: Project, now: datetime) -> None:
        if project.stage == "uat" and project.go_live_at is not None:
            await self._go_live(tx, project, project.go_live_at, now)
        stalled_at = stall_due(project, self.program)
        if (
            stalled_at is not None
            and stalled_at <= now
            and await tx.projects.change(
                project, {"stall_nudged": False, "stage": project.stage}, stall_nudged=True
            )
        ):
            tx.projects.record(project, ACTOR, "stall_nudge", project.stage, now)
            self._nudge(tx, project, now)
        await tx.projects.change(project, {}, next_due_at=next_due(project, self.program))

    async def _go_live(
        self, tx: Transaction, project: Project, go_live: datetime, now: datetime
    ) -> None:
        """The go-live moment, else the latest reminder due: after downtime, past the
        hour-before moment the day-before reminder has nothing left to say."""
        zone = self.program.calendar.zone
        if now >= go_live:
            done: dict[str, Any] = {"reminded_day_before": True, "reminded_hour_before": True}
            if await tx.projects.move(project, "go_live", ACTOR, "", now, **done):
                tx.projects.record(project, ACTOR, "stage", "uat -> go_live", now)
                await self._both(
                    tx,
                    project,
                    lambda: t("prj.notify.going_live", reference=project.reference),
                    now,
                )
            return
        expect: dict[str, Any] = {"go_live_at": go_live}
        if not project.reminded_hour_before and now >= go_live - HOUR_BEFORE:
            expect["reminded_hour_before"] = False
            done = {"reminded_hour_before": True, "reminded_day_before": True}
            key, which = "prj.notify.reminder_hour", "hour_before"
        elif (
            not project.reminded_day_before
            and (day_before(project, self.program) or go_live) <= now
        ):
            expect["reminded_day_before"] = False
            done = {"reminded_day_before": True}
            key, which = "prj.notify.reminder_day", "day_before"
        else:
            return
        if await tx.projects.change(project, expect, **done):
            tx.projects.record(project, ACTOR, "reminder", which, now)
            await self._both(
                tx,
                project,
                lambda: t(key, reference=project.reference, at=shown_time(go_live, zone)),
                now,
            )

    async def _both(self, tx: Transaction, project: Project, render: Render, now: datetime) -> None:
        await tell_merchant_tx(tx, project, render, now, self.notifier)
        tell_team_tx(tx, self.team_targets, project, render, now, self.notifier)
        self.sent += 1

    def _nudge(self, tx: Transaction, project: Project, now: datetime) -> None:
        def render() -> str:
            return t(
                "prj.team.stalled",
                reference=project.reference,
                stage=t.word("stage", project.stage),
                days=self.program.stall_after_days,
            )

        owner = member_target(project.owner) if project.owner else None
        if owner is None or (self.channels is not None and owner.channel not in self.channels):
            tell_team_tx(tx, self.team_targets, project, render, now, self.notifier)
        else:
            with self.notifier.for_team():
                queue(tx, project, DIRECT, owner, render(), now)
        self.sent += 1


def stalled_section(program: ProgramSettings) -> Callable[[Transaction, datetime], Awaitable[str]]:
    """The daily digest's list of stalled projects (no stage change for `stall_after`)."""

    async def section(tx: Transaction, now: datetime) -> str:
        lines = []
        for project in await tx.projects.search([s for s in STAGES if s != "live"]):
            if program.calendar.elapsed(project.stage_entered_at, now) >= program.stall_after():
                lines.append(
                    t(
                        "prj.digest.line",
                        reference=project.reference,
                        stage=t.word("stage", project.stage),
                        owner=project.owner_name or "—",
                    )
                )
        if not lines:
            return ""
        return "\n".join([t("prj.digest.stalled", count=len(lines)), *lines[:30]])

    return section
