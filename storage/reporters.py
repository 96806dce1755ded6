"""Per-reporter limits in the database: blocks, the once-an-hour team notice, and the counts
the limits are checked against. Rows are shared by every process on the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import UNRESOLVED, Reporter, Ticket


class ReporterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _ensure(self, channel: str, user_id: str) -> None:
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(Reporter).values(channel=channel, user_id=user_id).on_conflict_do_nothing()
        )
        await self.session.exec(statement)

    async def lock(self, channel: str, user_id: str) -> None:
        """Serialise ticket creation for one reporter until the transaction ends, so two
        processes cannot both pass a limit check on the same count. The insert takes SQLite's
        write lock; PostgreSQL gets a row lock."""
        await self._ensure(channel, user_id)
        query = (
            select(Reporter)
            .where(Reporter.channel == channel, Reporter.user_id == user_id)
            .with_for_update()
        )
        await self.session.exec(query)

    async def blocked_until(self, channel: str, user_id: str, now: datetime) -> datetime | None:
        query = select(Reporter.blocked_until).where(
            Reporter.channel == channel,
            Reporter.user_id == user_id,
            col(Reporter.blocked_until) > now,
        )
        return (await self.session.exec(query)).first()

    async def block(self, channel: str, user_id: str, until: datetime, by: str) -> None:
        await self._ensure(channel, user_id)
        await self.session.exec(
            update(Reporter)
            .where(col(Reporter.channel) == channel, col(Reporter.user_id) == user_id)
            .values(blocked_until=until, blocked_by=by)
        )

    async def unblock(self, channel: str, user_id: str, now: datetime) -> bool:
        """Lift a block; False when the reporter was not blocked."""
        result = await self.session.exec(
            update(Reporter)
            .where(
                col(Reporter.channel) == channel,
                col(Reporter.user_id) == user_id,
                col(Reporter.blocked_until) > now,
            )
            .values(blocked_until=None)
        )
        return bool(result.rowcount)

    async def claim_notice(
        self, channel: str, user_id: str, now: datetime, every: timedelta
    ) -> bool:
        """True for exactly one caller per `every` (a conditional update, so two processes
        cannot both tell the team)."""
        await self._ensure(channel, user_id)
        result = await self.session.exec(
            update(Reporter)
            .where(
                col(Reporter.channel) == channel,
                col(Reporter.user_id) == user_id,
                or_(
                    col(Reporter.over_limit_told_at).is_(None),
                    col(Reporter.over_limit_told_at) <= now - every,
                ),
            )
            .values(over_limit_told_at=now)
        )
        return bool(result.rowcount)

    async def open_tickets(self, channel: str, user_id: str) -> int:
        query = select(func.count()).where(
            Ticket.reporter_channel == channel,
            Ticket.reporter_user_id == user_id,
            col(Ticket.status).in_(UNRESOLVED),
        )
        return int((await self.session.exec(query)).one())

    async def tickets_since(
        self, channel: str, user_id: str, since: datetime, severity: str | None = None
    ) -> tuple[int, datetime | None]:
        """How many tickets the reporter filed since `since` (of `severity`, if given), and
        when the oldest of them was filed."""
        query = select(func.count(), func.min(Ticket.created_at)).where(
            Ticket.reporter_channel == channel,
            Ticket.reporter_user_id == user_id,
            col(Ticket.created_at) >= since,
        )
        if severity is not None:
            query = query.where(Ticket.severity == severity)
        count, oldest = (await self.session.exec(query)).one()
        return int(count), oldest
