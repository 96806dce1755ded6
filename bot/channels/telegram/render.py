"""Outbound rendering: a platform-neutral `Message` becomes Telegram chunks (HTML + keyboard).

The engine's text is plain text with user content verbatim, so every character is escaped here;
HTML mode is used for the little formatting the adapter adds itself (the chosen option, alert
headers). Telegram counts its 4,096-character limit on the text after entity parsing, in UTF-16
code units, so splitting happens on the plain text before escaping.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.events import Choice, Message

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
# Choice values that do not fit in callback_data travel as the button's index instead; the
# press is then resolved through the label on the pressed message (see inbound.py).
INDEX_PREFIX = "#"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One Telegram message to send: `html` first, `plain` if Telegram rejects the markup."""

    html: str
    plain: str
    markup: InlineKeyboardMarkup | None = None


# `@username` at the start of a word: Telegram would make it a mention and notify that user (a
# merchant's text quoted in the team group could ping any member). A word joiner after the `@`
# keeps it readable and unlinked. E-mail addresses (a word character before the @) are left, and
# so are bot usernames (only bots' end in "bot"; naming one notifies nobody), like our own.
_MENTION = re.compile(r"(?<![\w.@])@(?=\w)(?!\w*bot\b)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def unlinked(text: str) -> str:
    return _MENTION.sub("@" + WORD_JOINER, text)


def escape(text: str) -> str:
    """Telegram's HTML mode needs only &, < and > escaped; quotes are left readable."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at a paragraph, line or word break if any."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _fit(rest, limit)
        window = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > cut // 2:
                cut = at + len(separator)
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest.strip() or not pieces:
        pieces.append(rest)
    return [piece for piece in pieces if piece.strip()] or [text]


def _fit(text: str, limit: int) -> int:
    """The largest prefix length (in code points) whose UTF-16 length is within `limit`."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def callback_data(choice: Choice, index: int) -> str:
    if len(choice.value.encode()) <= MAX_CALLBACK_DATA and not choice.value.startswith(
        INDEX_PREFIX
    ):
        return choice.value
    return f"{INDEX_PREFIX}{index}"


def keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """Short option sets fit on one row (like Acknowledge/Take/Resolve); longer ones stack."""
    if not choices:
        return None
    buttons = [
        InlineKeyboardButton(choice.label, callback_data=callback_data(choice, index))
        for index, choice in enumerate(choices)
    ]
    one_row = len(buttons) <= 3 and all(len(choice.label) <= 14 for choice in choices)
    rows = [buttons] if one_row else [[button] for button in buttons]
    return InlineKeyboardMarkup(rows)


def render(message: Message) -> list[Chunk]:
    """The chunks for `message`; the keyboard rides on the last one so it stays under the text."""
    pieces = split_text(unlinked(message.text))
    last = len(pieces) - 1
    return [
        Chunk(escape(piece), piece, keyboard(message.choices) if number == last else None)
        for number, piece in enumerate(pieces)
    ]


def mentions(user_ids: list[str]) -> str:
    """HTML that notifies each team member by id (the policy's `mention = "everyone"`: a group
    has no @everyone, so each member is mentioned). Only numeric ids are used."""
    ids = [i for i in user_ids if i.isdigit()]
    return " ".join(f'<a href="tg://user?id={i}">@{i}</a>' for i in ids)


def chosen_suffix(label: str) -> str:
    """What a pressed keyboard message gets appended so the choice stays visible."""
    return f"\n\n<b>› {escape(label)}</b>"
