"""Updates of one chat in order, different chats at the same time.

PTB processes updates one after another by default, so one merchant's reply waiting out a flood
control pause (or a slow database moment) holds up everybody. Its concurrent mode has no order
at all, and a conversation must see "Production" before "Critical". This processor gives each
chat a lock: the desk's poller and webhook start update tasks in arrival order and asyncio locks
queue their waiters first come first served, so a chat's updates run one at a time, in arrival
order, while chats overlap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """The chat's lock is taken before a processing slot, never after: a chat sending a burst
    then holds one slot at a time while its other updates wait on its own lock, so however
    many updates it sends, the other chats find the slots free (issue 13: a 100-message burst
    from one merchant made everyone else wait 35 s when the slot came first)."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}

    # PTB marks process_update final, but its version takes a slot before anything else, and
    # taking the chat's lock first is the whole point of this class.
    async def process_update(  # type: ignore[misc]
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        key = chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await self.do_process_update(update, coroutine)
        finally:
            # Forget idle chats so the lock table does not grow with every chat ever seen.
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
