"""Long polling that confirms an update only once it is handled.

Telegram forgets every update below the offset of the next getUpdates. PTB's updater asks from
past the last update it fetched while that update may still be in progress, so a crash then lost
updates Telegram had already forgotten. Here the offset never passes an update still being
handled: each call asks from the oldest unfinished update, so only the finished prefix is
confirmed (its work and its answers committed; answers wait in the outbox). Updates already in
progress that come back in the answer are skipped; new ones start at once, so fetching and
handling overlap as with PTB. After a crash Telegram offers the unconfirmed updates again and the
desk, which records each update id in the work's own transaction, does only what was not done.

Each update starts as soon as it is fetched; the handler keeps one chat's updates in order
(one at a time per chat, see ordering.py).

A second process polling with the same token gets 409 Conflict; before its first successful poll
that means another desk is already running, and this one stops with one clear message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update
from telegram.error import Conflict, RetryAfter, TelegramError

from bot.channels.telegram.sender import retry_after_seconds
from bot.config_error import ConfigError
from handlers import faults

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates open when nothing is new
MAX_PAUSE = 10.0  # between failed getUpdates: polling resumes within 10 s of an outage ending

Handle = Callable[[Update], Awaitable[None]]
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
        running: dict[int, asyncio.Task[None]] = {}
        finished: set[int] = set()  # done, but not confirmed yet (an older one is still running)
        next_new: int | None = None  # the first update id not seen yet
        failures = 0
        try:
            while True:
                offset = min(running) if running else next_new
                if offset is not None:
                    finished = {i for i in finished if i >= offset}
                try:
                    updates = await self.bot.get_updates(
                        offset=offset,
                        # With updates in progress the answer comes at once (they are in it).
                        timeout=0 if running else self.timeout,
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
                if updates:
                    next_new = max(next_new or 0, updates[-1].update_id + 1)
                fresh = [
                    u for u in updates if u.update_id not in running and u.update_id not in finished
                ]
                for _ in fresh:
                    # Once per update, as for a webhook's: the n-th update fetched, however
                    # many came in one answer (a busy desk gets them in bigger batches).
                    faults.reach("telegram.fetched")
                for update in fresh:
                    running[update.update_id] = asyncio.create_task(self._one(update))
                if running and not fresh:
                    # Nothing new: wait for an update to finish before asking again.
                    await asyncio.wait(running.values(), return_when=asyncio.FIRST_COMPLETED)
                for update_id, task in list(running.items()):
                    if task.done():
                        del running[update_id]
                        finished.add(update_id)
        finally:
            for task in running.values():
                task.cancel()

    async def _one(self, update: Update) -> None:
        """Handle one update. The handler tries a failing update a bounded number of times
        itself; anything escaping it is logged and the update counts as done, since retrying
        it here for ever would stall every update behind it."""
        try:
            await self.handle(update)
        except Exception:
            log.exception("telegram: update %d could not be handled", update.update_id)
