"""Alembic environment. Deskbot runs migrations programmatically on its own async engine's
connection (passed in `config.attributes["connection"]`); the fallback builds one from the URL in
DESKBOT_DATABASE_URL for running Alembic by hand."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.models
import storage.program_models  # noqa: F401

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(
        _run_from_url(os.environ.get("DESKBOT_DATABASE_URL", "sqlite+aiosqlite:///deskbot.db"))
    )
