"""A loopback fake of the Slack Web API, reached by the real slack-sdk through `base_url`.

It speaks the wire format slack-sdk expects: `POST /api/<method>` with the bot token in the
`Authorization` header, arguments as JSON, form fields or query parameters (slack-sdk uses all
three depending on the method), answers `{"ok": true, ...}` with HTTP 200, or HTTP 429 with a
`Retry-After` header when a test asks for rate limiting. Every call is recorded; tests await
calls instead of polling. `response_url` posts (Bolt's `respond()`) land on `/respond/<id>` and
are recorded as method `response_url`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.loopback import HOST, LoopbackServer
from tests.fakes.slack_limits import blocks_error
from tests.fakes.slack_workspace import PostedMessage, WorkspaceMethods

_WITH_BLOCKS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})


@dataclass(slots=True)
class ApiCall:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    token: str | None
    rate_limited: bool = False
    # The error Slack answered for a payload it refuses (see slack_limits.py), if any.
    refused: str | None = None
    # Answered with `down_status` (an outage): nothing happened.
    down: bool = False


def _decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    # Form-encoded calls carry structured arguments (blocks, view) as JSON strings.
    for key in ("blocks", "view", "attachments", "metadata"):
        value = params.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            params[key] = json.loads(value)
    return params


class FakeSlackApi(LoopbackServer, WorkspaceMethods):
    """Use as `async with FakeSlackApi(token=...) as fake:`; slack-sdk reaches `fake.base_url`."""

    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",
        team_id: str = "T0DESK",
        bot_user_id: str = "UDESKBOT",
        bot_id: str = "BDESKBOT",
    ) -> None:
        self.token = token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[str, str], PostedMessage] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self._rate_limits: dict[str, list[int]] = {}
        self._per_channel = 0.0  # chat.postMessage a second into one channel; 0: unlimited
        self._channel_free: dict[str, float] = {}
        self._waiters: dict[str, list[tuple[int, asyncio.Future[ApiCall]]]] = defaultdict(list)
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._file_ids = itertools.count(1)
        # files.getUploadURLExternal reservations: file id -> (filename, declared length)
        self.upload_slots: dict[str, tuple[str, int]] = {}
        self.uploaded: dict[str, bytes] = {}
        # Files shared by files.completeUploadExternal: {"id", "title", "channel", "comment",
        # "content"}
        self.shared_files: list[dict[str, Any]] = []
        # Extensions (Socket Mode) add routes and methods before start().
        self.extra_routes: list[tuple[str, str, Any]] = []
        self.extra_methods: dict[str, Any] = {}
        self.down_status: int | None = None  # every call answers this (an outage) while set
        self._changed = asyncio.Event()

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle_api)
        app.router.add_get("/api/{method}", self._handle_api)
        app.router.add_post("/respond/{hook}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        for method, path, handler in self.extra_routes:
            app.router.add_route(method, path, handler)
        await self._serve(app)

    async def close(self) -> None:
        await self._stop_serving()

    async def __aenter__(self) -> FakeSlackApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/api/"

    def response_url(self, hook: str) -> str:
        return f"http://{HOST}:{self.port}/respond/{hook}"

    # ---- test controls ---------------------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, real_name: str = "", locale: str = "en-US", **extra: Any
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name or name,
            "is_bot": False,
            "profile": {"display_name": name, "real_name": real_name or name},
            "locale": locale,
            **extra,
        }

    def add_channel(self, channel_id: str, name: str, **extra: Any) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": True,
            "is_im": False,
            "is_member": True,
            "is_ext_shared": False,
            **extra,
        }

    def rate_limit(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and `Retry-After`."""
        self._rate_limits[method] = [times, retry_after]

    def limit_per_channel(self, per_second: float) -> None:
        """Like Slack's chat.postMessage limit (about one message a second into one channel):
        a faster post gets HTTP 429 with `Retry-After` in whole seconds."""
        self._per_channel = per_second

    def _channel_wait(self, method: str, params: dict[str, Any]) -> int:
        if not self._per_channel or method != "chat.postMessage":
            return 0
        channel, now = str(params.get("channel", "")), time.monotonic()
        free = self._channel_free.get(channel, now)
        if now < free:
            return max(1, math.ceil(free - now))
        self._channel_free[channel] = now + 1 / self._per_channel
        return 0

    def calls_of(self, method: str) -> list[ApiCall]:
        """Calls of `method` that were answered (not rate limited, not during an outage)."""
        return [c for c in self.calls if c.method == method and not (c.rate_limited or c.down)]

    async def wait_until(self, check: Any, timeout: float = 5.0) -> Any:
        """The first truthy value of `check()`, evaluated again after every recorded call."""
        async with asyncio.timeout(timeout):
            while not (found := check()):
                changed = self._changed
                await changed.wait()
        return found

    def wait_for(self, method: str, count: int = 1) -> asyncio.Future[ApiCall]:
        """A future for the `count`-th answered call of `method` (counting from the start)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ApiCall] = loop.create_future()
        done = self.calls_of(method)
        if len(done) >= count:
            future.set_result(done[count - 1])
        else:
            self._waiters[method].append((count, future))
        return future

    def next_call(self, method: str) -> asyncio.Future[ApiCall]:
        """A future for the next answered call of `method` after this moment."""
        return self.wait_for(method, len(self.calls_of(method)) + 1)

    async def called(self, method: str, count: int = 1, timeout: float = 5.0) -> ApiCall:
        """Await the `count`-th call of `method`; the timeout is only a safety net."""
        return await asyncio.wait_for(self.wait_for(method, count), timeout)

    # ---- HTTP handlers ---------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update(body if isinstance(body, dict) else {})
            else:
                form = await request.post()
                params.update({k: v for k, v in form.items() if isinstance(v, str)})
        return _decode_json_fields(params)

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        self._changed.set()
        self._changed = asyncio.Event()
        if call.rate_limited or call.down:
            return
        answered = len(self.calls_of(call.method))
        pending = self._waiters[call.method]
        for item in list(pending):
            count, future = item
            if count <= answered:
                pending.remove(item)
                if not future.done():
                    future.set_result(self.calls_of(call.method)[count - 1])

    async def _handle_api(self, request: web.Request) -> web.Response:
        if self._cut_off(request):
            return web.Response(status=503)
        method = request.match_info["method"]
        params = await self._read_params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        if self.down_status is not None:
            # What a proxy in front of Slack answers while it is down: not JSON at all.
            self._record(ApiCall(method, params, token, down=True))
            return web.Response(status=self.down_status, text="<html>Bad Gateway</html>")
        if wait := self._channel_wait(method, params):
            self._record(ApiCall(method, params, token, rate_limited=True))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        limit = self._rate_limits.get(method)
        if limit and limit[0] > 0:
            limit[0] -= 1
            self._record(ApiCall(method, params, token, rate_limited=True))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(limit[1])},
            )
        if method in self.extra_methods:
            answer: dict[str, Any] = self.extra_methods[method](ApiCall(method, params, token))
        elif token != self.token:
            answer = {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
        elif method in _WITH_BLOCKS and (refused := blocks_error(params.get("blocks"))):
            self._record(ApiCall(method, params, token, refused=refused))
            return web.json_response({"ok": False, "error": refused})
        else:
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            answer = handler(params) if handler else {"ok": False, "error": "unknown_method"}
        self._record(ApiCall(method, params, token))
        return web.json_response(answer)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        if self._cut_off(request):
            return web.Response(status=503)
        params = _decode_json_fields(await request.json())
        params["hook"] = request.match_info["hook"]
        if self.down_status is not None:
            self._record(ApiCall("response_url", params, None, down=True))
            return web.Response(status=self.down_status, text="<html>Bad Gateway</html>")
        refused = blocks_error(params.get("blocks"))
        self._record(ApiCall("response_url", params, None, refused=refused))
        if refused:
            return web.Response(status=400, text=refused, content_type="text/plain")
        return web.Response(text="ok", content_type="text/plain")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: raw bytes in the body."""
        file_id = request.match_info["file_id"]
        slot = self.upload_slots.get(file_id)
        body = await request.read()
        if slot is None:
            return web.Response(status=404, text="unknown upload")
        if len(body) != slot[1]:
            return web.Response(status=400, text=f"expected {slot[1]} bytes, got {len(body)}")
        self.uploaded[file_id] = body
        self._record(ApiCall("upload", {"file_id": file_id, "bytes": len(body)}, None))
        return web.Response(text=f"OK - {len(body)}")

    # ---- methods ---------------------------------------------------------------------------

    def _api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = str(params.get("filename", ""))
        try:
            length = int(params.get("length", ""))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if not filename or length <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._file_ids):08d}"
        self.upload_slots[file_id] = (filename, length)
        return {
            "ok": True,
            "upload_url": f"http://{HOST}:{self.port}/upload/{file_id}",
            "file_id": file_id,
        }

    def _api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        raw = params.get("files")
        files = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        channel = params.get("channel_id")
        if channel and channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        comment = str(params.get("initial_comment") or "")
        if len(comment) > 4000:
            return {"ok": False, "error": "msg_too_long"}
        done = []
        for item in files:
            file_id = str(item.get("id", ""))
            if file_id not in self.uploaded:
                return {"ok": False, "error": "file_not_found"}
            self.shared_files.append(
                {
                    "id": file_id,
                    "title": item.get("title", ""),
                    "channel": channel,
                    "comment": comment,
                    "content": self.uploaded[file_id],
                }
            )
            done.append({"id": file_id, "title": item.get("title", "")})
        return {"ok": True, "files": done}
