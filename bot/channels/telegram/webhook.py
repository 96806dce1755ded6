"""The webhook endpoint: an aiohttp server Telegram POSTs updates to.

PTB's own `run_webhook` needs tornado and owns the event loop; a small aiohttp server that hands
updates to the Application's `update_queue` (PTB's documented custom-webhook pattern) runs inside
the desk's loop and is reachable from tests on port 0. Requests without the secret token that
was registered with setWebhook are refused with 403 before their body is even read. A body that
is not a Telegram update (however deep, however mistyped) gets 400 and one throttled WARNING
line; nothing reaches the Application, and the next update is processed as usual.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels.http_guard import HttpLimits, application, read_body, serve, too_slow
from bot.logs import Throttle

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]


class MalformedUpdate(ValueError):
    """Raised by `on_update` for JSON that is not an update the library can read."""


class WebhookServer:
    def __init__(
        self,
        *,
        path: str,
        secret: str,
        listen: str,
        port: int,
        on_update: OnUpdate,
        limits: HttpLimits | None = None,
    ):
        self._path = path if path.startswith("/") else f"/{path}"
        self._secret = secret.encode()
        self._listen = listen
        self._port = port
        self._on_update = on_update
        self._limits = limits or HttpLimits()
        self._throttle = Throttle()
        self._runner: web.AppRunner | None = None
        self.bound_port = 0

    async def start(self) -> None:
        app = application(self._limits)
        app.router.add_post(self._path, self._handle)
        self._runner, self.bound_port = await serve(app, self._listen, self._port, self._limits)
        log.info("telegram webhook listening on %s:%s%s", self._listen, self.bound_port, self._path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def local_url(self) -> str:
        return f"http://{self._listen}:{self.bound_port}{self._path}"

    async def _handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self._throttle.warning(
                log, "secret", "telegram webhook: request without the right secret token refused"
            )
            return web.Response(status=403, text="forbidden")
        body = await read_body(request, self._limits)
        if body is None:
            self._throttle.warning(log, "slow", "telegram webhook: request body too slow; closed")
            return too_slow()
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return self._refuse("body is not JSON")
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return self._refuse("not a Telegram update")
        try:
            await self._on_update(data)
        except MalformedUpdate as error:
            return self._refuse(f"update {data['update_id']} is malformed ({error})")
        return web.Response(status=200)

    def _refuse(self, why: str) -> web.Response:
        self._throttle.warning(log, "malformed", f"telegram webhook: {why}; refused (400)")
        return web.Response(status=400, text="not a Telegram update")
