"""Long polling that confirms an update only once it is handled.

Telegram forgets an update when getUpdates is next called with a higher offset. PTB's updater
asks for the next batch while the last one is still being processed, so a crash in between lost
updates Telegram had already forgotten. Here the offset moves past a batch only after every
update in it was handled: its work and its answers are committed (answers wait in the outbox), so
a crash at any moment means Telegram offers the batch again and the desk, which records each
update id in the work's own transaction, does only what it had not done yet.

A second process polling with the same token gets 409 Conflict; before its first successful poll
that means another desk is already running, and this one stops with one clear message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import Conflict, RetryAfter, TelegramError

from bot.channels.telegram.sender import retry_after_seconds
from bot.config_error import ConfigError
from handlers import faults

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates open when nothing is new
MAX_PAUSE = 30.0

Handle = Callable[[Sequence[Update]], Awaitable[None]]
Sleep = Callable[[float], Awaitable[object]]


class AlreadyPolling(ConfigError):
    def __init__(self) -> None:
        super().__init__(
            "telegram.mode",
            "another process is already polling Telegram with this bot token (409 Conflict); "
            'run one polling process per bot, or mode = "webhook" to run several',
        )


class Poller:
    def __init__(
        self,
        bot: Bot,
        handle: Handle,
        allowed_updates: list[str],
        *,
        sleep: Sleep = asyncio.sleep,
        timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.bot = bot
        self.handle = handle
        self.allowed_updates = allowed_updates
        self.timeout = timeout
        self._sleep = sleep
        self.offset: int | None = None
        self.polled = False  # a getUpdates has succeeded: this process is the poller

    async def run(self) -> None:
        # Telegram refuses getUpdates while a webhook is set.
        await self.bot.delete_webhook()
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self.offset,
                    timeout=self.timeout,
                    allowed_updates=self.allowed_updates,
                    read_timeout=self.timeout + 10,
                )
            except Conflict:
                if not self.polled:
                    raise AlreadyPolling() from None
                # A newcomer's request displaced ours; it is refused on its side, we go on.
                log.warning("telegram: another getUpdates interrupted ours; polling again")
                await self._sleep(1.0)
                continue
            except RetryAfter as error:
                await self._sleep(retry_after_seconds(error))
                continue
            except TelegramError as error:
                failures += 1
                pause = min(2.0**failures, MAX_PAUSE)
                log.warning("telegram: getUpdates failed (%s); again in %.0f s", error, pause)
                await self._sleep(pause)
                continue
            failures = 0
            self.polled = True
            if not updates:
                continue
            faults.reach("telegram.fetched")
            try:
                await self.handle(updates)
            except Exception:
                # Not confirmed: the same batch comes again, and what was done is not redone.
                failures += 1
                log.exception("telegram: updates could not be handled; trying them again")
                await self._sleep(min(2.0**failures, MAX_PAUSE))
                continue
            # Only now is the batch confirmed: the next call asks from past its last update.
            self.offset = updates[-1].update_id + 1
