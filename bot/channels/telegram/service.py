"""The Telegram channel as one of `deskbot run`'s services: builds the PTB Application from
`[telegram]`, registers the command menus, and serves by long polling or by webhook."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    Update,
)
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.channels.http_guard import HttpLimits
from bot.channels.telegram.files import TelegramFetcher
from bot.channels.telegram.ordering import PerChatOrder
from bot.channels.telegram.outbox import TelegramOutboxSender
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.router import TelegramRouter
from bot.channels.telegram.sender import Sleep, TelegramSender
from bot.channels.telegram.shape import problem
from bot.channels.telegram.webhook import MalformedUpdate, WebhookServer
from bot.config import TelegramConfig
from bot.config_error import ConfigError
from handlers import commands, faults
from handlers.delivery import SendError
from handlers.i18n.catalogs import LANGUAGES, SOURCE_LANGUAGE
from handlers.messages import speaking, t
from handlers.notify import Target
from handlers.ops import metrics
from storage.files import FileStore
from storage.outbox import Delivery

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)

CHANNEL = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Telegram's command menus: the merchant commands everywhere, the team's in the team chat.
# Their descriptions live in the message catalog with every other user-facing text.
# Each language gets its own menu (setMyCommands with language_code), with its own command words
# where it has them (/ripoti for Swahili speakers); the English words work for everyone.
MERCHANT_COMMANDS = (
    "report", "ask", "status", "mytickets", "integrate", "progress", "uat", "cancel", "help",
    "language",
)  # fmt: skip
TEAM_COMMANDS = (
    "list", "ack", "take", "assign", "resolve", "reopen", "note", "reply", "projects", "project",
    "advance",
)  # fmt: skip


def bot_commands(names: tuple[str, ...], prefix: str, language: str = "en") -> list[BotCommand]:
    with speaking(language):
        return [
            BotCommand(commands.word_for(name, language), t(f"command.{name}", prefix=prefix))
            for name in names
        ]


# How long a delivery waits for the bot to finish starting before it is retried later.
READY_WAIT = 30.0
# An update whose handling fails (the database away, a bug) is tried this many times, with
# pauses of RETRY_PAUSE, 2x, 4x... between, then given up on: logged at ERROR, counted in
# deskbot_updates_dead_lettered, its sender told, and confirmed. Trying forever would stall
# polling (Telegram hands out at most 100 updates past the oldest unconfirmed one) and hold a
# webhook request open past Telegram's patience.
ATTEMPTS = 4
RETRY_PAUSE = 0.5


def build_application(
    config: TelegramConfig, requests: tuple[AiohttpRequest, AiohttpRequest]
) -> Application:  # type: ignore[type-arg]
    """`requests`: the HTTP clients for API calls and for long polling, in that order."""
    calls, updates = requests
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(f"{config.api_base_url}/bot")
        .base_file_url(f"{config.api_base_url}/file/bot")
        .request(calls)
        .get_updates_request(updates)
        # Timers live in the database and APScheduler runs them; PTB's own job queue stays off.
        .job_queue(None)
        # Updates are fetched (Poller) or received (WebhookServer) by the desk itself, which
        # confirms each one only after it was handled.
        .updater(None)
    )
    return builder.build()


class _ReadyOutboxSender:
    """Holds outbox deliveries until the bot is initialised (getMe done, HTTP client open)."""

    def __init__(self, sender: TelegramOutboxSender, ready: asyncio.Event) -> None:
        self._sender = sender
        self._ready = ready

    def use_files(self, files: FileStore) -> None:
        self._sender.use_files(files)

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        try:
            await asyncio.wait_for(self._ready.wait(), READY_WAIT)
        except TimeoutError:
            raise SendError("telegram channel is not running yet") from None
        return await self._sender.deliver(item, alert_message_id)


class TelegramService:
    name = CHANNEL

    def __init__(
        self,
        config: TelegramConfig,
        *,
        sleep: Sleep = asyncio.sleep,
        limits: HttpLimits | None = None,
    ) -> None:
        self.config = config
        self.limits = limits
        self._requests = (AiohttpRequest(connection_limit=64), AiohttpRequest(connection_limit=2))
        self.application = build_application(config, self._requests)
        self.messages = TelegramSender(self.application.bot, sleep=sleep)
        self._sleep = sleep
        self.ready = asyncio.Event()
        self.sender = _ReadyOutboxSender(TelegramOutboxSender(self.messages), self.ready)
        self.fetcher = TelegramFetcher(self.application.bot)
        self.webhook: WebhookServer | None = None
        self.router: TelegramRouter | None = None
        self.poller: Poller | None = None
        # A chat's updates in order, one at a time; chats side by side. Polling and the webhook
        # both start an update as soon as it arrives, so this lock is all that keeps a chat's
        # second update from running while its first is still being handled.
        self._order = PerChatOrder()
        self._handling = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.started = False

    def team_targets(self) -> list[Target]:
        return [Target(CHANNEL, self.config.team_chat_id)] if self.config.team_chat_id else []

    async def run(self, runtime: Runtime) -> None:
        self.router = TelegramRouter(
            runtime.desk, runtime.store, self.messages, self.config.team_chat_id
        )
        app = self.application
        try:
            await app.initialize()
        except InvalidToken:
            # PTB leaves its HTTP clients open when getMe fails; close them before leaving.
            for request in self._requests:
                await request.shutdown()
            # Never the exception's own text: it quotes the token.
            raise ConfigError(
                "telegram.token", "Telegram rejected the bot token; check it with @BotFather"
            ) from None
        async with app:
            self.ready.set()
            settings = runtime.desk.settings
            await self._register_commands(settings.reference_prefix, settings.team_language)
            await app.start()
            try:
                await self._serve()
            finally:
                await self._stop_serving()
                if self.router is not None:
                    await self.router.finish_courtesies()
                await app.stop()

    async def _serve(self) -> None:
        app = self.application
        if self.config.mode == "webhook":
            path = urlsplit(self.config.webhook_url).path or "/"
            self.webhook = WebhookServer(
                path=path,
                secret=self.config.webhook_secret,
                listen=self.config.listen,
                port=self.config.port,
                on_update=self._on_webhook,
                limits=self.limits,
            )
            await self.webhook.start()
            await self.messages.retrying(
                lambda: app.bot.set_webhook(
                    self.config.webhook_url,
                    secret_token=self.config.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
            log.info("telegram: serving webhook %s", self.config.webhook_url)
        else:
            self.poller = Poller(app.bot, self._handle, ALLOWED_UPDATES)
            log.info("telegram: long polling started")
        self.started = True
        try:
            if self.poller is not None:
                await self.poller.run()
            else:
                await asyncio.Event().wait()  # serve until cancelled
        finally:
            self.started = False

    async def _stop_serving(self) -> None:
        if self.webhook is not None:
            await self.webhook.stop()

    async def _on_webhook(self, data: dict[str, object]) -> None:
        # Handled before the webhook answers 200: a crash or an error before then makes
        # Telegram deliver the update again.
        if wrong := problem(data):
            raise MalformedUpdate(wrong)
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception as error:  # whatever the check above let through
            raise MalformedUpdate(type(error).__name__) from None
        faults.reach("telegram.fetched")
        await self._handle(update)

    async def _handle(self, update: Update) -> None:
        assert self.router is not None
        self._handling += 1
        self._idle.clear()
        try:
            await self._order.process_update(update, self._attempts(update))
        finally:
            self._handling -= 1
            if not self._handling:
                self._idle.set()

    async def _attempts(self, update: Update) -> None:
        assert self.router is not None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await self.router.handle(update)
                return
            except Exception:
                if attempt == ATTEMPTS:
                    log.exception(
                        "telegram: update %d dead-lettered: it failed %d times and is given up "
                        "on (confirmed, not handled); its sender is told to try again",
                        update.update_id,
                        ATTEMPTS,
                    )
                    break
                pause = RETRY_PAUSE * 2 ** (attempt - 1)
                log.warning(
                    "telegram: update %d failed (attempt %d of %d); again in %.1f s",
                    update.update_id,
                    attempt,
                    ATTEMPTS,
                    pause,
                    exc_info=True,
                )
                await self._sleep(pause)
        metrics.DEAD_LETTERED.labels(CHANNEL).inc()
        await self.router.apologise(update)

    async def idle(self) -> None:
        """Until no update is being handled (tests await this instead of sleeping)."""
        await self._idle.wait()
        if self.router is not None:
            await self.router.finish_courtesies()

    async def _register_commands(self, prefix: str, team_language: str) -> None:
        """The menus: English for everyone, then one per other language (Telegram shows a
        user the one for their app's language); the team chat's in the team's language."""
        for language in LANGUAGES:
            code = None if language == SOURCE_LANGUAGE else language
            merchant = bot_commands(MERCHANT_COMMANDS, prefix, language)
            await self._set_commands(merchant, BotCommandScopeDefault(), code)
        if self.config.team_chat_id:
            team = bot_commands(TEAM_COMMANDS, prefix, team_language)
            await self._set_commands(team, BotCommandScopeChat(self.config.team_chat_id))

    async def _set_commands(
        self, menu: list[BotCommand], scope: BotCommandScope, language: str | None = None
    ) -> None:
        bot = self.application.bot
        try:
            await self.messages.retrying(
                lambda: bot.set_my_commands(menu, scope=scope, language_code=language)
            )
        except TelegramError as error:
            # A menu is a convenience; the bot works without it (e.g. not yet in the group).
            log.warning("telegram: could not register commands: %s", error.message)
