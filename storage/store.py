"""The entry point the rest of the code uses: `async with store.transaction() as tx:` gives one
unit of work with a repository per concern, committed together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import pg_fast
from storage.attachments import AttachmentRepository
from storage.conversations import ConversationRepository, ConversationState
from storage.database import Database
from storage.kb_log import KbLogRepository
from storage.members import MemberNameRepository
from storage.outbox import OutboxRepository
from storage.people import PersonRepository
from storage.projects import ProjectRepository
from storage.redactions import RedactionRepository
from storage.reporters import ReporterRepository
from storage.tickets import TicketRepository
from storage.updates import ProcessedUpdateRepository


@dataclass(slots=True)
class Transaction:
    session: AsyncSession
    tickets: TicketRepository
    conversations: ConversationRepository
    outbox: OutboxRepository
    updates: ProcessedUpdateRepository
    kb_log: KbLogRepository
    reporters: ReporterRepository
    projects: ProjectRepository
    people: PersonRepository
    members: MemberNameRepository
    attachments: AttachmentRepository
    redactions: RedactionRepository

    async def start_turn(self, channel: str, chat_id: str, user_id: str) -> ConversationState:
        """Where the person stands, read together with their language and block (one statement
        for what every message needs; the people and reporters repositories answer from it)."""
        record = await self.conversations.load_turn(channel, chat_id, user_id)
        self.people.prime(channel, user_id, record.language)
        self.reporters.prime(channel, user_id, record.blocked_until)
        return record.state


class Store:
    def __init__(self, database: Database, reference_prefix: str = "INT") -> None:
        self.database = database
        self.reference_prefix = reference_prefix

    @asynccontextmanager
    async def transaction(self, urgent: bool = False) -> AsyncIterator[Transaction]:
        """`urgent`: short work that must not queue behind ordinary units (Database.session)."""
        async with self.database.session(urgent) as session:
            tx = Transaction(
                session=session,
                tickets=TicketRepository(session, self.reference_prefix),
                conversations=ConversationRepository(session),
                outbox=OutboxRepository(session),
                updates=ProcessedUpdateRepository(session),
                kb_log=KbLogRepository(session),
                reporters=ReporterRepository(session),
                projects=ProjectRepository(session),
                people=PersonRepository(session),
                members=MemberNameRepository(session),
                attachments=AttachmentRepository(session),
                redactions=RedactionRepository(session),
            )
            yield tx
            if tx.session.new or tx.session.dirty or tx.session.deleted:
                await tx.session.flush()
            await tx.tickets.flush_events(last=True)
            await tx.outbox.flush(last=True)
            # Last: alone, the fast path's writes commit as one statement (storage.pg_fast).
            await pg_fast.flush(tx.session)
