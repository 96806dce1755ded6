"""The Bot API methods the fake serves, as Telegram answers them (a mixin of FakeTelegramAPI)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_html import EntityParseError, parse_html
from tests.fakes.telegram_objects import JSON

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64


@dataclass
class ApiCall:
    """One request the bot made, with its fields as sent (strings, JSON-typed ones as JSON text)."""

    method: str
    params: dict[str, str]
    status: int = 200
    response: JSON = field(default_factory=dict)
    # Uploaded files by field name (multipart requests): the bytes as received.
    files: dict[str, bytes] = field(default_factory=dict)

    def json(self, name: str) -> Any:
        return json.loads(self.params[name])

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def button_rows(self) -> list[list[JSON]]:
        if "reply_markup" not in self.params:
            return []
        return list(self.json("reply_markup").get("inline_keyboard", []))

    @property
    def button_labels(self) -> list[str]:
        return [button["text"] for row in self.button_rows for button in row]


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class BotApiMethods:
    """Telegram's state and answers: messages per chat, edits, callbacks, commands, webhook."""

    bot: JSON
    messages: dict[tuple[int, int], JSON]
    commands: dict[str, list[JSON]]
    webhook: JSON
    answered_callbacks: dict[str, ApiCall]
    _now: Callable[[], float]
    _pending_updates: list[JSON]
    _message_ids: dict[int, itertools.count[int]]
    _open_callbacks: set[str]
    _closing: bool
    long_polls: int
    _poll: int
    _changed: asyncio.Condition

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _rendered(self, call: ApiCall, edit: bool = False) -> JSON:
        """The text fields of a message as Telegram stores them after applying `parse_mode`.

        Over-long text is refused with the strings Telegram uses: sendMessage says "message is
        too long", editMessageText says MESSAGE_TOO_LONG."""
        text = call.params["text"]
        parse_mode = call.params.get("parse_mode", "")
        if parse_mode.upper() == "HTML":
            try:
                parsed = parse_html(text)
            except EntityParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
            text, entities = parsed.text, parsed.entities
        elif parse_mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        else:
            entities = []
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            too_long = "MESSAGE_TOO_LONG" if edit else "message is too long"
            raise ApiError(400, f"Bad Request: {too_long}")
        _check_keyboard(call)
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        return fields

    # methods --------------------------------------------------------------------------------
    async def _api_getme(self, call: ApiCall) -> JSON:
        return self.bot

    async def _api_getupdates(self, call: ApiCall) -> list[JSON]:
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        poll = self._poll  # this request's number; a newer getUpdates ends it
        offset = int(call.params.get("offset", 0))
        limit = int(call.params.get("limit", 100))
        timeout = float(call.params.get("timeout", 0))
        async with self._changed:
            if offset > 0:
                # Asking from `offset` confirms every earlier update: Telegram forgets them.
                self._pending_updates = [
                    u for u in self._pending_updates if u["update_id"] >= offset
                ]
            if timeout > 0 and not self._pending_updates and not self._closing:
                self.long_polls += 1
                self._changed.notify_all()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(
                            lambda: bool(
                                self._pending_updates or self._closing or self._poll != poll
                            )
                        ),
                        timeout,
                    )
            if self._poll != poll:
                raise ApiError(409, CONFLICT)
            return list(self._pending_updates[:limit])

    async def _api_sendmessage(self, call: ApiCall) -> JSON:
        chat_id = int(call.params["chat_id"])
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot,
            "chat": self._chat_of(chat_id),
            "date": int(self._now()),
            **self._rendered(call),
        }
        reply_to = call.params.get("reply_to_message_id") or _reply_parameter(call)
        if reply_to:
            replied = self.messages.get((chat_id, int(reply_to)))
            if replied is not None:
                message["reply_to_message"] = replied
            elif not _may_send_without_reply(call):
                raise ApiError(400, "Bad Request: message to be replied not found")
        if "reply_markup" in call.params and keyboard_of(
            {"reply_markup": call.json("reply_markup")}
        ):
            message["reply_markup"] = call.json("reply_markup")
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_sendphoto(self, call: ApiCall) -> JSON:
        """A photo uploaded with the request (multipart); file ids and URLs are not served."""
        chat_id = int(call.params["chat_id"])
        photo = call.files.get("photo")
        if not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = call.params.get("caption", "")
        if call.params.get("parse_mode"):
            raise ApiError(400, "Bad Request: the fake takes plain captions only")
        if len(caption.encode("utf-16-le")) // 2 > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot,
            "chat": self._chat_of(chat_id),
            "date": int(self._now()),
            "photo": [_photo_size(photo, chat_id)],
        }
        if caption:
            message["caption"] = caption
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _chat_of(self, chat_id: int) -> JSON:
        for (known_chat, _), message in self.messages.items():
            if known_chat == chat_id:
                return message["chat"]
        kind = "private" if chat_id > 0 else "supergroup"
        return {"id": chat_id, "type": kind}

    def _existing(self, call: ApiCall) -> JSON:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    async def _api_editmessagetext(self, call: ApiCall) -> JSON:
        message = self._existing(call)
        edited = {k: v for k, v in message.items() if k not in ("entities", "reply_markup")}
        edited.update(self._rendered(call, edit=True))
        if "reply_markup" in call.params and keyboard_of(
            {"reply_markup": call.json("reply_markup")}
        ):
            edited["reply_markup"] = call.json("reply_markup")
        return self._store_edit(message, edited)

    async def _api_editmessagereplymarkup(self, call: ApiCall) -> JSON:
        message = self._existing(call)
        _check_keyboard(call)
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if "reply_markup" in call.params and keyboard_of(
            {"reply_markup": call.json("reply_markup")}
        ):
            edited["reply_markup"] = call.json("reply_markup")
        return self._store_edit(message, edited)

    def _store_edit(self, old: JSON, new: JSON) -> JSON:
        same = all(old.get(k) == new.get(k) for k in ("text", "entities", "reply_markup"))
        if same:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        new["edit_date"] = int(self._now())
        self.messages[(new["chat"]["id"], new["message_id"])] = new
        return new

    async def _api_answercallbackquery(self, call: ApiCall) -> bool:
        query_id = call.params["callback_query_id"]
        if query_id not in self._open_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        self.answered_callbacks[query_id] = call
        return True

    async def _api_setmycommands(self, call: ApiCall) -> bool:
        commands = call.json("commands")
        # The Bot API's documented limits: 1-32 of a-z, 0-9 and _; descriptions of 1-256.
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        language = call.params.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(400, "Bad Request: LANG_CODE_INVALID")
        self.commands[_commands_key(call)] = commands
        return True

    async def _api_getmycommands(self, call: ApiCall) -> list[JSON]:
        return self.commands.get(_commands_key(call), [])

    async def _api_setwebhook(self, call: ApiCall) -> bool:
        self.webhook = {"url": call.params["url"], "secret_token": call.params.get("secret_token")}
        return True

    async def _api_deletewebhook(self, call: ApiCall) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        if call.params.get("drop_pending_updates") == "true":
            self._pending_updates.clear()
        return True

    async def _api_getwebhookinfo(self, call: ApiCall) -> JSON:
        return {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending_updates),
        }


