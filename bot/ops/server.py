"""The operations listener on `[ops] listen`:`[ops] metrics_port`: `/metrics` (Prometheus text
format), `/healthz` (the process is alive) and `/readyz` (200 when ready, 503 with the failing
checks otherwise). Plain HTTP, meant for a private interface or a scraper on the same host.

aiohttp rather than prometheus_client's own threaded server: the backlog gauges come from an async
database query made right before each scrape, on the desk's own event loop.
"""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from handlers.ops.health import Health
from handlers.ops.metrics import REGISTRY

log = logging.getLogger(__name__)


class OpsServer:
    def __init__(self, health: Health, *, listen: str, port: int) -> None:
        self.health = health
        self._listen = listen
        self._port = port
        self._runner: web.AppRunner | None = None
        self.bound_port = 0

    @property
    def url(self) -> str:
        return f"http://{self._listen}:{self.bound_port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._listen, self._port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else self._port
        log.info("ops: /metrics, /healthz and /readyz on %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metrics(self, _request: web.Request) -> web.Response:
        try:
            await self.health.refresh_metrics()
        except Exception as exc:
            # The counters are still worth serving; the stale gauges and deskbot_ready say the
            # rest.
            log.warning("ops: backlog gauges not refreshed: %s", exc)
        return web.Response(
            body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks = await self.health.readiness()
        ready = all(check.ok for check in checks)
        body = {
            "ready": ready,
            "checks": {c.name: {"ok": c.ok, **({"detail": c.detail} if c.detail else {})}
                       for c in checks},
        }  # fmt: skip
        return web.json_response(body, status=200 if ready else 503)
