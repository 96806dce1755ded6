"""`deskbot run` and `deskbot chat`: start the configured channels around one desk."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from bot.app import open_runtime
from bot.channels.base import ChannelService
from bot.channels.console import ConsoleService
from bot.config import Config
from bot.escalation_wiring import attach_escalation
from bot.ops.wiring import Ops

log = logging.getLogger(__name__)


def configured_services(config: Config, console_user: str) -> list[ChannelService]:
    services: list[ChannelService] = []
    if config.telegram.enabled:
        # Imported here so a desk without Telegram never loads python-telegram-bot.
        from bot.channels.telegram.service import TelegramService

        services.append(TelegramService(config.telegram))
    if config.slack.enabled:
        # Imported here so a desk without Slack never loads slack-bolt.
        from bot.channels.slack.service import SlackService

        services.append(SlackService(config.slack))
    if not services:
        print(
            "No Telegram or Slack credentials configured: running the console channel "
            f"as console:{console_user} (see README to connect Telegram and Slack).",
            flush=True,
        )
        services.append(ConsoleService(console_user))
    return services


async def serve(config: Config, services: Sequence[ChannelService]) -> None:
    senders = {service.name: service.sender for service in services}
    targets = [target for service in services for target in service.team_targets()]
    # Channels that take files say how to download them.
    fetchers = {
        service.name: fetcher
        for service in services
        if (fetcher := getattr(service, "fetcher", None)) is not None
    }
    async with open_runtime(config, senders, targets, fetchers=fetchers) as runtime:
        escalation = attach_escalation(runtime)
        ops = Ops(runtime, services)
        ops.schedule(escalation)
        escalation.start()
        await ops.start()
        background = [
            asyncio.create_task(runtime.dispatcher.run(), name="outbox"),
            asyncio.create_task(runtime.downloads.run(), name="downloads"),
        ]
        channels = [asyncio.create_task(s.run(runtime), name=s.name) for s in services]
        try:
            done, _ = await asyncio.wait(channels, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
            # Whatever the finished channel queued last still goes out before we stop.
            await runtime.dispatcher.deliver_due()
        finally:
            await escalation.stop()
            await ops.stop()
            for task in channels + background:
                task.cancel()
            for task in channels + background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
