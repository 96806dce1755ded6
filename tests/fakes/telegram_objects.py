"""Bot API objects (as JSON dicts) the fake server hands out: users, chats, messages, updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    # The IETF tag of the user's Telegram app language; None when Telegram sends none.
    language_code: str | None = "en"

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def private_chat(self) -> FakeChat:
        return FakeChat(self.id, "private", first_name=self.first_name, username=self.username)


@dataclass(frozen=True)
class FakeChat:
    id: int
    type: str  # "private", "group", "supergroup"
    title: str | None = None
    first_name: str | None = None
    username: str | None = None

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


def group_chat(chat_id: int = -1001234567890, title: str = "Integration team") -> FakeChat:
    return FakeChat(chat_id, "supergroup", title=title)


def bot_user(bot_id: int) -> JSON:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Deskbot",
        "username": "clickpesa_desk_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def command_entities(text: str) -> list[JSON]:
    """A leading `/command` gets a bot_command entity, as Telegram's clients attach one."""
    if not text.startswith("/"):
        return []
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": length}]
