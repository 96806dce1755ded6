"""The APScheduler wiring, on a real AsyncIOScheduler, awaiting events instead of sleeping."""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.escalation_scheduler import DIGEST_JOB, SWEEP_JOB, EscalationScheduler
from handlers.clock import FakeClock
from handlers.escalation.policy import EscalationPolicy

EAT = ZoneInfo("Africa/Dar_es_Salaam")
SAFETY = 5.0  # seconds; only reached if the code under test is broken


class Recorder:
    def __init__(self, result: datetime | None = None) -> None:
        self.calls = 0
        self.result = result
        self.happened: asyncio.Queue[int] = asyncio.Queue()

    async def __call__(self) -> datetime | None:
        self.calls += 1
        self.happened.put_nowait(self.calls)
        return self.result

    async def next(self) -> int:
        return await asyncio.wait_for(self.happened.get(), SAFETY)


@pytest.fixture
def policy() -> EscalationPolicy:
    return EscalationPolicy(sweep_interval=timedelta(minutes=10))


async def test_sweeps_once_at_start_up(policy: EscalationPolicy) -> None:
    sweep = Recorder()
    sched = EscalationScheduler(policy, FakeClock(), sweep)
    sched.start()
    try:
        assert await sweep.next() == 1
        job = sched.scheduler.get_job(SWEEP_JOB)
        assert job is not None and job.misfire_grace_time is None and job.coalesce
    finally:
        sched.shutdown()


async def test_wake_at_pulls_the_sweep_forward_never_back(policy: EscalationPolicy) -> None:
    clock = FakeClock()
    sweep = Recorder()
    sched = EscalationScheduler(policy, clock, sweep)
    sched.start()
    try:
        await sweep.next()
        await asyncio.wait_for(sched.idle.wait(), SAFETY)
        planned = sched.next_sweep_at()
        assert planned is not None
        assert planned - datetime.now(UTC) > timedelta(minutes=9)
        sched.wake_at(clock.now() + timedelta(minutes=3))
        moved = sched.next_sweep_at()
        assert moved is not None and timedelta(minutes=2) < moved - datetime.now(
            UTC
        ) < planned - datetime.now(UTC)
        sched.wake_at(clock.now() + timedelta(minutes=7))
        assert sched.next_sweep_at() == moved
        # Due now: the sweep runs at once.
        sched.wake_at(clock.now())
        assert await sweep.next() == 2
    finally:
        sched.shutdown()


async def test_a_sweep_reports_its_next_due_time_and_is_woken_for_it(
    policy: EscalationPolicy,
) -> None:
    clock = FakeClock()
    # The first sweep says something is due right now; the scheduler must come back for it.
    sweep = Recorder(result=clock.now())
    sched = EscalationScheduler(policy, clock, sweep)
    sched.start()
    try:
        assert await sweep.next() == 1
        sweep.result = None
        assert await sweep.next() == 2
    finally:
        sched.shutdown()


async def test_wake_during_a_sweep_runs_it_again() -> None:
    clock = FakeClock()
    gate = asyncio.Event()
    started = asyncio.Event()
    calls: list[int] = []

    async def slow_sweep() -> datetime | None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            started.set()
            await gate.wait()
        return None

    sched = EscalationScheduler(EscalationPolicy(), clock, slow_sweep)
    first = asyncio.create_task(sched.run_sweep())
    await asyncio.wait_for(started.wait(), SAFETY)
    assert calls == [1]
    sched.wake_at(clock.now())
    await sched.run_sweep()  # an overlapping run only asks for another pass
    gate.set()
    await asyncio.wait_for(first, SAFETY)
    assert calls == [1, 2]


async def test_a_failing_sweep_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcomes = [RuntimeError("database locked"), None]

    async def flaky() -> datetime | None:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return None

    sched = EscalationScheduler(EscalationPolicy(), FakeClock(), flaky)
    await sched.run_sweep()
    await sched.run_sweep()
    assert outcomes == []
    assert "escalation sweep failed" in caplog.text


def test_digest_cron_runs_on_business_days_at_digest_at_in_the_zone() -> None:
    policy = EscalationPolicy()
    trigger = EscalationScheduler.digest_trigger(policy)
    friday_nine = datetime(2026, 11, 27, 9, 0, tzinfo=EAT)
    fire = trigger.get_next_fire_time(None, friday_nine)
    assert fire == datetime(2026, 11, 30, 8, 30, tzinfo=EAT)
    assert fire.weekday() == 0
    monday_early = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # 08:00 EAT
    assert trigger.get_next_fire_time(None, monday_early) == datetime(
        2026, 11, 30, 8, 30, tzinfo=EAT
    )


async def test_digest_job_is_registered_only_with_a_digest() -> None:
    without = EscalationScheduler(EscalationPolicy(), FakeClock(), Recorder())
    assert without.scheduler.get_job(DIGEST_JOB) is None
    digest = Recorder()
    with_digest = EscalationScheduler(EscalationPolicy(), FakeClock(), Recorder(), digest)
    job = with_digest.scheduler.get_job(DIGEST_JOB)
    assert job is not None and job.misfire_grace_time == 3600
    await with_digest.run_digest()
    assert digest.calls == 1


async def test_stop_lets_a_sweep_in_progress_finish(policy: EscalationPolicy) -> None:
    """`deskbot run` closes the database right after stopping the scheduler: a sweep still
    inside a query then was cancelled at event-loop shutdown, which hung on PostgreSQL."""
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[bool] = []

    async def slow_sweep() -> datetime | None:
        started.set()
        await release.wait()
        finished.append(True)
        return None

    sched = EscalationScheduler(policy, FakeClock(), slow_sweep)
    sched.start()
    await asyncio.wait_for(started.wait(), SAFETY)
    stopping = asyncio.create_task(sched.stop(timeout=SAFETY))
    await asyncio.sleep(0)  # let stop() begin waiting before the sweep is released
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, SAFETY)
    assert finished == [True] and not sched.scheduler.running
