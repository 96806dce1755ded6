"""Escalation fixtures: the default policy's escalator attached to the shared test desk."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers.clock import FakeClock
from handlers.desk import Desk
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.escalation.policy import EscalationPolicy
from storage import Store
from storage.models import OutboxItem, Page
from tests.conftest import TEAM


@pytest.fixture
def policy() -> EscalationPolicy:
    return EscalationPolicy()


def make_escalator(desk: Desk, store: Store, policy: EscalationPolicy) -> Escalator:
    audience = Audience(
        team=tuple(desk.team_targets),
        leads=desk.settings.leads,
        members=tuple(sorted(TEAM)),
    )
    return Escalator(store, policy, desk.clock, desk.notifier, audience)


@pytest.fixture
def escalator(desk: Desk, store: Store, policy: EscalationPolicy) -> Escalator:
    escalator = make_escalator(desk, store, policy)
    desk.observers.append(escalator)
    return escalator


async def pages(store: Store) -> list[Page]:
    async with store.transaction() as tx:
        return list((await tx.session.exec(select(Page).order_by(col(Page.id)))).all())


async def outbox(store: Store, kind: str | None = None) -> list[OutboxItem]:
    async with store.transaction() as tx:
        query = select(OutboxItem).order_by(col(OutboxItem.id))
        if kind is not None:
            query = query.where(OutboxItem.kind == kind)
        return list((await tx.session.exec(query)).all())


async def run_minutes(
    clock: FakeClock, escalator: Escalator, until: datetime, step: timedelta
) -> None:
    """Sweep at every `step` up to and including `until`, as the scheduler's interval would."""
    while clock.now() < until:
        clock.advance(min(step, until - clock.now()))
        await escalator.sweep()
