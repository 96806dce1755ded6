"""Where each user stands in a conversation flow.

Read and written on every message, so these are single statements (one SELECT, one upsert)
rather than ORM loads and flushes, straight on the driver connection (SQLite: the sqlite3
connection; PostgreSQL: asyncpg, see storage.pg_fast). A turn's read also fetches what every
message needs besides: the person's language and the end of their block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import after_commit, sqlite_driver
from storage.people import LanguageChoice
from storage.types import from_sqlite_time, sqlite_time

_LOAD = (
    "SELECT flow, step, data, version FROM conversation "
    "WHERE channel = {0} AND chat_id = {1} AND user_id = {2}"
)
# Only over the version the turn read ({7}; NULL when there was no row): a turn that read the
# state before another turn of the same person committed (two taps on Confirm reaching two
# processes) must not overwrite it, nor keep what it did from that stale state. The read takes no
# lock (PostgreSQL's fast path reads outside a transaction), so this is the one place the two
# meet: the loser's write matches no row and its whole unit of work is rolled back and run again.
_SAVE = (
    "INSERT INTO conversation (channel, chat_id, user_id, flow, step, data, updated_at, version) "
    "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, 1) ON CONFLICT (channel, chat_id, user_id) "
    "DO UPDATE SET flow = excluded.flow, step = excluded.step, data = excluded.data, "
    "updated_at = excluded.updated_at, version = conversation.version + 1 "
    "WHERE conversation.version = {7}"
)
# Where the person stands, their language and their block, in one statement: one row even when
# none of the three exists yet.
_TURN = (
    "SELECT c.flow, c.step, c.data, c.version, p.language, p.language_source, r.blocked_until "
    "FROM (SELECT 1) AS one "
    "LEFT JOIN conversation AS c ON c.channel = {0} AND c.chat_id = {1} AND c.user_id = {2} "
    "LEFT JOIN person AS p ON p.channel = {0} AND p.user_id = {2} "
    "LEFT JOIN reporter AS r ON r.channel = {0} AND r.user_id = {2}"
)
_SQLITE = [f"?{n}" for n in range(1, 9)]
_PG = [f"${n}" for n in range(1, 9)]
_SQLITE_LOAD, _PG_LOAD = _LOAD.format(*_SQLITE), _LOAD.format(*_PG)
_SQLITE_SAVE, _PG_SAVE = _SAVE.format(*_SQLITE), _SAVE.format(*_PG) + " RETURNING 1"
_SQLITE_TURN, _PG_TURN = _TURN.format(*_SQLITE), _TURN.format(*_PG)
_WRITTEN = "deskbot.conversations_written"


class ConversationChanged(Exception):
    """Another turn of the same person committed a new state after this unit of work read it:
    the unit is rolled back; run the event again against the new state."""


@dataclass(slots=True)
class ConversationState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # The row's version when read (None: no row yet); a save succeeds only over that version.
    # It moves to the version written once the save's unit of work has committed.
    version: int | None = field(default=None, compare=False)


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
        flow, step, data, version = found
        return ConversationState(flow, step, json.loads(data), version)

    async def load_turn(self, channel: str, chat_id: str, user_id: str) -> TurnRecord:
        """The conversation state, language and block of one person, in one statement."""
        row = await self._fetch(_SQLITE_TURN, _PG_TURN, channel, chat_id, user_id)
        flow, step, data, version, language, source, blocked = row
        if isinstance(blocked, str):
            blocked = from_sqlite_time(blocked)
        state = ConversationState(flow, step, json.loads(data) if data is not None else {}, version)
        choice = None if language is None else LanguageChoice(language, source)
        return TurnRecord(state, choice, blocked)

    async def save(
        self, channel: str, chat_id: str, user_id: str, state: ConversationState, now: datetime
    ) -> None:
        """Write `state` over the version it was read at (see _SAVE); raises
        ConversationChanged (here on SQLite, when the unit of work ends on PostgreSQL) if
        another unit of work wrote it meanwhile."""
        data = json.dumps(state.data, ensure_ascii=False)
        key = (channel, chat_id, user_id)
        written = self._written()
        driver = await sqlite_driver(self.session)
        if driver is not None:
            # Written now: a second save in this unit goes over what the first one wrote.
            # Under SQLite's write lock, taken before the turn read, only the same process's
            # mistake (a state read in another unit of work) can lose here.
            over = written[key][1] if key in written else state.version
            time = sqlite_time(now)
            values = (channel, chat_id, user_id, state.flow, state.step, data, time, over)
            if driver.execute(_SQLITE_SAVE, values).rowcount != 1:
                raise ConversationChanged(channel, chat_id, user_id)
            written[key] = (state, (over or 0) + 1)
            return
        # Last in the unit of work; alone, it commits without a transaction of its own. A
        # second save in this unit replaces the first before anything was written, so it goes
        # over the version the turn read, not the one the first save would have written.
        written[key] = (state, (state.version or 0) + 1)
        pg_fast.defer(
            self.session,
            ("conversation", *key),
            _PG_SAVE,
            (channel, chat_id, user_id, state.flow, state.step, data, now, state.version),
            relaxed=True,
            lost=ConversationChanged(channel, chat_id, user_id),
        )

    def _written(self) -> dict[tuple[str, str, str], tuple[ConversationState, int]]:
        """The states this unit of work saved, with the version each wrote; they take that
        version once it committed (a rolled-back unit leaves them at the one they were read at,
        which is still the row's)."""
        written = self.session.info.get(_WRITTEN)
        if written is None:
            written = self.session.info[_WRITTEN] = {}
            after_commit(self.session, partial(_settle, written))
        return written


def _settle(written: dict[tuple[str, str, str], tuple[ConversationState, int]]) -> None:
    for state, version in written.values():
        state.version = version