def _commands_key(call: ApiCall) -> str:
    """`default`, `chat`...: the scope's type; `default:sw` for one language's commands."""
    scope = json.loads(call.params.get("scope", '{"type": "default"}'))["type"]
    language = call.params.get("language_code", "")
    return f"{scope}:{language}" if language else scope


def _photo_size(data: bytes, chat_id: int) -> JSON:
    """A PhotoSize as Telegram describes an uploaded photo (dimensions read from a PNG)."""
    width = height = 1
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
    file_id = f"photo-{chat_id}-{zlib.crc32(data):08x}"
    return {
        "file_id": file_id,
        "file_unique_id": file_id[-8:],
        "width": width,
        "height": height,
        "file_size": len(data),
    }


def keyboard_of(message: JSON) -> list[list[JSON]]:
    return list((message.get("reply_markup") or {}).get("inline_keyboard", []))


def _check_keyboard(call: ApiCall) -> None:
    """Telegram refuses a keyboard whose callback_data is empty or over 64 bytes."""
    for row in call.button_rows:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _sent_keyboard(call: ApiCall) -> JSON | None:
    """The inline keyboard a call attaches; an empty one (or none) leaves the message bare."""
    if "reply_markup" not in call.params:
        return None
    markup = call.json("reply_markup")
    return markup if keyboard_of({"reply_markup": markup}) else None


def _may_send_without_reply(call: ApiCall) -> bool:
    if call.params.get("allow_sending_without_reply") == "true":
        return True
    if "reply_parameters" in call.params:
        return bool(call.json("reply_parameters").get("allow_sending_without_reply"))
    return False


def _reply_parameter(call: ApiCall) -> str | None:
    if "reply_parameters" not in call.params:
        return None
    return str(call.json("reply_parameters")["message_id"])
