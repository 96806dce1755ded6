"""The log of messages a secret was hidden from (kinds only, never a value)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Redaction


class RedactionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        channel: str,
        chat_id: str,
        user_id: str,
        kinds: Sequence[str],
        now: datetime,
        ticket_reference: str | None = None,
    ) -> None:
        self.session.add(
            Redaction(
                created_at=now,
                channel=channel,
                chat_id=chat_id,
                user_id=user_id,
                kinds=",".join(kinds),
                ticket_reference=ticket_reference,
            )
        )

    async def since(self, since: datetime) -> Sequence[Redaction]:
        query = (
            select(Redaction).where(col(Redaction.created_at) >= since).order_by(col(Redaction.id))
        )
        return (await self.session.exec(query)).all()
