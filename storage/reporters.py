"""Per-reporter limits in the database: blocks, the once-an-hour team notice, and the counts
the limits are checked against. Rows are shared by every process on the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import core_connection, sqlite_driver
from storage.models import UNRESOLVED, Reporter, Severity, Ticket
from storage.types import from_sqlite_time, sqlite_time


@dataclass(frozen=True, slots=True)
class Standing:
    """A reporter's tickets as the limits count them: unresolved ones, and those filed since a
    moment (all, and Critical ones) with when the oldest of each was filed."""

    open: int
    recent: int
    recent_oldest: datetime | None
    critical: int
    critical_oldest: datetime | None


_recent = col(Ticket.created_at) >= bindparam("since")
_critical = and_(_recent, col(Ticket.severity) == Severity.critical)
# Every count the limits need, in one statement over the reporter's tickets.
_STANDING = core_select(
    func.count().filter(col(Ticket.status).in_(UNRESOLVED)),
    func.count().filter(_recent),
    func.min(Ticket.created_at).filter(_recent),
    func.count().filter(_critical),
    func.min(Ticket.created_at).filter(_critical),
).where(
    col(Ticket.reporter_channel) == bindparam("channel"),
    col(Ticket.reporter_user_id) == bindparam("user_id"),
)
# The same on PostgreSQL's fast path (storage.pg_fast): a read before the unit of work's first
# write needs no transaction, so a report's first step still commits in one statement.
_RECENT, _CRITICAL = "created_at >= $3", f"created_at >= $3 AND severity = '{Severity.critical}'"
_PG_STANDING = (
    f"SELECT count(*) FILTER (WHERE status IN ({', '.join(repr(str(s)) for s in UNRESOLVED)})), "
    f"count(*) FILTER (WHERE {_RECENT}), min(created_at) FILTER (WHERE {_RECENT}), "
    f"count(*) FILTER (WHERE {_CRITICAL}), min(created_at) FILTER (WHERE {_CRITICAL}) "
    "FROM ticket WHERE reporter_channel = $1 AND reporter_user_id = $2"
)
# SQLite runs them straight on its sqlite3 connection (storage.database.sqlite_driver), where
# SQLAlchemy's bridge costs several times the statement. Times are compared as stored (text).
_SQLITE_STANDING = _PG_STANDING.replace("$", "?")

_PG_LOCK = (
    "INSERT INTO reporter (channel, user_id) VALUES ($1, $2) ON CONFLICT (channel, user_id) "
    "DO UPDATE SET blocked_by = reporter.blocked_by"
)
_SQLITE_LOCK = _PG_LOCK.replace("$", "?")


class ReporterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Blocks this unit of work knows already (read with the turn, or set in it).
        self._blocks: dict[tuple[str, str], datetime | None] = {}

    def prime(self, channel: str, user_id: str, blocked_until: datetime | None) -> None:
        """Remember what the turn's read found, so asking again costs no statement."""
        self._blocks[(channel, user_id)] = blocked_until

    async def _ensure(self, channel: str, user_id: str) -> None:
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(Reporter).values(channel=channel, user_id=user_id).on_conflict_do_nothing()
        )
        await self.session.exec(statement)

    async def lock(self, channel: str, user_id: str) -> None:
        """Serialise ticket creation for one reporter until the transaction ends, so two
        processes cannot both pass a limit check on the same count. One statement: an upsert
        that changes nothing still locks the row on PostgreSQL (and takes SQLite's write lock,
        which its transactions hold from the start anyway)."""
        if pg_fast.driver(self.session) is not None:
            # Inside the transaction (the lock lasts until its end), straight on asyncpg.
            await pg_fast.begin(self.session)
            await pg_fast.execute(self.session, _PG_LOCK, channel, user_id)
            return
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            sqlite.execute(_SQLITE_LOCK, (channel, user_id))
            return
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(Reporter).values(channel=channel, user_id=user_id)
        statement = statement.on_conflict_do_update(
            index_elements=["channel", "user_id"],
            set_={"blocked_by": statement.table.c.blocked_by},
        )
        await self.session.exec(statement)

    async def blocked_until(self, channel: str, user_id: str, now: datetime) -> datetime | None:
        if (channel, user_id) in self._blocks:
            until = self._blocks[(channel, user_id)]
            return until if until is not None and until > now else None
        query = select(Reporter.blocked_until).where(
            Reporter.channel == channel,
            Reporter.user_id == user_id,
            col(Reporter.blocked_until) > now,
        )
        return (await self.session.exec(query)).first()

    async def block(self, channel: str, user_id: str, until: datetime, by: str) -> None:
        self._blocks[(channel, user_id)] = until
        await self._ensure(channel, user_id)
        await self.session.exec(
            update(Reporter)
            .where(col(Reporter.channel) == channel, col(Reporter.user_id) == user_id)
            .values(blocked_until=until, blocked_by=by)
        )

    async def unblock(self, channel: str, user_id: str, now: datetime) -> bool:
        """Lift a block; False when the reporter was not blocked."""
        self._blocks[(channel, user_id)] = None
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

    async def standing(self, channel: str, user_id: str, since: datetime) -> Standing:
        if pg_fast.driver(self.session) is not None:
            return Standing(
                *await pg_fast.fetchrow(self.session, _PG_STANDING, channel, user_id, since)
            )
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            row = sqlite.execute(_SQLITE_STANDING, (channel, user_id, sqlite_time(since)))
            opened, recent, recent_oldest, critical, critical_oldest = row.fetchone()
            return Standing(
                opened,
                recent,
                from_sqlite_time(recent_oldest),
                critical,
                from_sqlite_time(critical_oldest),
            )
        found = await core_connection(self.session).execute(
            _STANDING, {"channel": channel, "user_id": user_id, "since": since}
        )
        return Standing(*found.one())

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
