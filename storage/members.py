"""Team members' display names learned from the platforms when they act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import MemberName


class MemberNameRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def learn(self, member_id: str, name: str, now: datetime) -> None:
        """Remember `name` for `member_id` (a no-op when it is already the one stored)."""
        dialect = self.session.bind.dialect.name  # type: ignore[union-attr]
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(MemberName).values(member_id=member_id, name=name, updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=["member_id"],
            set_={"name": name, "updated_at": now},
            where=col(MemberName.name) != name,
        )
        await self.session.exec(statement)

    async def all(self) -> dict[str, str]:
        rows = await self.session.exec(select(MemberName.member_id, MemberName.name))
        return {member_id: name for member_id, name in rows.all()}

    async def get(self, member_id: str) -> str | None:
        row = await self.session.get(MemberName, member_id)
        return row.name if row is not None else None
