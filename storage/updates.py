"""Inbound deliveries already processed, so a redelivered update is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedUpdate


class ProcessedUpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, source: str, update_id: str, now: datetime) -> bool:
        """Record the delivery; False when it was already recorded (a duplicate)."""
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ProcessedUpdate)
            .values(source=source, update_id=update_id, created_at=now)
            .on_conflict_do_nothing()
        )
        result = await self.session.exec(statement)
        return bool(result.rowcount == 1)

    async def seen(self, source: str, update_id: str) -> bool:
        """Whether the delivery was recorded already (its work committed)."""
        query = select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.source == source, ProcessedUpdate.update_id == update_id
        )
        return (await self.session.exec(query)).first() is not None
