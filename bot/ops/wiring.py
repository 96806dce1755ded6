"""Attaching operations to a running desk: the /metrics /healthz /readyz listener (when
`[ops] metrics_port` is set), the delivery alarm's checks, and the weekly report job on the
escalation scheduler (one APScheduler per process)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger

from bot.channels.base import ChannelService
from bot.config_escalation import parse_escalation
from bot.config_ops import WeeklyAt
from bot.escalation_scheduler import EscalationScheduler
from bot.ops.server import OpsServer
from handlers.ops.alarm import DeliveryAlarm
from handlers.ops.health import Health
from handlers.ops.weekly import WeeklyReport

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)

WEEKLY_JOB = "weekly-report"
# How long stopping waits for an alarm check in progress.
STOP_WAIT = 5.0


def alarm_interval(after: timedelta) -> float:
    """How often the alarm looks: a quarter of its threshold, between 1 and 30 seconds."""
    return min(30.0, max(1.0, after.total_seconds() / 4))


def weekly_trigger(weekly: WeeklyAt, zone: str) -> CronTrigger:
    return CronTrigger(
        day_of_week=str(weekly.weekday), hour=weekly.at.hour, minute=weekly.at.minute, timezone=zone
    )


class Ops:
    def __init__(self, runtime: Runtime, services: Sequence[ChannelService]) -> None:
        config = runtime.config
        policy = parse_escalation(config.escalation)
        runtime.desk.policy = policy
        self.health = Health(
            runtime.store,
            runtime.clock,
            {s.name: (lambda s=s: bool(s.started)) for s in services},  # type: ignore[misc]
            config.ops.delivery_alarm_after,
        )
        self.alarm = DeliveryAlarm(
            runtime.store,
            runtime.clock,
            [s.name for s in services],
            runtime.desk.team_targets,
            config.team.leads,
            config.ops.delivery_alarm_after,
            on_outbox=runtime.dispatcher.wake,
        )
        self.weekly = WeeklyReport(
            runtime.store,
            policy,
            runtime.clock,
            runtime.desk.team_targets,
            config.reports.chart_weeks,
            on_outbox=runtime.dispatcher.wake,
        )
        self.policy = policy
        self.config = config
        self.server: OpsServer | None = None
        if config.ops.metrics_port is not None:
            self.server = OpsServer(
                self.health, listen=config.ops.listen, port=config.ops.metrics_port
            )
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    def schedule(self, scheduler: EscalationScheduler) -> None:
        weekly = self.config.reports.weekly_at
        if weekly is None:
            return
        scheduler.scheduler.add_job(
            self.post_weekly,
            weekly_trigger(weekly, self.policy.timezone),
            id=WEEKLY_JOB,
            name="weekly report",
            # A restart shortly after the hour still posts this week's report.
            misfire_grace_time=3600,
        )

    async def post_weekly(self) -> None:
        try:
            await self.weekly.post()
        except Exception:
            log.exception("weekly report failed")

    async def start(self) -> None:
        if self.server is not None:
            await self.server.start()
        self._tasks.append(asyncio.create_task(self._watch(), name="delivery-alarm"))

    async def stop(self) -> None:
        # The check in progress finishes its transaction: cancelling it inside a database call
        # can leave the connection for the pool to clean up while the engine is disposed.
        self._stopping.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_WAIT)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks.clear()
        if self.server is not None:
            await self.server.stop()

    async def _watch(self) -> None:
        # Only the pacing is real time; what counts as stuck is read from the desk's clock.
        interval = alarm_interval(self.config.ops.delivery_alarm_after)
        while not self._stopping.is_set():
            try:
                await self.alarm.check()
            except Exception:
                log.exception("delivery alarm check failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)
