"""A loopback fake of the Telegram Bot API that the real python-telegram-bot talks to.

It listens on 127.0.0.1 (port 0) and speaks the real wire format: POST `/bot<token>/<method>` with
form-encoded fields (JSON-typed fields such as `reply_markup` as JSON text; multipart and JSON
bodies are understood too), answers `{"ok": true, "result": ...}` or
`{"ok": false, "error_code": ..., "description": ..., "parameters": {...}}`.

Tests push user actions (`push_text`, `press`), await the bot's calls (`wait_call`) instead of
polling, and can make the next calls of a method fail (`fail_next`) with 400/403/429.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer
from tests.fakes.telegram_delete import DeleteMethods
from tests.fakes.telegram_files import BotFileMethods
from tests.fakes.telegram_methods import ApiCall, ApiError, BotApiMethods
from tests.fakes.telegram_objects import JSON, bot_user
from tests.fakes.telegram_updates import UpdateMethods

DEFAULT_TOKEN = "777000111:AAHfakeTokenForLoopbackTestsOnly"


@dataclass
class Gate:
    """Answers held by `FakeTelegramAPI.hold`: `arrived` once a call is waiting, `release` to
    let it (and every later one) answer."""

    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Failure:
    status: int
    description: str
    parameters: JSON | None
    when: Callable[[ApiCall], bool] | None


_CHAT_LIMITED = frozenset({"sendmessage", "editmessagetext", "editmessagereplymarkup"})


class FakeTelegramAPI(LoopbackServer, UpdateMethods, BotFileMethods, DeleteMethods, BotApiMethods):
    """`async with FakeTelegramAPI() as api:`; point the bot at `api.base_url` (PTB) or
    `api.api_base_url` (the desk's `[telegram] api_base_url`)."""

    def __init__(self, token: str = DEFAULT_TOKEN, now: Callable[[], float] = time.time) -> None:
        DeleteMethods.__init__(self)
        self.token = token
        self.bot = bot_user(int(token.split(":")[0]))
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON = {"url": "", "secret_token": None}
        self.answered_callbacks: dict[str, ApiCall] = {}
        self._now = now
        self._pending_updates: list[JSON] = []
        self._update_ids = itertools.count(10_000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._per_chat = 0.0  # messages a second into one chat; 0: unlimited
        self._chat_free: dict[str, float] = {}
        self._malformed: dict[str, int] = {}
        self._gates: dict[str, Gate] = {}
        self._changed = asyncio.Condition()
        self._closing = False
        self.long_polls = 0  # getUpdates calls that found nothing and started waiting
        # Called with every finished call; cheaper than wait_call for many concurrent waiters.
        self.listeners: list[Callable[[ApiCall], None]] = []
        # The getUpdates being answered now: a newer one ends it with 409, as Telegram does.
        self._poll = 0
        self.down_status: int | None = None  # every call answers this (an outage) while set
        self._files_init()

    # lifecycle ------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeTelegramAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        await self._serve(app, shutdown_timeout=0.5)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        await self._stop_serving()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What `telegram.Bot(base_url=...)` takes: the token is appended to it."""
        return f"{self.api_base_url}/bot"

    # test controls --------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        when: Callable[[ApiCall], bool] | None = None,
    ) -> None:
        """The next `times` calls of `method` (matching `when`) get this error instead."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        failures = self._failures.setdefault(method.lower(), [])
        failures.extend(_Failure(status, description, parameters, when) for _ in range(times))

    def stop_failing(self, method: str) -> None:
        """Forget the failures still queued for `method`: the platform takes calls again."""
        self._failures.pop(method.lower(), None)

    def malformed(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` get a response that is not valid HTTP (a broken
        proxy or server), as raw bytes on the connection, which is then closed."""
        self._malformed[method.lower()] = self._malformed.get(method.lower(), 0) + times

    def flood(self, method: str, retry_after: int, times: int = 1) -> None:
        self.fail_next(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
        )

    def mark(self) -> int:
        """A position in the call log; `wait_call(after=...)` only looks at later calls."""
        return len(self.calls)

    def calls_of(self, method: str, *, after: int = 0, ok_only: bool = True) -> list[ApiCall]:
        return [
            c
            for c in self.calls[after:]
            if c.method.lower() == method.lower() and (c.ok or not ok_only)
        ]

    async def wait_call(
        self,
        method: str,
        when: Callable[[ApiCall], bool] | None = None,
        *,
        after: int = 0,
        ok_only: bool = True,
        timeout: float = 5.0,
    ) -> ApiCall:
        """The first call of `method` at or after `after` that matches, waiting if needed."""

        def found() -> ApiCall | None:
            for call in self.calls_of(method, after=after, ok_only=ok_only):
                if when is None or when(call):
                    return call
            return None

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result

    async def wait_calls(self, method: str, count: int, *, after: int = 0, timeout: float = 5.0):
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.calls_of(method, after=after)) >= count),
                timeout,
            )
        return self.calls_of(method, after=after)

    async def wait_long_poll(self, after: int = 0, timeout: float = 5.0) -> None:
        """Until the bot's getUpdates is waiting for news (more than `after` such polls)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.long_polls > after), timeout)

    # server ---------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if self._cut_off(request):
            return web.Response(status=503)
        method = request.match_info["method"]
        files: dict[str, bytes] = {}
        params = await _read_params(request, files)
        call = ApiCall(method, params, files=files)
        if request.match_info["token"] != self.token:
            return await self._finish(call, ApiError(401, "Unauthorized"))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return await self._finish(call, ApiError(404, "Not Found"))
        if self.down_status is not None:
            # What a proxy in front of the Bot API answers while it is down: not JSON at all.
            call.status = self.down_status
            await self._finish_raw(call)
            return web.Response(status=self.down_status, text="<html>Bad Gateway</html>")
        if self._malformed.get(method.lower(), 0) > 0 and request.transport is not None:
            self._malformed[method.lower()] -= 1
            request.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n{")
            request.transport.close()
            call.status = 0
            async with self._changed:
                self.calls.append(call)
                self._changed.notify_all()
            return web.Response()
        failure = self._take_failure(call) or self._chat_throttled(call)
        if failure is not None:
            return await self._finish(call, failure)
        if method.lower() == "getupdates":
            # As Telegram does: one getUpdates at a time per bot. A new one ends the one still
            # open ("terminated by other getUpdates request"), which gets 409 Conflict.
            self._poll += 1
            async with self._changed:
                self._changed.notify_all()
        try:
            result = await handler(call)
        except ApiError as error:
            return await self._finish(call, error)
        except (KeyError, ValueError) as error:
            return await self._finish(call, ApiError(400, f"Bad Request: {error}"))
        gate = self._gates.get(method.lower())
        if gate is not None:
            gate.arrived.set()
            await gate.release.wait()
        return await self._finish(call, result)

    def hold(self, method: str) -> Gate:
        """Hold back the answers to `method` (done, the message posted) until the gate is
        released: a slow API, as long as a test needs, without waiting on a clock."""
        gate = Gate()
        self._gates[method.lower()] = gate
        return gate

    def limit_per_chat(self, per_second: float) -> None:
        """Like Telegram's flood control: at most `per_second` messages into one chat (sent or
        edited); a faster one gets 429 with the whole seconds to wait in `retry_after`."""
        self._per_chat = per_second

    def _chat_throttled(self, call: ApiCall) -> ApiError | None:
        if not self._per_chat or call.method.lower() not in _CHAT_LIMITED:
            return None
        chat, now = str(call.params.get("chat_id", "")), self._now()
        free = self._chat_free.get(chat, now)
        if now < free:
            wait = max(1, math.ceil(free - now))
            return ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        self._chat_free[chat] = now + 1 / self._per_chat
        return None

    async def _finish_raw(self, call: ApiCall) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _take_failure(self, call: ApiCall) -> ApiError | None:
        failures = self._failures.get(call.method.lower(), [])
        for index, failure in enumerate(failures):
            if failure.when is None or failure.when(call):
                del failures[index]
                return ApiError(failure.status, failure.description, failure.parameters)
        return None

    async def _finish(self, call: ApiCall, outcome: Any) -> web.Response:
        if isinstance(outcome, ApiError):
            body: JSON = {
                "ok": False,
                "error_code": outcome.status,
                "description": outcome.description,
            }
            if outcome.parameters:
                body["parameters"] = outcome.parameters
            call.status = outcome.status
        else:
            body = {"ok": True, "result": outcome}
        call.response = body
        for listener in self.listeners:
            listener(call)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return web.json_response(body, status=call.status)


async def _read_params(request: web.Request, files: dict[str, bytes]) -> dict[str, str]:
    """Fields as Telegram reads them: query string, then form, multipart or JSON body; uploaded
    files' bytes go into `files`."""
    params: dict[str, str] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        for key, value in body.items():
            params[key] = value if isinstance(value, str) else json.dumps(value)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, str):
            params[key] = value
        else:
            params[key] = f"<file {value.filename}>"
            files[key] = value.file.read()
    return params
