"""Attaching escalation to a running desk: the observer hooks, the sweep and digest jobs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.config_escalation import parse_escalation
from bot.escalation_scheduler import EscalationScheduler
from handlers.escalation.digest_job import DigestJob
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience

if TYPE_CHECKING:
    from bot.app import Runtime


def attach_escalation(runtime: Runtime) -> EscalationScheduler:
    """Build the escalator and its scheduler for `runtime`; the caller starts and stops it."""
    config = runtime.config
    policy = parse_escalation(config.escalation)
    audience = Audience(
        team=tuple(runtime.desk.team_targets),
        leads=config.team.leads,
        members=config.team.members,
        channels=frozenset(runtime.dispatcher.senders),
    )
    escalator = Escalator(runtime.store, policy, runtime.clock, runtime.desk.notifier, audience)
    digest = DigestJob(runtime.store, policy, runtime.clock, runtime.desk.notifier)

    async def sweep() -> datetime | None:
        sent_before = escalator.pages_sent
        next_due = await escalator.sweep()
        if escalator.pages_sent != sent_before:
            runtime.dispatcher.wake()
        return next_due

    async def daily_digest() -> str | None:
        body = await digest()
        if body is not None:
            runtime.dispatcher.wake()
        return body

    scheduler = EscalationScheduler(policy, runtime.clock, sweep, daily_digest)
    escalator.wake = scheduler.wake_at
    runtime.desk.observers.append(escalator)
    return scheduler
