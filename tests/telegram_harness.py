"""The whole desk on Telegram for end-to-end tests: the real TelegramService (real PTB) polling
or serving a webhook against the fake Bot API, a real SQLite database, the outbox dispatcher
running, a FakeClock and a sleep that records flood waits instead of spending them."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.app import Runtime, open_runtime
from bot.channels.telegram.service import TelegramService
from bot.config import Config, parse_config
from handlers.clock import FakeClock
from storage.models import Ticket
from tests.databases import fresh_database_url
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat

MERCHANT = FakeUser(501, "Alice", "Mushi", username="alice_pay")
MEMBER = FakeUser(9001, "Bob", "Ops", username="bob_ops")
OUTSIDER = FakeUser(9002, "Eve", username="eve")
TEAM = group_chat(-1001234567890, "ClickPesa integration team")
WEBHOOK_SECRET = "hook-secret_0123456789"


class RecordingSleep:
    """Stands in for asyncio.sleep in the sender: records the wait, spends none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class DeskOnTelegram:
    api: FakeTelegramAPI
    runtime: Runtime
    service: TelegramService
    config: Config
    sleep: RecordingSleep
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    committed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        event.listen(self.runtime.database.engine.sync_engine, "commit", self._on_commit)

    async def say(self, user: FakeUser, text: str, **kwargs: Any) -> ApiCall:
        """`user` types `text` (in their private chat unless `chat=`); returns the first answer."""
        chat = kwargs.get("chat") or user.private_chat
        mark = self.api.mark()
        await self.deliver(self.api.make_text_update(user, text, **kwargs))
        return await self.answer(chat.id, after=mark)

    async def press(self, user: FakeUser, answer: ApiCall, label: str) -> int:
        """`user` taps `label` on the message `answer` posted; returns a call-log mark."""
        message_id = answer.response["result"]["message_id"]
        mark = self.api.mark()
        await self.deliver(self.api.make_press_update(user, answer.chat_id, message_id, label))
        return mark

    async def deliver(self, update: dict[str, Any]) -> None:
        if self.config.telegram.mode == "webhook":
            assert self.service.webhook is not None
            status = await self.api.post_to_webhook(
                update, WEBHOOK_SECRET, self.service.webhook.local_url
            )
            assert status == 200
        else:
            await self.api.push_update(update)

    async def answer(self, chat_id: int, *, after: int, with_buttons: str | None = None) -> ApiCall:
        return await self.api.wait_call(
            "sendMessage",
            lambda c: (
                c.chat_id == chat_id and (with_buttons is None or with_buttons in c.button_labels)
            ),
            after=after,
        )

    async def past_files(self, user: FakeUser, offer: ApiCall, label: str = "Continue") -> ApiCall:
        """Continue past the report's optional files step; returns the environment question."""
        mark = await self.press(user, offer, label)
        return await self.answer(user.id, after=mark, with_buttons=None)

    async def report(self, user: FakeUser, title: str, severity: str = "Critical") -> ApiCall:
        """A full report by buttons; returns the team alert it produced."""
        await self.say(user, "/report")
        await self.say(user, title)
        question = await self.say(user, "Payments fail with 500 since 09:00, request id r-77")
        mark = await self.press(user, question, "Continue")
        question = await self.answer(user.id, after=mark, with_buttons="Production")
        mark = await self.press(user, question, "Production")
        question = await self.answer(user.id, after=mark, with_buttons=severity)
        mark = await self.press(user, question, severity)
        summary = await self.answer(user.id, after=mark, with_buttons="Confirm")
        mark = await self.press(user, summary, "Confirm")
        alert = await self.answer(TEAM.id, after=mark, with_buttons="Resolve")
        await self.alert_linked(alert)
        return alert

    async def alert_linked(self, alert: ApiCall) -> str:
        """The reference of the ticket a posted message (alert, timeline entry, page) belongs to,
        once the dispatcher has recorded its message id after Telegram answered. Woken by
        commits."""
        message_id = str(alert.response["result"]["message_id"])
        while True:
            committed = self.committed
            async with self.runtime.store.transaction() as tx:
                ticket = await tx.tickets.by_platform_message("telegram", str(TEAM.id), message_id)
            if ticket is not None:
                return ticket.reference
            await asyncio.wait_for(committed.wait(), 5.0)

    async def retry_recorded(self) -> None:
        """Until the outbox has recorded a failed try (a row waiting for its retry)."""
        while True:
            committed = self.committed
            async with self.runtime.store.transaction() as tx:
                rows = await tx.outbox.items()
            if any(row.status == "pending" and row.attempts for row in rows):
                return
            await asyncio.wait_for(committed.wait(), 5.0)

    def _on_commit(self, _connection: object) -> None:
        self.committed.set()
        self.committed = asyncio.Event()

    async def settled(self) -> None:
        """Until every update the service has received is fully handled."""
        await asyncio.wait_for(self.service.idle(), 5.0)

    async def ticket(self, reference: str) -> Ticket:
        async with self.runtime.store.transaction() as tx:
            ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return ticket

    async def ticket_count(self) -> int:
        async with self.runtime.store.transaction() as tx:
            return await tx.tickets.count()

    async def start_service(self, *, fresh: bool = False) -> None:
        """Start the Telegram channel; `fresh` builds a new one, as a process restart would,
        on the same database."""
        if fresh:
            self.service = TelegramService(_with_port_zero(self.config), sleep=self.sleep)
            self.runtime.dispatcher.senders["telegram"] = self.service.sender
            self.runtime.downloads.fetchers["telegram"] = self.service.fetcher
            self.service.sender.use_files(self.runtime.desk.files)  # type: ignore[arg-type]
        mark, polls = self.api.mark(), self.api.long_polls
        self.tasks.append(asyncio.create_task(self.service.run(self.runtime)))
        if self.config.telegram.mode == "webhook":
            await self.api.wait_call("setWebhook", after=mark)
        else:
            await self.api.wait_long_poll(after=polls)

    async def stop_service(self) -> None:
        task = self.tasks.pop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            # A stop that hangs fails the test instead of stalling the suite.
            await asyncio.wait_for(task, 10.0)


