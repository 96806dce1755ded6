"""Slack as one of `deskbot run`'s channels: Socket Mode or HTTP mode around one Bolt app.

The Web API client (and its aiohttp session) is created inside the running event loop on first
use, since the sender is handed to the outbox before the channel starts.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import (
    run_async_bolt_app,
    send_async_response,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.http_guard import HttpLimits
from bot.config import SlackConfig
from bot.config_error import ConfigError
from handlers.delivery import SendError
from handlers.desk import Desk
from handlers.notify import Target
from storage.store import Store

from .bridge import SlackBridge
from .client import api_error, build_app, build_client
from .events import Events
from .files import SlackFetcher
from .http import SlackHttpServer
from .inbound import CHANNEL
from .interactions import Interactions
from .pending import ANSWER_WITHIN, EVENT_WITHIN, RequestWork
from .retry import Sleep
from .sender import SlackSender
from .slash import SlashCommands

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger("deskbot.slack")


class AckAfterWork(AsyncSocketModeHandler):
    """Socket Mode acknowledges an envelope only once the work it started has committed
    (bounded, as HTTP mode's answer is, see pending.py): Slack resends an unacknowledged event."""

    async def handle(self, client: Any, req: Any) -> None:
        start, started = time.time(), time.monotonic()
        with RequestWork() as work:
            response = await run_async_bolt_app(self.app, req)
        event = req.type == "events_api"
        within = EVENT_WITHIN if event else ANSWER_WITHIN - (time.monotonic() - started)
        await work.finished(within)
        await send_async_response(client, req, response, start)


# auth.test answers for a token that will never work.
REJECTED_TOKEN = (
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
)


class SlackService:
    name = CHANNEL

    def __init__(
        self,
        config: SlackConfig,
        *,
        sleep: Sleep = asyncio.sleep,
        limits: HttpLimits | None = None,
    ) -> None:
        self.config = config
        self.limits = limits
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._client: AsyncWebClient | None = None
        self.sender = SlackSender(self.client)
        self.fetcher = SlackFetcher(config.bot_token, config.api_base_url, self.client)
        self.http: SlackHttpServer | None = None
        self.app: AsyncApp | None = None
        self.bridge: SlackBridge | None = None
        self._socket: AckAfterWork | None = None
        self._stopped = False
        self.started = False

    def client(self) -> AsyncWebClient:
        if self._stopped:
            # The outbox may still try while the process shuts down; the row waits for the next
            # start instead of opening a session nobody will close.
            raise SendError("the Slack channel has stopped")
        if self._client is None:
            self._session = aiohttp.ClientSession()
            self._client = build_client(
                bot_token=self.config.bot_token,
                api_base_url=self.config.api_base_url,
                session=self._session,
                sleep=self._sleep,
            )
        return self._client

    def team_targets(self) -> list[Target]:
        return [Target(CHANNEL, self.config.team_channel)] if self.config.team_channel else []

    def build(self, desk: Desk, store: Store) -> AsyncApp:
        """The Bolt app with every listener registered (HTTP and Socket Mode share it)."""
        client = self.client()
        app = build_app(client=client, signing_secret=self.config.signing_secret)
        bridge = SlackBridge(desk=desk, store=store, client=client, config=self.config)
        SlashCommands(bridge).register(app)
        Interactions(bridge).register(app)
        Events(bridge).register(app)
        self.app, self.bridge = app, bridge
        return app

    async def run(self, runtime: Runtime) -> None:
        await self.start(runtime.desk, runtime.store)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    async def start(self, desk: Desk, store: Store) -> None:
        """Build the app and start receiving (HTTP server or Socket Mode connection)."""
        await self._check_token()
        app = self.build(desk, store)
        if self.config.mode == "http":
            assert self.bridge is not None
            self.http = SlackHttpServer(
                app,
                host=self.config.listen,
                port=self.config.port,
                path=self.config.path,
                signing_secret=self.config.signing_secret,
                first_time=self.bridge.first_time,
                limits=self.limits,
            )
            await self.http.start()
            log.info("Slack HTTP mode on %s", self.http.url)
        else:
            self._socket = AckAfterWork(
                app, app_token=self.config.app_token, web_client=self.client()
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")
        self.started = True
        # Everything loaded so far (libraries, the app, the engine) lives as long as the process.
        # Freezing it keeps full garbage collections from walking it again and again: those
        # pauses were the tail of the ack latency under load.
        gc.collect()
        gc.freeze()

    async def _check_token(self) -> None:
        """A token Slack refuses is a configuration error: say so once, naming the key."""
        try:
            await self.client().auth_test()
        except SlackApiError as error:
            code = api_error(error)
            if code in REJECTED_TOKEN:
                await self.close()
                raise ConfigError(
                    "slack.bot_token", f"Slack rejected the bot token ({code})"
                ) from None
            raise

    async def stop(self) -> None:
        """Stop receiving, let acknowledged work finish, close the Web API session."""
        self.started = False
        if self.http is not None:
            await self.http.close()
            self.http = None
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self.bridge is not None:
            await self.bridge.drain()
        self._stopped = True
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._client = None
