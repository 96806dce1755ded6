"""Files on the fake Slack (installed on a FakeSlackApi before it starts): files people share
(the `files` of a `file_share` message event or of an `app_mention`), their
`url_private_download` (served only with the bot token as Bearer; without it Slack answers its
sign-in page, HTML with status 200), files.info (the whole file object; what an app must call
for a file an event announces as `"file_access": "check_file_info"`, such as one shared from
another organisation over Slack Connect), and files.completeUploadExternal recording the thread
a file was shared into.

The upload itself (files.getUploadURLExternal and the upload URL) is the fake's own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.slack_api import HOST, ApiCall, FakeSlackApi

SIGN_IN_PAGE = "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"
# Slack's own limit for one file.
MAX_FILE = 1024 * 1024 * 1024


@dataclass
class SharedFile:
    id: str
    name: str
    data: bytes
    mimetype: str


class FakeSlackFiles:
    def __init__(self, fake: FakeSlackApi) -> None:
        self.fake = fake
        self.files: dict[str, SharedFile] = {}
        self.downloads: list[tuple[str, str | None]] = []  # (file id, token presented)
        self._ids = itertools.count(1)
        fake.extra_routes.append(("GET", "/files-pri/{team}-{file_id}/download/{name}", self._get))
        fake.extra_methods["files.completeUploadExternal"] = self._complete
        fake.extra_methods["files.info"] = self._info
        self.objects: dict[str, dict[str, Any]] = {}  # file id -> the whole file object

    def share(
        self,
        data: bytes,
        name: str,
        mimetype: str = "",
        size: int | None = None,
        check_file_info: bool = False,
    ) -> dict:
        """A file as it appears in a `file_share` message event's `files`; with
        `check_file_info`, as Slack announces a file the app must look up with files.info (its
        id and `file_access` only)."""
        file_id = f"FU{next(self._ids):07d}"
        if len(data) > MAX_FILE:
            raise ValueError("Slack takes files up to 1 GB")
        self.files[file_id] = SharedFile(file_id, name, data, mimetype)
        base = f"http://{HOST}:{self.fake.port}/files-pri/{self.fake.team_id}-{file_id}"
        whole = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rpartition(".")[2] if "." in name else "binary",
            "size": len(data) if size is None else size,
            "mode": "hosted",
            "is_external": False,
            "url_private": f"{base}/{name}",
            "url_private_download": f"{base}/download/{name}",
        }
        self.objects[file_id] = whole
        if check_file_info:
            return {"id": file_id, "file_access": "check_file_info", "created": 1764231999}
        return dict(whole)

    def mention(
        self,
        user: str,
        channel: str,
        files: list[dict],
        text: str = "",
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """An `app_mention` event for a message that starts with the bot's mention and shares
        `files` (Slack sends the message event too; the app takes the files from one of them)."""
        event: dict[str, Any] = {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "text": f"<@{self.fake.bot_user_id}> {text}".rstrip(),
            "files": files,
            "ts": f"1764231999.{len(self.fake.calls) + next(self._ids):06d}",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event

    def _info(self, call: ApiCall) -> dict[str, Any]:
        """files.info: the file object (a bot token is required; `file` names the file)."""
        if call.token != self.fake.token:
            return {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
        whole = self.objects.get(str(call.params.get("file") or ""))
        if whole is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": dict(whole), "comments": [], "response_metadata": {}}

    def event(
        self,
        user: str,
        channel: str,
        files: list[dict],
        text: str = "",
        thread_ts: str | None = None,
        channel_type: str = "im",
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "type": "message",
            "subtype": "file_share",
            "channel_type": channel_type,
            "channel": channel,
            "user": user,
            "text": text,
            "files": files,
            "upload": False,
            "ts": f"1764231999.{len(self.fake.calls) + next(self._ids):06d}",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event

    async def _get(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        file_id = request.match_info["file_id"]
        self.downloads.append((file_id, token))
        if token != self.fake.token:
            return web.Response(text=SIGN_IN_PAGE, content_type="text/html")
        shared = self.files.get(file_id)
        if shared is None:
            return web.Response(status=404, text="file not found")
        return web.Response(body=shared.data, content_type=shared.mimetype or "binary/octet")

    def _complete(self, call: ApiCall) -> dict[str, Any]:
        if call.token != self.fake.token:
            return {"ok": False, "error": "not_authed" if not call.token else "invalid_auth"}
        before = len(self.fake.shared_files)
        answer = self.fake._api_files_completeUploadExternal(call.params)
        thread = call.params.get("thread_ts")
        if thread and thread not in {m.ts for m in self.fake.messages.values()}:
            return {"ok": False, "error": "invalid_thread_ts"}
        for shared in self.fake.shared_files[before:]:
            shared["thread_ts"] = thread
        return answer