def _with_port_zero(config: Config) -> Any:
    # The config refuses port 0; tests bind the webhook server to a free port all the same.
    return dataclasses.replace(config.telegram, port=0)


@asynccontextmanager
async def desk_on_telegram(
    tmp_path: Path,
    *,
    mode: str = "polling",
    members: tuple[FakeUser, ...] = (MEMBER,),
    extra: dict[str, Any] | None = None,
) -> AsyncIterator[DeskOnTelegram]:
    """`extra` adds config tables (e.g. `{"kb": {"path": ...}}`)."""
    async with FakeTelegramAPI() as api:
        telegram: dict[str, Any] = {
            "token": api.token,
            "api_base_url": api.api_base_url,
            "team_chat_id": TEAM.id,
            "mode": mode,
        }
        if mode == "webhook":
            telegram |= {
                "webhook_url": "https://desk.example.com/telegram/hook",
                "listen": "127.0.0.1",
                "webhook_secret": WEBHOOK_SECRET,
            }
        raw = {
            "desk": {"database_url": await fresh_database_url(tmp_path)},
            "team": {"members": [f"telegram:{m.id}" for m in members]},
            "telegram": telegram,
            "attachments": {"path": str(tmp_path / "attachments")},
            **(extra or {}),
        }
        config = parse_config(raw, env={})
        sleep = RecordingSleep()
        service = TelegramService(_with_port_zero(config), sleep=sleep)
        targets = service.team_targets()
        senders = {"telegram": service.sender}
        fetchers = {"telegram": service.fetcher}
        async with open_runtime(
            config, senders, targets, FakeClock(), fetchers=fetchers
        ) as runtime:
            env = DeskOnTelegram(api, runtime, service, config, sleep)
            dispatcher = asyncio.create_task(runtime.dispatcher.run())
            downloads = asyncio.create_task(runtime.downloads.run())
            try:
                await env.start_service()
                yield env
            finally:
                while env.tasks:
                    await env.stop_service()
                for task in (dispatcher, downloads):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
