"""Files on Telegram: what a message carries, fetching it (getFile, then the file path under
`/file/bot<token>/`), and posting a ticket's attachment into the team group as a reply to its
alert (by file_id when it came from Telegram, uploaded otherwise; text files are always
uploaded from the stored copy, whose secrets were hidden)."""

from __future__ import annotations

from typing import Any

from telegram import Bot, InputFile, ReplyParameters
from telegram import Message as TgMessage
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.channels.telegram.render import utf16_len
from bot.channels.telegram.sender import TelegramSender, retry_after_seconds
from handlers.downloads import TOO_BIG, UNAVAILABLE, FetchError, FileRef
from handlers.events import IncomingFile
from handlers.filetypes import is_text
from storage.files import FileStore
from storage.outbox import Delivery

# Message contents the desk cannot put on a ticket; each gets a short answer saying what it takes.
UNSUPPORTED = (
    "sticker",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "invoice",
    "paid_media",
    "checklist",
)
MAX_CAPTION = 1024
# Telegram takes uploaded photos up to 10 MB; larger pictures go as documents.
MAX_UPLOAD_PHOTO = 10 * 1024 * 1024
PHOTO_TYPES = ("image/png", "image/jpeg")


def files_of(message: TgMessage) -> tuple[IncomingFile, ...]:
    files = []
    if message.photo:
        largest = message.photo[-1]  # Telegram lists a photo's sizes smallest first
        files.append(IncomingFile("photo", largest.file_id, "", largest.file_size, "image/jpeg"))
    for kind in ("document", "video", "audio", "animation"):
        media = getattr(message, kind, None)
        if media is not None:
            files.append(
                IncomingFile(
                    "document" if kind == "animation" else kind,
                    media.file_id,
                    getattr(media, "file_name", None) or "",
                    media.file_size,
                    getattr(media, "mime_type", None) or "",
                )
            )
    for kind in ("voice", "video_note"):
        media = getattr(message, kind, None)
        if media is not None:
            files.append(
                IncomingFile(
                    "voice" if kind == "voice" else "video",
                    media.file_id,
                    "",
                    media.file_size,
                    getattr(media, "mime_type", None) or "",
                )
            )
    return tuple(files)


def unsupported_of(message: TgMessage) -> str | None:
    return next((kind for kind in UNSUPPORTED if getattr(message, kind, None)), None)


class TelegramFetcher:
    """The download queue's fetcher for channel "telegram"."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, ref: FileRef, max_bytes: int) -> bytes:
        if ref.declared_size is not None and ref.declared_size > max_bytes:
            raise FetchError(f"{ref.declared_size} bytes", TOO_BIG)
        try:
            found = await self.bot.get_file(ref.platform_file_id)
            if found.file_size is not None and found.file_size > max_bytes:
                raise FetchError(f"{found.file_size} bytes", TOO_BIG)
            return bytes(await found.download_as_bytearray())
        except RetryAfter as error:
            raise FetchError("telegram flood control", None, retry_after_seconds(error)) from None
        except BadRequest as error:
            # "file is too big" (over the Bot API's 20 MB), "wrong file_id": no retry helps.
            reason = TOO_BIG if "too big" in error.message.lower() else UNAVAILABLE
            raise FetchError(f"telegram: {error.message}", reason) from None
        except Forbidden as error:
            raise FetchError(f"telegram: {error.message}", UNAVAILABLE) from None
        except TelegramError as error:
            raise FetchError(f"telegram: {error.message}") from None


def caption_of(text: str) -> str:
    if utf16_len(text) <= MAX_CAPTION:
        return text
    while utf16_len(text) > MAX_CAPTION - 1:
        text = text[: len(text) - max(1, (utf16_len(text) - MAX_CAPTION) // 2 + 1)]
    return text.rstrip() + "…"


async def post_file(
    sender: TelegramSender,
    files: FileStore | None,
    item: Delivery,
    alert_message_id: str | None,
) -> str:
    """One attachment into the team group, replying to the ticket's alert."""
    facts: dict[str, Any] = item.payload["file"]
    caption = caption_of(str(item.payload.get("text", "")))
    reply = (
        ReplyParameters(int(alert_message_id), allow_sending_without_reply=True)
        if alert_message_id
        else None
    )
    bot = sender.bot
    common: dict[str, Any] = {"caption": caption, "reply_parameters": reply}
    chat = item.chat_id
    # Text is re-sent from the stored copy: that is the one with its secrets hidden.
    by_id = not is_text(str(facts.get("mime_type") or ""))
    if by_id and facts.get("channel") == "telegram" and facts.get("platform_file_id"):
        file_id = str(facts["platform_file_id"])
        kind = facts.get("kind")
        if kind == "photo":
            call = lambda: bot.send_photo(chat, file_id, **common)  # noqa: E731
        elif kind == "video":
            call = lambda: bot.send_video(chat, file_id, **common)  # noqa: E731
        elif kind == "audio":
            call = lambda: bot.send_audio(chat, file_id, **common)  # noqa: E731
        elif kind == "voice":
            call = lambda: bot.send_voice(chat, file_id, **common)  # noqa: E731
        else:
            call = lambda: bot.send_document(chat, file_id, **common)  # noqa: E731
    else:
        if files is None:
            raise TelegramError("no attachment folder to read the file from")
        data = await files.read(str(facts["storage_name"]))
        upload = InputFile(data, filename=str(facts.get("name") or "file"))
        if facts.get("mime_type") in PHOTO_TYPES and len(data) <= MAX_UPLOAD_PHOTO:
            call = lambda: bot.send_photo(chat, upload, **common)  # noqa: E731
        else:
            call = lambda: bot.send_document(chat, upload, **common)  # noqa: E731
    posted = await sender.retrying(call)
    return str(posted.message_id)
