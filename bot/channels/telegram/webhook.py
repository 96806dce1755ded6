"""The webhook endpoint: an aiohttp server Telegram POSTs updates to.

PTB's own `run_webhook` needs tornado and owns the event loop; a small aiohttp server that hands
updates to the Application's `update_queue` (PTB's documented custom-webhook pattern) runs inside
the desk's loop and is reachable from tests on port 0. Requests without the secret token that
was registered with setWebhook are refused with 403 before their body is even read.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]


class WebhookServer:
    def __init__(self, *, path: str, secret: str, listen: str, port: int, on_update: OnUpdate):
        self._path = path if path.startswith("/") else f"/{path}"
        self._secret = secret.encode()
        self._listen = listen
        self._port = port
        self._on_update = on_update
        self._runner: web.AppRunner | None = None
        self.bound_port = 0

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self._path, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._listen, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else self._port
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
            log.warning("telegram webhook: request without the right secret token refused")
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
        except (UnicodeDecodeError, json.JSONDecodeError):
            return web.Response(status=400, text="body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not a Telegram update")
        await self._on_update(data)
        return web.Response(status=200)
