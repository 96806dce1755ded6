"""Where each user stands in a conversation flow."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Conversation


@dataclass(slots=True)
class ConversationState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _row(self, channel: str, chat_id: str, user_id: str) -> Conversation | None:
        query = select(Conversation).where(
            Conversation.channel == channel,
            Conversation.chat_id == chat_id,
            Conversation.user_id == user_id,
        )
        return (await self.session.exec(query)).first()

    async def load(self, channel: str, chat_id: str, user_id: str) -> ConversationState:
        row = await self._row(channel, chat_id, user_id)
        if row is None:
            return ConversationState()
        return ConversationState(row.flow, row.step, json.loads(row.data))

    async def save(
        self, channel: str, chat_id: str, user_id: str, state: ConversationState, now: datetime
    ) -> None:
        row = await self._row(channel, chat_id, user_id)
        if row is None:
            row = Conversation(channel=channel, chat_id=chat_id, user_id=user_id, updated_at=now)
        row.flow, row.step = state.flow, state.step
        row.data = json.dumps(state.data, ensure_ascii=False)
        row.updated_at = now
        self.session.add(row)
