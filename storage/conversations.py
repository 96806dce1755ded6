"""Where each user stands in a conversation flow.

Read and written on every message, so these are single statements (one SELECT, one upsert)
rather than ORM loads and flushes; on SQLite they go straight to the driver connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection, sqlite_driver
from storage.models import Conversation

_table = Conversation.__table__  # type: ignore[attr-defined]
_KEY = ("channel", "chat_id", "user_id")
_VALUES = ("flow", "step", "data", "updated_at")

# Built once: constructing statements per message cost more than running them.
_LOAD = select(_table.c.flow, _table.c.step, _table.c.data).where(
    *(_table.c[name] == bindparam(name) for name in _KEY)
)
# PostgreSQL: the row stays locked until the turn commits. Two messages from one person reaching
# two processes at once (a double tap on Confirm behind a load balancer) then run one after the
# other, and the second sees what the first left (the flow finished: a stale button), instead of
# both filing the ticket. Same statement, so no extra round trip; SQLite needs none, its
# transactions already take the write lock up front.
_LOAD_LOCKED = _LOAD.with_for_update()


def _upsert(insert: Any) -> Any:
    statement = insert(_table)
    return statement.on_conflict_do_update(
        index_elements=list(_KEY), set_={name: statement.excluded[name] for name in _VALUES}
    )


_SAVE = {"sqlite": _upsert(sqlite_insert), "postgresql": _upsert(pg_insert)}

_SQLITE_LOAD = (
    "SELECT flow, step, data FROM conversation WHERE channel = ? AND chat_id = ? AND user_id = ?"
)
_SQLITE_SAVE = (
    "INSERT INTO conversation (channel, chat_id, user_id, flow, step, data, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET "
    "flow = excluded.flow, step = excluded.step, data = excluded.data, "
    "updated_at = excluded.updated_at"
)


def _sqlite_time(moment: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime stores and reads back (naive UTC).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(slots=True)
class ConversationState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(
        self, channel: str, chat_id: str, user_id: str, *, for_update: bool = True
    ) -> ConversationState:
        """`for_update` (PostgreSQL): hold the row until the transaction ends (see _LOAD_LOCKED);
        a look that changes nothing passes False."""
        driver = await sqlite_driver(self.session)
        if driver is not None:
            found = driver.execute(_SQLITE_LOAD, (channel, chat_id, user_id)).fetchone()
        else:
            key = {"channel": channel, "chat_id": chat_id, "user_id": user_id}
            found = (
                await core_connection(self.session).execute(
                    _LOAD_LOCKED if for_update else _LOAD, key
                )
            ).first()
        if found is None:
            return ConversationState()
        flow, step, data = found
        return ConversationState(flow, step, json.loads(data))

    async def save(
        self, channel: str, chat_id: str, user_id: str, state: ConversationState, now: datetime
    ) -> None:
        data = json.dumps(state.data, ensure_ascii=False)
        driver = await sqlite_driver(self.session)
        if driver is not None:
            values = (channel, chat_id, user_id, state.flow, state.step, data, _sqlite_time(now))
            driver.execute(_SQLITE_SAVE, values)
            return
        connection = core_connection(self.session)
        row = {
            "channel": channel,
            "chat_id": chat_id,
            "user_id": user_id,
            "flow": state.flow,
            "step": state.step,
            "data": data,
            "updated_at": now,
        }
        await connection.execute(_SAVE[connection.dialect.name], row)
