"""Wiring: from a Config to a running desk (database, engine, outbox, channels)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Config
from bot.config_escalation import parse_escalation
from bot.config_program import parse_program
from bot.kb_config import kb_settings, open_knowledge
from handlers.clock import Clock, SystemClock
from handlers.delivery import OutboxDispatcher, Sender
from handlers.desk import Desk, DeskSettings
from handlers.downloads import DownloadQueue, Fetcher, TextFilter
from handlers.notify import Notifier, Target
from storage import Database, Store
from storage.files import FileStore


@dataclass
class Runtime:
    config: Config
    database: Database
    store: Store
    desk: Desk
    dispatcher: OutboxDispatcher
    clock: Clock
    downloads: DownloadQueue


def desk_settings(config: Config) -> DeskSettings:
    policy = parse_escalation(config.escalation)
    return DeskSettings(
        program=parse_program(config.program, policy, config.desk.reference_prefix),
        reference_prefix=config.desk.reference_prefix,
        members=frozenset(config.team.members),
        leads=config.team.leads,
        names=dict(config.team.names),
        max_title_length=config.desk.max_title_length,
        max_details_length=config.desk.max_details_length,
        followup_window=config.desk.followup_window,
        reopen_within=config.desk.reopen_within,
        limits=config.limits,
        default_language=config.desk.default_language,
        team_language=config.team.language,
        timezone=policy.timezone,
        attachments=config.attachments,
    )


@asynccontextmanager
async def open_runtime(
    config: Config,
    senders: Mapping[str, Sender],
    team_targets: Sequence[Target],
    clock: Clock | None = None,
    fetchers: Mapping[str, Fetcher] | None = None,
    text_filter: TextFilter | None = None,
) -> AsyncIterator[Runtime]:
    """Open the database (migrating it), and build the engine, the outbox dispatcher and the
    attachment download queue. `fetchers`: per channel, what downloads its files (a channel
    without one cannot take files); `text_filter` replaces the secret redaction that runs on
    every text attachment's content (tests only)."""
    clock = clock or SystemClock()
    knowledge = open_knowledge(kb_settings(config.kb))
    desk_config = config.desk
    database = Database(
        desk_config.database_url,
        desk_config.pool_size,
        desk_config.max_overflow,
        durable_steps=desk_config.durable_steps,
    )
    try:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        settings = desk_settings(config)
        notifier = Notifier(team_targets, settings.team_language, settings.default_language)
        dispatcher = OutboxDispatcher(
            store,
            senders,
            clock,
            notifier,
            lease=timedelta(seconds=config.desk.outbox_lease_seconds),
        )
        files = FileStore(config.attachments.path)
        for sender in senders.values():
            # Senders that post files to the team read their bytes from here.
            use_files = getattr(sender, "use_files", None)
            if use_files is not None:
                use_files(files)
        downloads = DownloadQueue(store, fetchers or {}, files, clock, notifier, config.attachments)
        if text_filter is not None:
            downloads.text_filter = text_filter
        downloads.on_outbox = dispatcher.wake
        desk = Desk(
            store,
            settings,
            team_targets=team_targets,
            clock=clock,
            on_outbox=dispatcher.wake,
            courier=dispatcher,
            knowledge=knowledge,
            files=files,
            on_files=downloads.wake,
            # What a Critical reporter is told about paging comes from this policy.
            policy=parse_escalation(config.escalation),
        )
        yield Runtime(config, database, store, desk, dispatcher, clock, downloads)
    finally:
        await database.close()
