"""Merchants and integration projects.

Every change two processes could race (stage, check, owner, sign-off, go-live, reminder and
nudge claims) is one conditional UPDATE that only matches while the row still holds what the
caller saw; rowcount tells the caller whether its change won. The loser changes and says nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import sqlite_driver
from storage.models import Ticket
from storage.program_models import (
    Merchant,
    MerchantIdentity,
    Project,
    ProjectCheck,
    ProjectEvent,
    ProjectStage,
    UatCase,
)

_identity_table = MerchantIdentity.__table__  # type: ignore[attr-defined]
# Both dialects' inserts have on_conflict_do_nothing; their common base does not, hence Any.
_INSERT: dict[str, Any] = {"sqlite": sqlite_insert, "postgresql": pg_insert}
_PG_MERCHANT_OF = "SELECT merchant_id FROM merchant_identity WHERE identity = $1"
_SQLITE_MERCHANT_OF = _PG_MERCHANT_OF.replace("$1", "?")


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # merchants -----------------------------------------------------------------------------
    async def merchant_for(self, identity: str) -> Merchant | None:
        # Most people filing a ticket speak for no merchant: one plain statement tells. It
        # bypasses the session, so what the session holds unwritten is written first (as the
        # ORM query's autoflush did): an identity linked earlier in this unit counts.
        session = self.session
        if session.new or session.dirty or session.deleted:
            await session.flush()
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            found = sqlite.execute(_SQLITE_MERCHANT_OF, (identity,)).fetchone()
            return None if found is None else await self.merchant(found[0])
        if pg_fast.driver(self.session) is not None:
            found = await pg_fast.fetchrow(self.session, _PG_MERCHANT_OF, identity)
            return None if found is None else await self.merchant(found[0])
        query = select(Merchant).join(
            MerchantIdentity, col(MerchantIdentity.merchant_id) == Merchant.id
        )
        result = await self.session.exec(query.where(MerchantIdentity.identity == identity))
        return result.first()

    async def merchant(self, merchant_id: int) -> Merchant | None:
        return await self.session.get(Merchant, merchant_id)

    async def add_merchant(self, merchant: Merchant, identity: str, now: datetime) -> Merchant:
        self.session.add(merchant)
        await self.session.flush()
        self.session.add(
            MerchantIdentity(merchant_id=merchant.id, identity=identity, created_at=now)  # type: ignore[arg-type]
        )
        return merchant

    async def identities(self, merchant_id: int) -> list[str]:
        query = select(MerchantIdentity.identity).where(MerchantIdentity.merchant_id == merchant_id)
        return list((await self.session.exec(query.order_by(col(MerchantIdentity.id)))).all())

    async def link(self, merchant_id: int, identity: str, now: datetime) -> int:
        """Make `identity` speak for the merchant unless it already speaks for one (an identity
        belongs to one merchant; two processes linking it at once insert one row). Returns the
        id of the merchant it speaks for afterwards."""
        connection = await self.session.connection()
        statement = _INSERT[connection.dialect.name](_identity_table).values(
            merchant_id=merchant_id, identity=identity, created_at=now
        )
        await connection.execute(statement.on_conflict_do_nothing(index_elements=["identity"]))
        owner = select(MerchantIdentity.merchant_id).where(MerchantIdentity.identity == identity)
        return (await self.session.exec(owner)).one()

    async def unlink(self, merchant_id: int, identity: str) -> str:
        """`removed`, `absent` (it does not speak for this merchant) or `last` (a merchant keeps
        at least one identity). The merchant's row is locked so that two unlinks at once cannot
        both pass the count and leave it with none."""
        await self.session.exec(
            select(Merchant.id).where(Merchant.id == merchant_id).with_for_update()
        )
        identities = await self.identities(merchant_id)
        if identity not in identities:
            return "absent"
        if len(identities) == 1:
            return "last"
        await self.session.exec(
            delete(MerchantIdentity).where(
                col(MerchantIdentity.merchant_id) == merchant_id,
                col(MerchantIdentity.identity) == identity,
            )
        )
        return "removed"

    # projects ------------------------------------------------------------------------------
    async def create(
        self,
        project: Project,
        prefix: str,
        checklists: Mapping[str, Sequence[str]],
        uat: Sequence[tuple[str, bool]],
        by: str,
    ) -> Project:
        """Store a new project at its first stage with every stage's checklist and its UAT
        cases; the reference is the prefix and the row id (`PRJ-3`)."""
        self.session.add(project)
        await self.session.flush()
        project.reference = f"{prefix}-{project.id}"
        pid = project.id
        now = project.created_at
        self.session.add(ProjectStage(project_id=pid, stage=project.stage, entered_at=now, by=by))  # type: ignore[arg-type]
        for stage, items in checklists.items():
            for position, item in enumerate(items, start=1):
                self.session.add(
                    ProjectCheck(project_id=pid, stage=stage, position=position, item=item)  # type: ignore[arg-type]
                )
        for number, (title, required) in enumerate(uat, start=1):
            self.session.add(UatCase(project_id=pid, number=number, title=title, required=required))  # type: ignore[arg-type]
        await self.session.flush()
        return project

    async def get(self, reference: str) -> Project | None:
        result = await self.session.exec(select(Project).where(Project.reference == reference))
        return result.first()

    async def for_merchant(self, merchant_id: int) -> Sequence[Project]:
        query = select(Project).where(Project.merchant_id == merchant_id)
        return (await self.session.exec(query.order_by(col(Project.id)))).all()

    async def search(self, stages: Sequence[str] | None = None) -> Sequence[Project]:
        query = select(Project)
        if stages:
            query = query.where(col(Project.stage).in_(stages))
        return (await self.session.exec(query.order_by(col(Project.id)))).all()

    async def history(self, project: Project) -> Sequence[ProjectStage]:
        query = select(ProjectStage).where(ProjectStage.project_id == project.id)
        return (await self.session.exec(query.order_by(col(ProjectStage.id)))).all()

    async def checks(self, project: Project, stage: str | None = None) -> Sequence[ProjectCheck]:
        query = select(ProjectCheck).where(ProjectCheck.project_id == project.id)
        if stage is not None:
            query = query.where(ProjectCheck.stage == stage)
        query = query.order_by(col(ProjectCheck.id))
        return (await self.session.exec(query)).all()

    async def cases(self, project: Project) -> Sequence[UatCase]:
        query = select(UatCase).where(UatCase.project_id == project.id)
        return (await self.session.exec(query.order_by(col(UatCase.number)))).all()

    async def events(self, project: Project) -> Sequence[ProjectEvent]:
        query = select(ProjectEvent).where(ProjectEvent.project_id == project.id)
        return (await self.session.exec(query.order_by(col(ProjectEvent.id)))).all()

    async def tickets(self, project: Project) -> Sequence[Ticket]:
        query = select(Ticket).where(Ticket.project_id == project.id)
        return (await self.session.exec(query.order_by(col(Ticket.id)))).all()

    def record(self, project: Project, actor: str, action: str, detail: str, now: datetime) -> None:
        self.session.add(
            ProjectEvent(
                project_id=project.id,  # type: ignore[arg-type]
                created_at=now,
                actor=actor,
                action=action,
                detail=detail,
            )
        )

    # conditional changes -------------------------------------------------------------------
    async def _update(self, model: Any, conditions: list[Any], values: dict[str, Any]) -> bool:
        statement = update(model).where(*conditions).values(**values)
        result = await self.session.exec(statement)
        return bool(result.rowcount == 1)

    async def change(self, project: Project, expect: dict[str, Any], **values: Any) -> bool:
        """Set `values` on the project only if the columns in `expect` still hold those values
        (None means IS NULL). The in-memory project follows when the change won."""
        conditions = [col(Project.id) == project.id]
        for name, value in expect.items():
            column = col(getattr(Project, name))
            conditions.append(column.is_(None) if value is None else column == value)
        won = await self._update(Project, conditions, values)
        if won:
            for name, value in values.items():
                set_committed(project, name, value)
        return won

    async def sign_off(self, project: Project, side: str, by: str, now: datetime) -> bool:
        """`side` ("merchant" or "team") signs UAT off, once, while the project is at `uat`."""
        return await self.change(
            project,
            {"stage": "uat", f"{side}_signoff_at": None},
            **{f"{side}_signoff_by": by, f"{side}_signoff_at": now, "updated_at": now},
        )

    async def move(
        self, project: Project, to_stage: str, by: str, note: str, now: datetime, **values: Any
    ) -> bool:
        """From the stage the caller saw to `to_stage`, recorded in the stage history."""
        won = await self.change(
            project,
            {"stage": project.stage},
            stage=to_stage,
            stage_entered_at=now,
            stall_nudged=False,
            updated_at=now,
            **values,
        )
        if won:
            assert project.id is not None  # a stored project
            self.session.add(
                ProjectStage(
                    project_id=project.id, stage=to_stage, entered_at=now, by=by, note=note
                )
            )
        return won

    async def take(self, project: Project, owner: str, name: str, now: datetime) -> bool:
        conditions = [
            col(Project.id) == project.id,
            or_(col(Project.owner).is_(None), col(Project.owner) != owner),
        ]
        won = await self._update(
            Project, conditions, {"owner": owner, "owner_name": name, "updated_at": now}
        )
        if won:
            for key, value in (("owner", owner), ("owner_name", name), ("updated_at", now)):
                set_committed(project, key, value)
        return won

    async def check(self, item: ProjectCheck, by: str, now: datetime) -> bool:
        conditions = [col(ProjectCheck.id) == item.id, col(ProjectCheck.done_at).is_(None)]
        won = await self._update(ProjectCheck, conditions, {"done_by": by, "done_at": now})
        if won:
            set_committed(item, "done_by", by)
            set_committed(item, "done_at", now)
        return won

    async def set_case(
        self, case: UatCase, status: str, by: str, now: datetime, **extra: Any
    ) -> bool:
        conditions = [col(UatCase.id) == case.id, col(UatCase.status) == case.status]
        values = {"status": status, "updated_by": by, "updated_at": now, **extra}
        won = await self._update(UatCase, conditions, values)
        if won:
            for key, value in values.items():
                set_committed(case, key, value)
        return won

    async def add_case(self, project: Project, title: str, required: bool = True) -> UatCase:
        # The project's row lock keeps two members adding a case at once from both taking the
        # same next number (the unique constraint would fail the second). SQLite's transactions
        # already run one at a time.
        await self.session.exec(
            select(Project.id).where(Project.id == project.id).with_for_update()
        )
        query = select(func.max(UatCase.number)).where(UatCase.project_id == project.id)
        last = (await self.session.exec(query)).one() or 0
        case = UatCase(project_id=project.id, number=last + 1, title=title, required=required)  # type: ignore[arg-type]
        self.session.add(case)
        await self.session.flush()
        return case

    # scheduled work ------------------------------------------------------------------------
    async def due(self, now: datetime, limit: int) -> Sequence[Project]:
        query = (
            select(Project)
            .where(col(Project.next_due_at) <= now)
            .order_by(col(Project.next_due_at))
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def next_due(self) -> datetime | None:
        value: datetime | None = (
            await self.session.exec(select(func.min(Project.next_due_at)))
        ).one()
        return value


def set_committed(row: Any, name: str, value: Any) -> None:
    """Make the in-memory row show what the UPDATE wrote without the session writing it again."""
    from sqlalchemy.orm.attributes import set_committed_value

    set_committed_value(row, name, value)


def objectives_of(project: Project) -> list[str]:
    return list(json.loads(project.objectives or "[]"))
