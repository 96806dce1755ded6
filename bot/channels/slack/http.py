"""HTTP mode: one aiohttp endpoint receiving events, slash commands and interactivity.

Bolt's own `AsyncSlackAppServer.start()` blocks in `web.run_app`; we need an explicit lifecycle
(start, stop, a port chosen by the OS in tests), so we hand requests to the Bolt app ourselves.

Order of checks, cheapest and safest first: the body is read under a timeout, then the Slack
signature is verified over the raw bytes (401, nothing parsed, one throttled WARNING line), then
a replay of a signed slash command or interaction is dropped, and only then does Bolt parse the
body. A signed request Bolt cannot make sense of gets 400, never a 500 or a traceback. The answer
to Slack waits for the work the request started (bounded, see pending.py), so a crash before the
work committed is never hidden behind a 200.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.channels.http_guard import HttpLimits, application, read_body, serve, too_slow
from bot.logs import Throttle

from .payloads import problem
from .pending import ANSWER_WITHIN, EVENT_WITHIN, RequestWork

log = logging.getLogger("deskbot.slack")

# Slack's window for a request's timestamp; older (or later) requests are refused as replays.
MAX_AGE_SECONDS = 60 * 5
TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"
# Events carry their own event_id (deduplicated by the listener); these do not.
FORM = "application/x-www-form-urlencoded"

FirstTime = Callable[[str], Awaitable[bool]]


class SlackHttpServer:
    def __init__(
        self,
        app: AsyncApp,
        *,
        host: str,
        port: int,
        path: str,
        signing_secret: str,
        first_time: FirstTime,
        limits: HttpLimits | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._app = app
        self._host = host
        self._port = port
        self.path = path
        self._secret = signing_secret.encode()
        self._first_time = first_time
        self._limits = limits or HttpLimits()
        self._now = now
        self._throttle = Throttle()
        self._runner: web.AppRunner | None = None
        self.port = port

    def web_app(self) -> web.Application:
        web_app = application(self._limits)
        web_app.router.add_post(self.path, self._handle)
        web_app.router.add_get("/healthz", self._health)
        return web_app

    def _signed(self, request: web.Request, body: bytes) -> bool:
        timestamp = request.headers.get(TIMESTAMP, "")
        signature = request.headers.get(SIGNATURE, "")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return False
        if abs(self._now() - int(timestamp)) > MAX_AGE_SECONDS:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.encode(errors="replace"))

    async def _handle(self, request: web.Request) -> web.Response:
        body = await read_body(request, self._limits)
        if body is None:
            self._throttle.warning(log, "slow", "Slack HTTP: request body too slow; closed")
            return too_slow()
        if not self._signed(request, body):
            self._throttle.warning(
                log, "unsigned", "Slack HTTP: request without a valid signature refused (401)"
            )
            return web.Response(status=401, text="invalid signature")
        if request.content_type == FORM and not await self._first_time(
            "signature:" + request.headers[SIGNATURE]
        ):
            log.info("Slack HTTP: a signed request was sent again; ignored")
            return web.Response(status=200)
        try:
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=request.query_string,
                headers=dict(request.headers),
            )
            wrong = problem(bolt_request.body)
        except Exception as error:  # not UTF-8, not JSON, too deep, a list for a payload...
            wrong = type(error).__name__
        if wrong is not None:
            return self.malformed(wrong)
        started = time.monotonic()
        with RequestWork() as work:
            bolt_response = await self._app.async_dispatch(bolt_request)
        # The answer waits for the work the request started (see pending.py).
        event = request.content_type != FORM
        within = EVENT_WITHIN if event else ANSWER_WITHIN - (time.monotonic() - started)
        if not await work.finished(within):
            log.warning("Slack HTTP: answering before the request's work finished (%.1f s)", within)
        return await to_aiohttp_response(bolt_response)

    def malformed(self, why: str) -> web.Response:
        """A signed request that is not shaped like Slack's: Slack's bug or a forgery."""
        self._throttle.warning(log, "malformed", f"Slack HTTP: malformed request refused ({why})")
        return web.Response(status=400, text="malformed request")

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def start(self) -> None:
        self._runner, self.port = await serve(self.web_app(), self._host, self._port, self._limits)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}{self.path}"
