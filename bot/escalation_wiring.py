"""Attaching escalation to a running desk: the observer hooks, the sweep and digest jobs."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.config_escalation import parse_escalation
from bot.escalation_scheduler import EscalationScheduler
from handlers.escalation.digest_job import DigestJob
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.program.sweep import ProgramSweep, stalled_section

log = logging.getLogger(__name__)

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
    program_settings = runtime.desk.settings.program
    program = ProgramSweep(
        runtime.store,
        program_settings,
        runtime.clock,
        runtime.desk.team_targets,
        channels=frozenset(runtime.dispatcher.senders),
        notifier=runtime.desk.notifier,
    )
    digest = DigestJob(
        runtime.store,
        policy,
        runtime.clock,
        runtime.desk.notifier,
        extra=stalled_section(program_settings),
    )

    async def sweep() -> datetime | None:
        sent_before = escalator.pages_sent + program.sent
        next_due = await escalator.sweep()
        # The program's reminders ride on the same sweep job; its failure must not stop pages.
        try:
            program_due = await program()
        except Exception:
            log.exception("integration program sweep failed")
            program_due = None
        if escalator.pages_sent + program.sent != sent_before:
            runtime.dispatcher.wake()
        present = [d for d in (next_due, program_due) if d is not None]
        return min(present) if present else None

    async def daily_digest() -> str | None:
        body = await digest()
        if body is not None:
            runtime.dispatcher.wake()
        return body

    scheduler = EscalationScheduler(policy, runtime.clock, sweep, daily_digest)
    escalator.wake = scheduler.wake_at
    runtime.desk.observers.append(escalator)
    return scheduler
