"""Where each user stands in a conversation flow.

Read and written on every message, so these are single Core statements (one SELECT, one upsert)
rather than ORM loads and flushes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import core_connection
from storage.models import Conversation

_table = Conversation.__table__  # type: ignore[attr-defined]
_KEY = ("channel", "chat_id", "user_id")
_VALUES = ("flow", "step", "data", "updated_at")

# Built once: constructing statements per message cost more than running them.
_LOAD = select(_table.c.flow, _table.c.step, _table.c.data).where(
    *(_table.c[name] == bindparam(name) for name in _KEY)
)


def _upsert(insert: Any) -> Any:
    statement = insert(_table)
    return statement.on_conflict_do_update(
        index_elements=list(_KEY), set_={name: statement.excluded[name] for name in _VALUES}
    )


_SAVE = {"sqlite": _upsert(sqlite_insert), "postgresql": _upsert(pg_insert)}


@dataclass(slots=True)
class ConversationState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, channel: str, chat_id: str, user_id: str) -> ConversationState:
        connection = core_connection(self.session)
        key = {"channel": channel, "chat_id": chat_id, "user_id": user_id}
        row = (await connection.execute(_LOAD, key)).first()
        if row is None:
            return ConversationState()
        return ConversationState(row.flow, row.step, json.loads(row.data))

    async def save(
        self, channel: str, chat_id: str, user_id: str, state: ConversationState, now: datetime
    ) -> None:
        connection = core_connection(self.session)
        row = {
            "channel": channel,
            "chat_id": chat_id,
            "user_id": user_id,
            "flow": state.flow,
            "step": state.step,
            "data": json.dumps(state.data, ensure_ascii=False),
            "updated_at": now,
        }
        await connection.execute(_SAVE[connection.dialect.name], row)
