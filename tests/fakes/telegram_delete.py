"""deleteMessage as the Bot API answers it (a mixin of FakeTelegramAPI).

A bot may delete any message in a private chat and its own messages anywhere; another user's
message in a group only where it is an administrator allowed to delete messages. Nothing older
than 48 hours can be deleted. Deleted messages leave `messages` and are listed in `deleted`.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.telegram_methods import ApiCall, ApiError
from tests.fakes.telegram_objects import JSON

MAX_AGE = 48 * 3600


class DeleteMethods:
    bot: JSON
    messages: dict[tuple[int, int], JSON]
    _now: Callable[[], float]

    def __init__(self) -> None:
        self.deleted: list[JSON] = []
        # Groups where the bot is an administrator with can_delete_messages.
        self.admin_in: set[int] = set()

    async def _api_deletemessage(self, call: ApiCall) -> bool:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        private = message["chat"].get("type") == "private"
        own = message.get("from", {}).get("id") == self.bot["id"]
        too_old = self._now() - float(message.get("date", 0)) > MAX_AGE
        if too_old or not (private or own or key[0] in self.admin_in):
            raise ApiError(400, "Bad Request: message can't be deleted")
        self.deleted.append(self.messages.pop(key))
        return True

    def was_deleted(self, chat_id: int, message_id: int) -> bool:
        return any(
            m["chat"]["id"] == chat_id and m["message_id"] == message_id for m in self.deleted
        )
