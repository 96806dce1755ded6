"""What operations read: the outbox backlog per channel, the delivery alarm's state, and the
rows the reports are computed from. Its own small queries, so that ops keeps working however the
delivery code leases and orders the outbox."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, text, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection
from storage.models import DeliveryAlarm, KbLog, OutboxItem, Ticket
from storage.outbox import FAILED, PENDING
from storage.program_models import Project, ProjectStage

PAGE_KIND = "page"
REPORT_COLUMNS = (
    "reference", "kind", "severity", "reporter_channel", "created_at", "acknowledged_at",
    "resolved_at", "acknowledge_due_at", "resolve_due_at", "acknowledge_breached_at",
    "resolve_breached_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Backlog:
    """One channel's undelivered outbox messages."""

    channel: str
    pending: int = 0
    retrying: int = 0  # pending and tried at least once
    failed: int = 0  # given up on for good
    oldest_at: datetime | None = None  # when the oldest pending message was queued
    pages: int = 0
    oldest_page: str | None = None  # its ticket reference
    oldest_page_level: int | None = None


class OpsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ping(self) -> None:
        await core_connection(self.session).execute(text("SELECT 1"))

    async def backlog(self, channels: Sequence[str]) -> dict[str, Backlog]:
        t = OutboxItem
        counts = (
            select(  # type: ignore[call-overload]
                t.channel,
                t.status,
                func.count(),
                func.sum(case((col(t.attempts) > 0, 1), else_=0)),
                func.min(t.created_at),
            )
            .where(col(t.channel).in_(channels), col(t.status).in_([PENDING, FAILED]))
            .group_by(t.channel, t.status)
        )
        pages = (
            select(t.channel, func.count(), func.min(t.id))
            .where(col(t.channel).in_(channels), t.status == PENDING, t.kind == PAGE_KIND)
            .group_by(t.channel)
        )
        found: dict[str, dict[str, object]] = {c: {} for c in channels}
        for channel, status, count, tried, oldest in (await self.session.exec(counts)).all():
            entry = found[channel]
            if status == PENDING:
                entry.update(pending=count, retrying=int(tried or 0), oldest_at=oldest)
            else:
                entry["failed"] = count
        for channel, count, first_id in (await self.session.exec(pages)).all():
            row = await self.session.get(OutboxItem, first_id)
            if row is None:
                continue
            level = json.loads(row.payload).get("level")
            found[channel].update(
                pages=count,
                oldest_page=row.ticket_reference,
                oldest_page_level=level if isinstance(level, int) else None,
            )
        return {c: Backlog(c, **values) for c, values in found.items()}  # type: ignore[arg-type]

    # The delivery alarm: one row per channel; the conditional updates make raising and
    # clearing happen once even with several processes checking at the same moment.

    async def alarms(self) -> dict[str, datetime]:
        query = select(DeliveryAlarm).where(col(DeliveryAlarm.raised_at).is_not(None))
        return {a.channel: a.raised_at for a in (await self.session.exec(query)).all()}  # type: ignore[misc]

    async def raise_alarm(self, channel: str, since: datetime, now: datetime) -> bool:
        """True when this call raised it (it was not raised before); `since`: when the trouble
        began."""
        connection = core_connection(self.session)
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        await connection.execute(
            insert(DeliveryAlarm.__table__)  # type: ignore[attr-defined]
            .values(channel=channel, raised_at=None, updated_at=now)
            .on_conflict_do_nothing()
        )
        result = await connection.execute(
            update(DeliveryAlarm.__table__)  # type: ignore[attr-defined]
            .where(DeliveryAlarm.__table__.c.channel == channel)  # type: ignore[attr-defined]
            .where(DeliveryAlarm.__table__.c.raised_at.is_(None))  # type: ignore[attr-defined]
            .values(raised_at=since, updated_at=now)
        )
        return result.rowcount == 1

    async def clear_alarm(self, channel: str, now: datetime) -> bool:
        """True when this call cleared a raised alarm."""
        result = await core_connection(self.session).execute(
            update(DeliveryAlarm.__table__)  # type: ignore[attr-defined]
            .where(DeliveryAlarm.__table__.c.channel == channel)  # type: ignore[attr-defined]
            .where(DeliveryAlarm.__table__.c.raised_at.is_not(None))  # type: ignore[attr-defined]
            .values(raised_at=None, updated_at=now)
        )
        return result.rowcount == 1

    # Reports.

    async def tickets_created(self, since: datetime, until: datetime) -> Sequence[Any]:
        """The columns a report reads, as rows with attribute access (not ORM objects, which
        cost twice as much to build over a busy month)."""
        t = Ticket.__table__  # type: ignore[attr-defined]
        query = (
            sa_select(*(t.c[name] for name in REPORT_COLUMNS))
            .where(t.c.created_at >= since, t.c.created_at < until)
            .order_by(t.c.created_at)
        )
        return (await core_connection(self.session).execute(query)).all()

    async def kb_outcomes(self, since: datetime, until: datetime) -> dict[str, int]:
        query = (
            select(KbLog.outcome, func.count())
            .where(col(KbLog.created_at) >= since, col(KbLog.created_at) < until)
            .group_by(KbLog.outcome)
        )
        return {outcome: count for outcome, count in (await self.session.exec(query)).all()}

    # The integration program.

    async def projects_per_stage(self) -> dict[str, int]:
        query = select(Project.stage, func.count()).group_by(Project.stage)
        return {stage: count for stage, count in (await self.session.exec(query)).all()}

    async def stage_history(self, until: datetime) -> list[tuple[int, str, datetime]]:
        """Every stage entered before `until`: (project id, stage, entered at), per project in
        order."""
        query = (
            select(ProjectStage.project_id, ProjectStage.stage, ProjectStage.entered_at)
            .where(col(ProjectStage.entered_at) < until)
            .order_by(
                col(ProjectStage.project_id), col(ProjectStage.entered_at), col(ProjectStage.id)
            )
        )
        return [tuple(row) for row in (await self.session.exec(query)).all()]  # type: ignore[misc]
