"""The desk's HTTP endpoints (Slack HTTP mode, the Telegram webhook) as aiohttp servers that a
slow or greedy client cannot hold open: a request's headers must arrive within
`header_timeout` of the connection opening (or of the previous response on a kept-alive
connection), its body within `body_timeout` of the headers, and at most `max_connections`
connections are open at once (more are closed as they arrive).

aiohttp closes a connection whose handler is still waiting for a request when its keep-alive
timer runs out, and that timer starts when the connection opens: with `keepalive_timeout` set to
the header timeout, a client trickling header bytes is cut like an idle one. The body is read by
our handlers under their own timeout (`read_body`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

DEFAULT_LISTEN = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class HttpLimits:
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_connections: int = 256
    max_body: int = 1024 * 1024


class _Refuse(asyncio.Protocol):
    """Stands in for the request handler when the server is full: the connection is closed."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if isinstance(transport, asyncio.Transport):
            transport.abort()
        else:
            transport.close()


class GuardedSite(web.BaseSite):
    """A TCP site whose connection count is capped."""

    __slots__ = ("_host", "_limits", "_port", "bound_port")

    def __init__(self, runner: web.BaseRunner, host: str, port: int, limits: HttpLimits) -> None:
        super().__init__(runner)
        self._host = host
        self._port = port
        self._limits = limits
        self.bound_port = port

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self.bound_port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        cap = self._limits.max_connections

        def connection() -> asyncio.Protocol:
            if len(server.connections) >= cap:
                return _Refuse()
            return server()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(connection, self._host, self._port)
        sockets = self._server.sockets
        self.bound_port = int(sockets[0].getsockname()[1]) if sockets else self._port


async def serve(
    app: web.Application, host: str, port: int, limits: HttpLimits
) -> tuple[web.AppRunner, int]:
    """Start `app` on `host:port`; returns the runner (to clean up) and the bound port."""
    runner = web.AppRunner(
        app,
        access_log=None,
        keepalive_timeout=limits.header_timeout,
        # After a refusal, do not linger reading what is left of a slow body.
        lingering_time=0,
        shutdown_timeout=1.0,
    )
    await runner.setup()
    site = GuardedSite(runner, host, port, limits)
    await site.start()
    return runner, site.bound_port


def application(limits: HttpLimits) -> web.Application:
    return web.Application(client_max_size=limits.max_body)


async def read_body(request: web.Request, limits: HttpLimits) -> bytes | None:
    """The whole body, or None when the client does not send it within the body timeout."""
    try:
        async with asyncio.timeout(limits.body_timeout):
            return await request.read()
    except TimeoutError:
        return None


def too_slow() -> web.Response:
    response = web.Response(status=408, text="request body too slow")
    response.force_close()
    return response
