"""Readiness: the database answers, every configured channel has started, and no channel's
outbox has been stuck past the alarm threshold. Also sets the backlog gauges before a scrape."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from handlers.clock import Clock
from handlers.escalation.durations import humanize
from handlers.ops import metrics
from storage.ops import Backlog, OpsRepository
from storage.store import Store

log = logging.getLogger(__name__)

# A database that takes longer than this to answer SELECT 1 counts as unreachable.
DATABASE_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


class Health:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        started: Mapping[str, Callable[[], bool]],
        alarm_after: timedelta,
    ) -> None:
        """`started`: per configured channel, whether it has started serving."""
        self.store = store
        self.clock = clock
        self.started = dict(started)
        self.alarm_after = alarm_after

    @property
    def channels(self) -> list[str]:
        return list(self.started)

    async def _backlog(self) -> tuple[dict[str, Backlog], dict[str, object]]:
        async with self.store.transaction() as tx:
            repo = OpsRepository(tx.session)
            await repo.ping()
            backlog = await repo.backlog(self.channels)
            alarms = await repo.alarms()
        return backlog, dict(alarms)

    async def _projects(self) -> dict[str, int]:
        async with self.store.transaction() as tx:
            return await OpsRepository(tx.session).projects_per_stage()

    async def refresh_metrics(self) -> None:
        """Set the gauges that describe the database; the counters need nothing."""
        backlog, alarms = await asyncio.wait_for(self._backlog(), DATABASE_TIMEOUT)
        now = self.clock.now()
        for channel, b in backlog.items():
            metrics.OUTBOX_PENDING.labels(channel).set(b.pending)
            metrics.OUTBOX_RETRYING.labels(channel).set(b.retrying)
            metrics.OUTBOX_FAILED.labels(channel).set(b.failed)
            age = (now - b.oldest_at).total_seconds() if b.oldest_at is not None else 0.0
            metrics.OUTBOX_OLDEST.labels(channel).set(max(0.0, age))
            metrics.ALARM.labels(channel).set(1 if channel in alarms else 0)
        projects = await asyncio.wait_for(self._projects(), DATABASE_TIMEOUT)
        # A stage nobody is in any more disappears from the scrape instead of staying stale.
        metrics.PROJECTS.clear()
        for stage, count in projects.items():
            metrics.PROJECTS.labels(stage).set(count)

    async def readiness(self) -> list[Check]:
        checks: list[Check] = []
        try:
            backlog, _ = await asyncio.wait_for(self._backlog(), DATABASE_TIMEOUT)
        except Exception as exc:
            log.warning("readiness: database unreachable: %s", exc)
            checks.append(Check("database", False, f"unreachable: {type(exc).__name__}"))
            backlog = {}
        else:
            checks.append(Check("database", True))
        for channel, started in self.started.items():
            up = started()
            checks.append(Check(f"channel:{channel}", up, "" if up else "not started"))
        now = self.clock.now()
        for channel, b in backlog.items():
            age = now - b.oldest_at if b.oldest_at is not None else timedelta(0)
            stuck = age >= self.alarm_after
            detail = f"{b.pending} waiting for {humanize(age)}" if stuck else ""
            checks.append(Check(f"outbox:{channel}", not stuck, detail))
        metrics.READY.set(1 if all(c.ok for c in checks) else 0)
        return checks
