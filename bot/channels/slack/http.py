"""HTTP mode: one aiohttp endpoint receiving events, slash commands and interactivity.

Bolt's own `AsyncSlackAppServer.start()` blocks in `web.run_app`; we need an explicit lifecycle
(start, stop, a port chosen by the OS in tests), so we mount Bolt's aiohttp adapter on our runner.
Signature checks happen inside Bolt (`AsyncRequestVerification`, 401 on failure).
"""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

# Slack never sends bodies near this size; refusing larger ones early costs nothing.
MAX_BODY = 1024 * 1024


class SlackHttpServer:
    def __init__(self, app: AsyncApp, *, host: str, port: int, path: str) -> None:
        self._app = app
        self._host = host
        self._port = port
        self.path = path
        self._runner: web.AppRunner | None = None
        self.port = port

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(self.path, self._handle)
        web_app.router.add_get("/healthz", self._health)
        return web_app

    async def _handle(self, request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await self._app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}{self.path}"
