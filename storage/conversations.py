"""Where each user stands in a conversation flow.

Read and written on every message, so these are single statements (one SELECT, one upsert)
rather than ORM loads and flushes, straight on the driver connection (SQLite: the sqlite3
connection; PostgreSQL: asyncpg, see storage.pg_fast). A turn's read also fetches what every
message needs besides: the person's language and the end of their block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import sqlite_driver
from storage.people import LanguageChoice

_LOAD = (
    "SELECT flow, step, data FROM conversation "
    "WHERE channel = {0} AND chat_id = {1} AND user_id = {2}"
)
_SAVE = (
    "INSERT INTO conversation (channel, chat_id, user_id, flow, step, data, updated_at) "
    "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}) ON CONFLICT (channel, chat_id, user_id) "
    "DO UPDATE SET flow = excluded.flow, step = excluded.step, data = excluded.data, "
    "updated_at = excluded.updated_at"
)
# Where the person stands, their language and their block, in one statement: one row even when
# none of the three exists yet.
_TURN = (
    "SELECT c.flow, c.step, c.data, p.language, p.language_source, r.blocked_until "
    "FROM (SELECT 1) AS one "
    "LEFT JOIN conversation AS c ON c.channel = {0} AND c.chat_id = {1} AND c.user_id = {2} "
    "LEFT JOIN person AS p ON p.channel = {0} AND p.user_id = {2} "
    "LEFT JOIN reporter AS r ON r.channel = {0} AND r.user_id = {2}"
)
_SQLITE = [f"?{n}" for n in range(1, 8)]
_PG = [f"${n}" for n in range(1, 8)]
_SQLITE_LOAD, _PG_LOAD = _LOAD.format(*_SQLITE), _LOAD.format(*_PG)
_SQLITE_SAVE, _PG_SAVE = _SAVE.format(*_SQLITE), _SAVE.format(*_PG)
_SQLITE_TURN, _PG_TURN = _TURN.format(*_SQLITE), _TURN.format(*_PG)


def _sqlite_time(moment: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime stores and reads back (naive UTC).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _from_sqlite_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass(slots=True)
class ConversationState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """What a turn starts from: where the person stands, the language stored for them, and the
    end of a block set on them (past or not; None when never blocked)."""

    state: ConversationState
    language: LanguageChoice | None
    blocked_until: datetime | None


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _fetch(self, sqlite: str, postgres: str, *args: Any) -> Any:
        driver = await sqlite_driver(self.session)
        if driver is not None:
            return driver.execute(sqlite, args).fetchone()
        return await pg_fast.fetchrow(self.session, postgres, *args)

    async def load(self, channel: str, chat_id: str, user_id: str) -> ConversationState:
        found = await self._fetch(_SQLITE_LOAD, _PG_LOAD, channel, chat_id, user_id)
        if found is None:
            return ConversationState()
        flow, step, data = found
        return ConversationState(flow, step, json.loads(data))

    async def load_turn(self, channel: str, chat_id: str, user_id: str) -> TurnRecord:
        """The conversation state, language and block of one person, in one statement."""
        row = await self._fetch(_SQLITE_TURN, _PG_TURN, channel, chat_id, user_id)
        flow, step, data, language, source, blocked = row
        if isinstance(blocked, str):
            blocked = _from_sqlite_time(blocked)
        state = ConversationState(flow, step, json.loads(data) if data is not None else {})
        choice = None if language is None else LanguageChoice(language, source)
        return TurnRecord(state, choice, blocked)

    async def save(
        self, channel: str, chat_id: str, user_id: str, state: ConversationState, now: datetime
    ) -> None:
        data = json.dumps(state.data, ensure_ascii=False)
        driver = await sqlite_driver(self.session)
        if driver is not None:
            values = (channel, chat_id, user_id, state.flow, state.step, data, _sqlite_time(now))
            driver.execute(_SQLITE_SAVE, values)
            return
        # Last in the unit of work; alone, it commits without a transaction of its own.
        pg_fast.defer(
            self.session,
            ("conversation", channel, chat_id, user_id),
            _PG_SAVE,
            (channel, chat_id, user_id, state.flow, state.step, data, now),
            relaxed=True,
        )
