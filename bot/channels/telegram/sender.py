"""Outbound calls to Telegram with the two recoveries the desk needs so nothing is dropped:

- flood control (HTTP 429 `retry_after`): wait as told, then retry the same call;
- rejected formatting ("can't parse entities"): send the same text again as plain text.

`sleep` is injected so tests can check the wait without spending it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, ReplyParameters
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.render import Chunk, render
from handlers.events import Message
from handlers.ops import metrics

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[object]]
T = TypeVar("T")

# A persistent flood beyond this many waits is left to the caller (the outbox retries later).
MAX_FLOOD_WAITS = 8


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that the int form will become a timedelta; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_entity_error(error: BadRequest) -> bool:
    return "can't parse entities" in error.message.lower()


def is_not_modified(error: BadRequest) -> bool:
    return "message is not modified" in error.message.lower()


class TelegramSender:
    def __init__(self, bot: Bot, *, sleep: Sleep = asyncio.sleep) -> None:
        self.bot = bot
        self._sleep = sleep

    async def retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, repeated after each 429 once its `retry_after` has passed."""
        for _ in range(MAX_FLOOD_WAITS):
            try:
                return await call()
            except RetryAfter as error:
                metrics.rate_limited("telegram")
                seconds = retry_after_seconds(error)
                log.warning("telegram flood control: retrying in %.0f s", seconds)
                await self._sleep(seconds)
        try:
            return await call()
        except RetryAfter:
            metrics.rate_limited("telegram")
            raise

    async def send(
        self, chat_id: int | str, message: Message, *, reply_to: int | None = None
    ) -> list[int]:
        """Send `message` (split if long); returns the Telegram message ids, in order."""
        ids: list[int] = []
        for number, chunk in enumerate(render(message)):
            sent = await self.send_chunk(chat_id, chunk, reply_to if number == 0 else None)
            ids.append(sent.message_id)
        return ids

    async def send_chunk(
        self, chat_id: int | str, chunk: Chunk, reply_to: int | None = None
    ) -> TgMessage:
        # Replying to a message that was deleted must not lose the text.
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            return await self.retrying(
                lambda: self.bot.send_message(
                    chat_id,
                    chunk.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=chunk.markup,
                    reply_parameters=reply,
                )
            )
        except BadRequest as error:
            if not is_entity_error(error):
                raise
            log.warning("telegram rejected formatting (%s); sending plain text", error.message)
        return await self.retrying(
            lambda: self.bot.send_message(
                chat_id, chunk.plain, reply_markup=chunk.markup, reply_parameters=reply
            )
        )

    async def edit(
        self,
        chat_id: int | str,
        message_id: int,
        html_text: str,
        plain_text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Replace a message's text and keyboard (None removes it); unchanged edits are fine."""
        try:
            await self._edit(chat_id, message_id, html_text, ParseMode.HTML, markup)
        except BadRequest as error:
            if is_not_modified(error):
                return
            if not is_entity_error(error):
                raise
            log.warning("telegram rejected formatting (%s); editing as plain text", error.message)
            await self._edit(chat_id, message_id, plain_text, None, markup)

    async def _edit(
        self,
        chat_id: int | str,
        message_id: int,
        text: str,
        parse_mode: str | None,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        try:
            await self.retrying(
                lambda: self.bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=parse_mode,
                    reply_markup=markup,
                )
            )
        except BadRequest as error:
            if not is_not_modified(error):
                raise

    async def edit_keyboard(
        self, chat_id: int | str, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Replace only a message's keyboard (None removes it)."""
        try:
            await self.retrying(
                lambda: self.bot.edit_message_reply_markup(
                    chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
            )
        except BadRequest as error:
            if not is_not_modified(error):
                raise

    async def answer(self, query_id: str, text: str = "", *, alert: bool = False) -> None:
        """Answer a button press; a query too old to answer is not worth failing over."""
        try:
            await self.retrying(
                lambda: self.bot.answer_callback_query(query_id, text or None, show_alert=alert)
            )
        except BadRequest as error:
            log.info("callback query not answered: %s", error.message)
