"""The people the desk talks to: one row per identity, holding the language it speaks to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.database import core_connection, sqlite_driver
from storage.models import Person, Ticket
from storage.types import sqlite_time

_table = Person.__table__  # type: ignore[attr-defined]
# Both dialects' inserts share on_conflict_do_update and excluded; the mapping's value type is
# their common base, which has neither, hence Any.
_INSERT: dict[str, Any] = {"sqlite": sqlite_insert, "postgresql": pg_insert}
# Read on every incoming message, so built once and run on the transaction's connection (on
# SQLite straight on the driver, as the conversation state is).
_LOAD = select(_table.c.language, _table.c.language_source).where(
    _table.c.channel == bindparam("channel"), _table.c.user_id == bindparam("user_id")
)

_SQLITE_LOAD = "SELECT language, language_source FROM person WHERE channel = ? AND user_id = ?"
# PostgreSQL writes a person's language at the end of the unit of work (storage.pg_fast).
_PG_SET = (
    "INSERT INTO person (channel, user_id, language, language_source, updated_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, user_id) DO UPDATE SET "
    "language = excluded.language, language_source = excluded.language_source, "
    "updated_at = excluded.updated_at"
)
_PG_CARRY = (
    "UPDATE ticket SET reporter_language = $3 WHERE reporter_channel = $1 AND reporter_user_id = $2"
)
# SQLite runs them at once, on its sqlite3 connection (numbered parameters: ?3 is $3).
_SQLITE_SET, _SQLITE_CARRY = _PG_SET.replace("$", "?"), _PG_CARRY.replace("$", "?")


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    language: str
    source: str  # "picked", "platform" or "detected"


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Languages this unit of work knows already (read with the turn, or set in it).
        self._known: dict[tuple[str, str], LanguageChoice | None] = {}

    def prime(self, channel: str, user_id: str, choice: LanguageChoice | None) -> None:
        """Remember what the turn's read found, so asking again costs no statement."""
        self._known[(channel, user_id)] = choice

    async def language(self, channel: str, user_id: str) -> LanguageChoice | None:
        if (channel, user_id) in self._known:
            return self._known[(channel, user_id)]
        driver = await sqlite_driver(self.session)
        if driver is not None:
            found = driver.execute(_SQLITE_LOAD, (channel, user_id)).fetchone()
        else:
            key = {"channel": channel, "user_id": user_id}
            found = (await core_connection(self.session).execute(_LOAD, key)).first()
        return None if found is None else LanguageChoice(found[0], found[1])

    async def set_language(
        self, channel: str, user_id: str, choice: LanguageChoice, now: datetime
    ) -> None:
        """Store `choice` for the identity (one upsert: two first messages racing in two
        processes both land on the same row) and carry it to the identity's tickets."""
        self._known[(channel, user_id)] = choice
        if pg_fast.driver(self.session) is not None:
            key = ("person", channel, user_id)
            values = (channel, user_id, choice.language, choice.source, now)
            pg_fast.defer(self.session, key, _PG_SET, values, relaxed=True)
            carry = (channel, user_id, choice.language)
            pg_fast.defer(self.session, (*key, "tickets"), _PG_CARRY, carry, relaxed=True)
            return
        sqlite = await sqlite_driver(self.session)
        if sqlite is not None:
            stored = (channel, user_id, choice.language, choice.source, sqlite_time(now))
            sqlite.execute(_SQLITE_SET, stored)
            sqlite.execute(_SQLITE_CARRY, (channel, user_id, choice.language))
            return
        connection = core_connection(self.session)
        statement = _INSERT[connection.dialect.name](_table).values(
            channel=channel,
            user_id=user_id,
            language=choice.language,
            language_source=choice.source,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["channel", "user_id"],
            set_={
                "language": statement.excluded.language,
                "language_source": statement.excluded.language_source,
                "updated_at": statement.excluded.updated_at,
            },
        )
        await connection.execute(statement)
        await connection.execute(
            update(Ticket)
            .where(Ticket.reporter_channel == channel, Ticket.reporter_user_id == user_id)  # type: ignore[arg-type]
            .values(reporter_language=choice.language)
        )
