"""Copying a whole desk from one database to another (SQLite to PostgreSQL and back).

Both sides are brought to the newest migration first, so they have the same tables. Rows are
read in one transaction on the source (a consistent snapshot) and written in one transaction on
the target, parents before children; the target's row counts are checked against the source's
before that transaction commits, so a copy is whole or not at all. On PostgreSQL every id
sequence is then moved past the copied rows: the next ticket continues the numbering (INT-43
after INT-42) instead of colliding with a copied one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

# Imported for their tables (SQLModel.metadata): every table they define is copied.
import storage.models
import storage.program_models  # noqa: F401
from storage.database import Database, core_connection

BATCH = 1000
# Alembic's own bookkeeping: each side's upgrade writes it.
_SKIPPED = {"alembic_version"}


class CopyRefused(Exception):
    """The copy was not made (target not empty, unknown tables, counts that differ)."""


@dataclass(frozen=True)
class CopyResult:
    counts: dict[str, int]  # rows copied per table, in copy order

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the desk, parents before children."""
    return [table for table in SQLModel.metadata.sorted_tables if table.name not in _SKIPPED]


async def _counts(connection: AsyncConnection, wanted: Sequence[Table]) -> dict[str, int]:
    counts = {}
    for table in wanted:
        found = await connection.execute(select(func.count()).select_from(table))
        counts[table.name] = found.scalar_one()
    return counts


async def _check_known(connection: AsyncConnection, known: Sequence[Table], side: str) -> None:
    present = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    unknown = sorted(present - {table.name for table in known} - _SKIPPED)
    if unknown:
        raise CopyRefused(
            f"the {side} has tables this version of Deskbot does not know: {', '.join(unknown)}"
        )


def _integer_keys(table: Table) -> list[str]:
    names = []
    for column in table.primary_key.columns:
        try:
            if column.type.python_type is int:
                names.append(column.name)
        except NotImplementedError:
            continue
    return names


async def _reset_sequences(connection: AsyncConnection, copied: Sequence[Table]) -> None:
    for table in copied:
        for column in _integer_keys(table):
            sequence = (
                await connection.execute(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column},
                )
            ).scalar_one()
            if sequence is None:
                continue
            # is_called false: the next value handed out is exactly max + 1 (1 on an empty table).
            highest = select(func.coalesce(func.max(table.c[column]), 0) + 1).scalar_subquery()
            await connection.execute(select(func.setval(sequence, highest, False)))


async def copy_desk(
    source: Database,
    target: Database,
    *,
    force: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> CopyResult:
    """Copy every row of `source` into `target`. A target holding any row is refused unless
    `force`, which first deletes everything in it."""
    await source.upgrade()
    await target.upgrade()
    everything = tables()
    # One transaction on each side: the source's rows are a consistent snapshot (waiting, like
    # every unit of work, for a running bot's SQLite write lock), the target's all or nothing.
    reading = await source.begin()
    try:
        if source.dialect == "postgresql":
            await reading.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        await _check_known(reading, everything, "source")
        wanted = await _counts(reading, everything)
        async with target.session() as session:
            writing = core_connection(session)
            await _check_known(writing, everything, "target")
            present = {name: n for name, n in (await _counts(writing, everything)).items() if n}
            if present and not force:
                listed = ", ".join(f"{name} ({n})" for name, n in present.items())
                raise CopyRefused(
                    f"the target is not empty: {listed}; --force replaces what is in it"
                )
            for table in reversed(everything):
                if present.get(table.name):
                    await writing.execute(table.delete())
            for table in everything:
                copied = 0
                rows = await reading.execute(select(table))
                for chunk in rows.mappings().partitions(BATCH):
                    await writing.execute(table.insert(), [dict(row) for row in chunk])
                    copied += len(chunk)
                if progress is not None:
                    progress(table.name, copied)
            got = await _counts(writing, everything)
            if got != wanted:
                differ = [f"{n}: {wanted[n]} -> {got[n]}" for n in wanted if got[n] != wanted[n]]
                raise CopyRefused(f"row counts differ after copying ({'; '.join(differ)})")
            if target.dialect == "postgresql":
                await _reset_sequences(writing, everything)
    finally:
        await reading.rollback()
        await reading.close()
    return CopyResult(wanted)
