"""What users do, as the fake Telegram turns it into updates: messages and button presses queued
for getUpdates, deliveries again after a lost confirmation, and posts to a webhook. Mixed into
FakeTelegramAPI, which owns the state."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import aiohttp

from tests.fakes.telegram_methods import keyboard_of
from tests.fakes.telegram_objects import JSON, FakeChat, FakeUser, command_entities


class UpdateMethods:
    messages: dict[tuple[int, int], JSON]
    webhook: JSON
    _now: Callable[[], float]
    _pending_updates: list[JSON]
    _update_ids: itertools.count[int]
    _callback_ids: itertools.count[int]
    _open_callbacks: set[str]
    _changed: asyncio.Condition
    # Provided by BotApiMethods (annotated only, so it does not shadow it in the MRO).
    _next_message_id: Callable[[int], int]

    def pending_update_ids(self) -> list[int]:
        """Updates Telegram still holds (not confirmed by a getUpdates offset past them)."""
        return [u["update_id"] for u in self._pending_updates]

    async def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates; gives it the next update_id unless it has one."""
        update.setdefault("update_id", next(self._update_ids))
        async with self._changed:
            self._pending_updates.append(update)
            self._changed.notify_all()
        return update

    def make_text_update(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, reply_to: int | None = None
    ) -> JSON:
        """A user's message as an update (not queued): for webhooks or duplicate deliveries."""
        chat = chat or user.private_chat
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(self._now()),
            "text": text,
        }
        if entities := command_entities(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat.id, reply_to)]
        self.messages[(chat.id, message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": message}

    async def push_text(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, reply_to: int | None = None
    ) -> JSON:
        return await self.push_update(self.make_text_update(user, text, chat, reply_to))

    def make_press_update(
        self,
        user: FakeUser,
        chat_id: int,
        message_id: int,
        label: str | None = None,
        data: str | None = None,
    ) -> JSON:
        """A tap on an inline button of one of the bot's messages, found by label or data.

        Like a real client, only a button currently on the message can be pressed; `data`
        without a matching button simulates a stale client still showing an old keyboard.
        """
        message = self.messages[(chat_id, message_id)]
        buttons = [b for row in keyboard_of(message) for b in row]
        if label is not None:
            matching = [b for b in buttons if b["text"] == label]
            assert matching, f"no button {label!r} on message {message_id}: {buttons}"
            data = matching[0]["callback_data"]
        assert data is not None, "press needs a label or data"
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": message,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    async def press(
        self,
        user: FakeUser,
        chat_id: int,
        message_id: int,
        label: str | None = None,
        data: str | None = None,
    ) -> JSON:
        return await self.push_update(
            self.make_press_update(user, chat_id, message_id, label, data)
        )

    async def redeliver(self, update: JSON) -> None:
        """Offer an update again although it was confirmed, as after a crash that lost the
        confirmation: a freshly started poller (no offset yet) receives it a second time."""
        async with self._changed:
            self._pending_updates.append(update)
            self._pending_updates.sort(key=lambda u: u["update_id"])
            self._changed.notify_all()

    async def post_to_webhook(
        self, update: JSON, secret: str | None = None, url: str | None = None
    ) -> int:
        """Deliver `update` as Telegram does to a webhook (the registered URL unless `url`, e.g.
        the local address behind the public one); returns the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url or self.webhook["url"], json=update, headers=headers) as response,
        ):
            return response.status
