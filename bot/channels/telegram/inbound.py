"""Inbound translation: Telegram updates become the engine's `Incoming` events."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import CallbackQuery, User
from telegram import Message as TgMessage

from bot.channels.telegram.files import files_of, unsupported_of
from bot.channels.telegram.render import INDEX_PREFIX
from handlers.events import Incoming

CHANNEL = "telegram"
# `/command` and, when a group client addressed it to one bot, `@that_bot`.
_COMMAND = re.compile(r"(/[^\s@]*)(?:@(\S*))?")


def display_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name.strip() or (f"@{user.username}" if user.username else str(user.id))


def command_text(text: str, bot_username: str | None) -> str | None:
    """`/ack@desk_bot INT-4` -> `/ack INT-4`: group clients address commands to one bot.

    A command addressed to another bot (`/reply@helpdesk_bot ...`) is None: it is not for the
    desk, and run as ours it could send a note meant for another bot to a merchant.
    """
    match = _COMMAND.match(text)
    if match is None:
        return text
    target = match.group(2)
    if target is None:
        return text
    if not bot_username or target.lower() != bot_username.lower():
        return None
    return match.group(1) + text[match.end() :]


def from_message(message: TgMessage, bot_username: str | None) -> Incoming | None:
    """A typed message, files with or without a caption, something the desk cannot take (a
    sticker, a location...: `unsupported`), or None for service messages and other bots."""
    text = message.text or message.caption or ""
    user = message.from_user
    if user is None or user.is_bot:
        return None
    files = files_of(message)
    unsupported = None if files else unsupported_of(message)
    if not text and not files and unsupported is None:
        return None
    typed = command_text(text, bot_username) if text else ""
    if typed is None:
        return None
    return Incoming(
        files=files,
        unsupported=unsupported,
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        user_id=str(user.id),
        display_name=display_name(user),
        text=typed,
        language_hint=user.language_code,
    )


def pressed_label(query: CallbackQuery) -> str:
    """The label of the pressed button, read from the keyboard Telegram echoes back."""
    message = query.message
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return ""
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return str(button.text)
    return ""


def from_callback(query: CallbackQuery) -> Incoming | None:
    """A button press. Oversized choice values travel as an index; those come back as the
    button's label typed as text, which the engine accepts wherever it offers choices."""
    message = query.message
    if message is None or query.data is None:
        return None
    chat_id = str(message.chat.id)
    base = Incoming(
        channel=CHANNEL,
        chat_id=chat_id,
        user_id=str(query.from_user.id),
        display_name=display_name(query.from_user),
        language_hint=query.from_user.language_code,
    )
    if query.data.startswith(INDEX_PREFIX):
        label = pressed_label(query)
        if not label:
            return None
        return replace(base, text=label)
    return replace(base, choice=query.data)
