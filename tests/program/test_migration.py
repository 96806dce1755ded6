"""Migration 0005_program (and every one before it) keeps existing tickets, linked to nothing."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from storage import Database
from storage.database import alembic_config
from tests.databases import fresh_database_url


async def test_upgrade_from_0001_keeps_tickets(tmp_path: Path) -> None:
    async with Database(await fresh_database_url(tmp_path)) as database:
        async with database.engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0001"))
            await conn.execute(
                text(
                    "INSERT INTO ticket (reference, kind, title, description, status,"
                    " reporter_channel, reporter_user_id, reporter_name, reporter_chat_id,"
                    " created_at, updated_at, escalation_level, escalation_repeats)"
                    " VALUES ('INT-1', 'issue', 'Old', 'kept', 'open', 'console', 'amina',"
                    " 'Amina', 'amina', '2026-11-01 09:00:00', '2026-11-01 09:00:00', 0, 0)"
                )
            )
        await database.upgrade()
        async with database.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT reference, title, project_id, program_label FROM ticket")
                )
            ).all()
    assert [tuple(r) for r in rows] == [("INT-1", "Old", None, None)]
