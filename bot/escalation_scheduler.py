"""APScheduler 3.11 wiring: a safety-net sweep interval job, exact wake-ups, the digest cron.

The scheduler only decides *when* to look; the database decides what is due. Jobs live in the
in-memory job store (nothing pickled), so a restart rebuilds them from config and the ticket rows
carry all escalation state. Job store sharing between processes is something APScheduler's own
FAQ rules out; sharing the database is how several processes cooperate here.

Wake-ups: instead of a one-off job per ticket, the sweep job's `next_run_time` is pulled forward
to the next due instant (`Job.modify`, which also wakes the scheduler). After that run the
interval trigger carries on from the run time, so the safety net keeps going.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from handlers.clock import Clock
from handlers.escalation.policy import EscalationPolicy

log = logging.getLogger(__name__)

SWEEP_JOB = "escalation-sweep"
DIGEST_JOB = "escalation-digest"

# A sweep returns when the next page or SLA deadline is due (None: nothing pending).
Sweep = Callable[[], Awaitable[datetime | None]]
Digest = Callable[[], Awaitable[object]]


class EscalationScheduler:
    def __init__(
        self,
        policy: EscalationPolicy,
        clock: Clock,
        sweep: Sweep,
        digest: Digest | None = None,
    ) -> None:
        self.policy = policy
        self.clock = clock
        self._sweep = sweep
        self._digest = digest
        self._running = False
        self._again = False
        self.sweeps_done = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            # Late runs must still happen (a sweep that fires late is exactly the one that
            # catches up), and several missed runs collapse into one.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 3},
        )
        self.scheduler.add_job(
            self.run_sweep,
            IntervalTrigger(seconds=policy.sweep_interval.total_seconds(), timezone=UTC),
            id=SWEEP_JOB,
            name="escalation sweep",
            next_run_time=datetime.now(UTC),  # one sweep right at start-up: catch up after downtime
        )
        if digest is not None:
            self.scheduler.add_job(
                self.run_digest,
                self.digest_trigger(policy),
                id=DIGEST_JOB,
                name="daily digest",
                # Started a little after digest_at (a deploy, a restart): still send today's.
                misfire_grace_time=3600,
            )

    @staticmethod
    def digest_trigger(policy: EscalationPolicy) -> CronTrigger:
        """digest_at on the business-hours weekdays, in the policy's zone (holidays are skipped
        by the digest itself, since cron has no notion of them)."""
        days = ",".join(str(day) for day in sorted(policy.business_hours.days))
        return CronTrigger(
            day_of_week=days,
            hour=policy.digest_at.hour,
            minute=policy.digest_at.minute,
            timezone=policy.zone,
        )

    def start(self) -> None:
        """Start on the running event loop (AsyncIOScheduler picks it up)."""
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def stop(self, timeout: float = 10.0) -> None:
        """Let a sweep in progress finish (bounded) before the scheduler and then the database
        stop: APScheduler's shutdown cancels running jobs, and a sweep cancelled inside an
        asyncpg call hung the process at exit (a piped console session on PostgreSQL)."""
        if self.scheduler.running:
            self.scheduler.pause()  # no new run starts while we wait
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.idle.wait()
        self.shutdown()

    async def run_sweep(self) -> None:
        """One sweep; if a wake-up arrives while it runs, sweep again before resting, so a page
        made due mid-sweep is never left for the next interval."""
        if self._running:
            self._again = True
            return
        self._running = True
        self.idle.clear()
        next_due: datetime | None = None
        try:
            while True:
                self._again = False
                try:
                    next_due = await self._sweep()
                except Exception:
                    # The next interval retries; a crash here must not stop the scheduler.
                    log.exception("escalation sweep failed")
                    next_due = None
                self.sweeps_done += 1
                if not self._again:
                    break
        finally:
            self._running = False
            self.idle.set()
        if next_due is not None:
            self.wake_at(next_due)

    async def run_digest(self) -> None:
        if self._digest is None:
            return
        try:
            await self._digest()
        except Exception:
            log.exception("daily digest failed")

    def wake_at(self, due: datetime) -> None:
        """Make sure a sweep runs at `due` (a time on `self.clock`), never later than planned."""
        if self._running:
            # The running sweep reads the due times again before it finishes.
            self._again = True
            return
        delay = max(0.0, (due - self.clock.now()).total_seconds())
        # The scheduler runs on real time; translating through the delay keeps this right
        # when the clock is a FakeClock too.
        run_at = datetime.now(UTC) + timedelta(seconds=delay)
        job = self.scheduler.get_job(SWEEP_JOB)
        if job is None:
            return
        current = job.next_run_time
        if current is None or run_at < current:
            job.modify(next_run_time=run_at)

    def next_sweep_at(self) -> datetime | None:
        job = self.scheduler.get_job(SWEEP_JOB)
        return None if job is None else job.next_run_time
