"""Files on the fake Bot API (a mixin of FakeTelegramAPI): what users send (photos, documents,
video, audio, voice), getFile and the download path `/file/bot<token>/<file_path>`, and the bot
sending files (sendPhoto, sendDocument, sendVideo, sendAudio, sendVoice) by file_id or uploaded.

Telegram's limits are enforced: getFile refuses files over 20 MB ("file is too big"), an
uploaded photo may be 10 MB and any other upload 50 MB, a caption 1024 characters.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.telegram_methods import MAX_CAPTION, ApiCall, ApiError
from tests.fakes.telegram_objects import JSON, FakeChat, FakeUser

MB = 1024 * 1024
MAX_DOWNLOAD = 20 * MB
MAX_PHOTO_UPLOAD = 10 * MB
MAX_UPLOAD = 50 * MB
# sendX method -> the field holding the file, and the message field Telegram answers with.
_SEND = {
    "sendphoto": ("photo", "photo"),
    "senddocument": ("document", "document"),
    "sendvideo": ("video", "video"),
    "sendaudio": ("audio", "audio"),
    "sendvoice": ("voice", "voice"),
}


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    data: bytes
    kind: str
    path: str


class BotFileMethods:
    """Needs `token`, `messages`, `_now`, `_next_message_id` and `_chat_of` from its host."""

    token: str
    bot: JSON
    messages: dict[tuple[int, int], JSON]
    _now: Callable[[], float]
    _update_ids: itertools.count[int]

    def _files_init(self) -> None:
        self.files: dict[str, StoredFile] = {}
        self.downloads: list[str] = []  # file paths fetched, in order
        self._file_numbers = itertools.count(1)

    # What users send ---------------------------------------------------------------------

    def store_file(self, data: bytes, kind: str = "document") -> StoredFile:
        number = next(self._file_numbers)
        unique = f"{zlib.crc32(data):08x}{number}"
        file_id = f"AgAC{kind[:3]}{number:04d}{unique}"
        folder = {"photo": "photos", "voice": "voice", "video": "videos"}.get(kind, "documents")
        stored = StoredFile(file_id, unique, data, kind, f"{folder}/file_{number}")
        self.files[file_id] = stored
        return stored

    def make_file_update(
        self,
        user: FakeUser,
        kind: str,
        data: bytes,
        *,
        caption: str | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
        declared_size: int | None = None,
    ) -> JSON:
        """A message carrying one file, as Telegram delivers it (photo: several sizes)."""
        stored = self.store_file(data, kind)
        size = len(data) if declared_size is None else declared_size
        media: Any
        if kind == "photo":
            thumb = self.store_file(data[:100], "photo")
            media = [
                {"file_id": thumb.file_id, "file_unique_id": thumb.unique_id, "width": 90,
                 "height": 90, "file_size": len(thumb.data)},
                {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "width": 1280,
                 "height": 720, "file_size": size},
            ]  # fmt: skip
        else:
            media = {"file_id": stored.file_id, "file_unique_id": stored.unique_id}
            media["file_size"] = size
            if file_name is not None and kind in ("document", "video", "audio"):
                media["file_name"] = file_name
            if mime_type is not None:
                media["mime_type"] = mime_type
            if kind == "voice":
                media["duration"] = 3
            if kind == "video":
                media |= {"width": 640, "height": 360, "duration": 5}
            if kind == "audio":
                media["duration"] = 30
        extra: JSON = {kind: media}
        if caption is not None:
            extra["caption"] = caption
        return self.make_message_update(user, extra, chat=chat, reply_to=reply_to)

    def make_message_update(
        self,
        user: FakeUser,
        fields: JSON,
        *,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
    ) -> JSON:
        """A message with any content (`{"sticker": {...}}`, `{"location": {...}}`...)."""
        chat = chat or user.private_chat
        message: JSON = {
            "message_id": self._next_message_id(chat.id),  # type: ignore[attr-defined]
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(self._now()),
            **fields,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat.id, reply_to)]
        self.messages[(chat.id, message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": message}

    # getFile and the download path --------------------------------------------------------

    async def _api_getfile(self, call: ApiCall) -> JSON:
        stored = self.files.get(call.params.get("file_id", ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.data),
            "file_path": stored.path,
        }

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.path == path and len(stored.data) <= MAX_DOWNLOAD:
                self.downloads.append(path)
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # The bot sending files ----------------------------------------------------------------

    async def _send_file(self, call: ApiCall) -> JSON:
        field, answer_field = _SEND[call.method.lower()]
        chat_id = int(call.params["chat_id"])
        caption = call.params.get("caption", "")
        if call.params.get("parse_mode"):
            raise ApiError(400, "Bad Request: the fake takes plain captions only")
        if len(caption.encode("utf-16-le")) // 2 > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        uploaded = call.files.get(field)
        if uploaded is not None:
            limit = MAX_PHOTO_UPLOAD if field == "photo" else MAX_UPLOAD
            if not uploaded:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(uploaded) > limit:
                raise ApiError(413, "Request Entity Too Large")
            stored = self.store_file(uploaded, field)
        else:
            reference = call.params.get(field, "")
            found = self.files.get(reference)
            if found is None:
                raise ApiError(400, f"Bad Request: there is no {field} in the request")
            if (found.kind == "photo" and field != "photo") or (
                field == "photo" and found.kind != "photo"
            ):
                raise ApiError(400, f"Bad Request: wrong file type for {field}")
            stored = found
        body: JSON = {"file_id": stored.file_id, "file_unique_id": stored.unique_id,
                      "file_size": len(stored.data)}  # fmt: skip
        # The fields PTB (and Telegram) require of each kind.
        if field in ("photo", "video"):
            width, height = _dimensions(stored.data)
            body |= {"width": width, "height": height}
        if field in ("video", "audio", "voice"):
            body["duration"] = 1
        if uploaded is not None and field != "photo":
            body["file_name"] = call.params.get(field, "").removeprefix("<file ").rstrip(">")
        message: JSON = {
            "message_id": self._next_message_id(chat_id),  # type: ignore[attr-defined]
            "from": self.bot,
            "chat": self._chat_of(chat_id),  # type: ignore[attr-defined]
            "date": int(self._now()),
            answer_field: [body] if field == "photo" else body,
        }
        if caption:
            message["caption"] = caption
        reply = _reply_to(call)
        if reply is not None and (chat_id, reply) in self.messages:
            message["reply_to_message"] = self.messages[(chat_id, reply)]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_sendphoto(self, call: ApiCall) -> JSON:
        return await self._send_file(call)

    async def _api_senddocument(self, call: ApiCall) -> JSON:
        return await self._send_file(call)

    async def _api_sendvideo(self, call: ApiCall) -> JSON:
        return await self._send_file(call)

    async def _api_sendaudio(self, call: ApiCall) -> JSON:
        return await self._send_file(call)

    async def _api_sendvoice(self, call: ApiCall) -> JSON:
        return await self._send_file(call)


def _dimensions(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 1, 1


def _reply_to(call: ApiCall) -> int | None:
    if "reply_parameters" in call.params:
        return int(call.json("reply_parameters")["message_id"])
    value = call.params.get("reply_to_message_id")
    return int(value) if value else None
