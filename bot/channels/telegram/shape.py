"""The fields of a webhook update the desk relies on, type-checked before python-telegram-bot
reads them. `Update.de_json` trusts its input: a chat id that is an object or an entity without
an offset would fail later, inside the Application, as an error nobody answers. Telegram itself
never sends such updates; whoever does gets 400 (see webhook.py)."""

from __future__ import annotations

from typing import Any

# What the desk subscribes to (allowed_updates); other kinds are passed on untouched.
_KINDS = ("message", "callback_query")


def _int(value: Any) -> bool:
    return type(value) is int


def _text_or_absent(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _user(user: Any) -> str | None:
    if not isinstance(user, dict) or not _int(user.get("id")):
        return "from"
    if not isinstance(user.get("first_name"), str) or type(user.get("is_bot")) is not bool:
        return "from"
    if not _text_or_absent(user.get("last_name")) or not _text_or_absent(user.get("username")):
        return "from"
    return None


def _entities(entities: Any) -> bool:
    return entities is None or (
        isinstance(entities, list)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("type"), str)
            and _int(e.get("offset"))
            and _int(e.get("length"))
            for e in entities
        )
    )


def _message(message: Any, nested: bool = False) -> str | None:
    if not isinstance(message, dict):
        return "message"
    chat = message.get("chat")
    if (
        not isinstance(chat, dict)
        or not _int(chat.get("id"))
        or not isinstance(chat.get("type"), str)
    ):
        return "message.chat"
    if not _int(message.get("message_id")) or not _int(message.get("date")):
        return "message.message_id/date"
    if "from" in message and _user(message["from"]):
        return "message.from"
    if not _text_or_absent(message.get("text")) or not _text_or_absent(message.get("caption")):
        return "message.text"
    if not _entities(message.get("entities")) or not _entities(message.get("caption_entities")):
        return "message.entities"
    markup = message.get("reply_markup")
    if markup is not None and not isinstance(markup, dict):
        return "message.reply_markup"
    reply = message.get("reply_to_message")
    if reply is not None and (nested or _message(reply, nested=True)):
        return "message.reply_to_message"
    return None


def _callback(query: Any) -> str | None:
    if not isinstance(query, dict) or not isinstance(query.get("id"), str):
        return "callback_query"
    if _user(query.get("from")):
        return "callback_query.from"
    if not _text_or_absent(query.get("data")) or not isinstance(query.get("chat_instance"), str):
        return "callback_query.data"
    if "message" in query and _message(query["message"]):
        return "callback_query.message"
    return None


def problem(update: dict[str, Any]) -> str | None:
    """Which field of `update` is not what Telegram sends, or None."""
    if "message" in update and (wrong := _message(update["message"])):
        return wrong
    if "callback_query" in update:
        return _callback(update["callback_query"])
    return None
