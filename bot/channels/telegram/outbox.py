"""Delivering the desk's outbox to Telegram: alerts with buttons, alerts edited in place, the
ticket timeline as replies to the alert, notices to merchants.

Errors become the dispatcher's SendError: flood control that outlasts the sender's own waits is
rescheduled with Telegram's `retry_after`; a blocked bot or a vanished chat is permanent.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from telegram import InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram.files import post_file
from bot.channels.telegram.render import (
    MAX_TEXT,
    Chunk,
    escape,
    keyboard,
    mentions,
    render,
    split_text,
    unlinked,
)
from bot.channels.telegram.sender import TelegramSender, retry_after_seconds
from handlers.delivery import SendError
from handlers.events import Choice, Message
from handlers.hidden import DELETE_HINT
from handlers.notify import ALERT, ALERT_UPDATE, ATTACHMENT, PAGE, TIMELINE
from handlers.ops.weekly import REPORT
from storage.files import FileStore
from storage.outbox import Delivery

log = logging.getLogger(__name__)

# Telegram's limit for a photo's caption, after entity parsing.
MAX_CAPTION = 1024


def payload_message(payload: dict[str, Any]) -> Message:
    choices = tuple(
        Choice(c["label"], c["value"], c.get("description", "")) for c in payload.get("choices", [])
    )
    return Message(payload["text"], choices)


class TelegramOutboxSender:
    """The `Sender` the outbox dispatcher calls for channel "telegram"."""

    def __init__(self, sender: TelegramSender) -> None:
        self.sender = sender
        # Where attachments' bytes are read from when they are uploaded (set by the wiring).
        self.files: FileStore | None = None

    def use_files(self, files: FileStore) -> None:
        self.files = files

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        message = payload_message(item.payload)
        try:
            if item.payload.get(DELETE_HINT):
                await self._delete(item.chat_id, int(item.payload[DELETE_HINT]))
            if item.kind == ATTACHMENT:
                return await post_file(self.sender, self.files, item, alert_message_id)
            if item.kind == REPORT and item.payload.get("image_png"):
                return await self._send_report(item, message)
            if item.kind == ALERT_UPDATE and alert_message_id:
                await self._edit_alert(item.chat_id, int(alert_message_id), message)
                return alert_message_id
            threaded = item.kind in (TIMELINE, PAGE) and alert_message_id
            # An answer in the team group replies to the command it answers.
            asked = item.payload.get("reply_to")
            if threaded and alert_message_id:
                reply_to: int | None = int(alert_message_id)
            else:
                reply_to = int(asked) if asked else None
            if item.kind == PAGE and item.payload.get("mention") == "everyone":
                ids = await self._send_with_mentions(item, message, reply_to)
            else:
                ids = await self.sender.send(item.chat_id, message, reply_to=reply_to)
        except RetryAfter as error:
            raise SendError("telegram flood control", retry_after_seconds(error)) from error
        except Forbidden as error:
            raise SendError(f"telegram refused: {error.message}", permanent=True) from error
        except BadRequest as error:
            # Retrying the same request cannot fix a bad request (chat not found, ...).
            raise SendError(f"telegram bad request: {error.message}", permanent=True) from error
        except InvalidToken as error:
            raise SendError("telegram rejected the bot token") from error
        except TelegramError as error:
            raise SendError(f"telegram: {error.message}") from error
        # The alert's buttons ride on its last piece, and that is the message later edited.
        return str(ids[-1]) if item.kind == ALERT else str(ids[0])

    async def _delete(self, chat_id: str, message_id: int) -> None:
        """Delete the person's own message a secret was hidden from. Already gone (a retry of
        this delivery, or they deleted it first) or too old to delete: nothing more to do here,
        and the answer it rides on still goes out."""
        bot = self.sender.bot
        try:
            await self.sender.retrying(lambda: bot.delete_message(chat_id, message_id))
        except BadRequest as error:
            log.info("telegram: message %s not deleted: %s", message_id, error.message)

    async def _send_report(self, item: Delivery, message: Message) -> str:
        """The chart as a photo; the text as its caption when it fits, else after it."""
        png = base64.b64decode(item.payload["image_png"])
        fits = len(message.text) <= MAX_CAPTION
        caption = message.text if fits else str(item.payload.get("title", ""))[:MAX_CAPTION]
        bot = self.sender.bot
        photo = await self.sender.retrying(
            lambda: bot.send_photo(
                item.chat_id,
                InputFile(png, filename=str(item.payload.get("filename", "report.png"))),
                caption=caption,
            )
        )
        if not fits:
            await self.sender.send(item.chat_id, message)
        return str(photo.message_id)

    async def _send_with_mentions(
        self, item: Delivery, message: Message, reply_to: int | None
    ) -> list[int]:
        tags = mentions([str(i) for i in item.payload.get("mention_user_ids") or []])
        chunks = render(message)
        if tags:
            first = chunks[0]
            chunks[0] = Chunk(f"{tags}\n{first.html}", first.plain, first.markup)
        ids = []
        for number, chunk in enumerate(chunks):
            sent = await self.sender.send_chunk(
                item.chat_id, chunk, reply_to if number == 0 else None
            )
            ids.append(sent.message_id)
        return ids

    async def _edit_alert(self, chat_id: str, message_id: int, message: Message) -> None:
        # An alert is a few lines; should it ever outgrow one message, its head stays editable.
        text = split_text(message.text, MAX_TEXT)[0]
        text = unlinked(text)
        await self.sender.edit(chat_id, message_id, escape(text), text, keyboard(message.choices))
