"""The HTTP server part every loopback fake shares: listen on 127.0.0.1 (port 0), and go off
and back on the network (an outage of the connection, not of the API) keeping the same port."""

from __future__ import annotations

from aiohttp import web

HOST = "127.0.0.1"


class LoopbackServer:
    port: int = 0
    _runner: web.AppRunner | None = None
    _site: web.TCPSite | None = None
    _refusing: bool = False

    async def _serve(self, app: web.Application, shutdown_timeout: float = 60.0) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, HOST, 0)
        await self._site.start()
        self.port = self._runner.addresses[0][1]

    async def _stop_serving(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def refuse_connections(self) -> None:
        """Stop listening: connections are refused until `accept_connections`, and a request on
        a connection kept open is cut off (the network is down, not the API)."""
        self._refusing = True
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def accept_connections(self) -> None:
        assert self._runner is not None
        self._refusing = False
        if self._site is None:
            self._site = web.TCPSite(self._runner, HOST, self.port, reuse_address=True)
            await self._site.start()

    def _cut_off(self, request: web.Request) -> bool:
        """True (and the connection aborted) when a request arrives on a connection that was
        kept open across `refuse_connections`."""
        if self._refusing and request.transport is not None:
            request.transport.abort()
            return True
        return False
