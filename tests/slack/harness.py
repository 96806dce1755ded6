"""A running Slack channel for end-to-end tests: the real Bolt app behind its real HTTP endpoint,
the real slack-sdk talking to the loopback fake, a migrated SQLite desk, and a signer that
builds requests exactly as Slack does.

Requests are real HTTP. After a request the test awaits `settle()`: the acknowledged work is
finished (counted by the bridge, no sleeping) and the outbox is delivered to the fake.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bot.channels.http_guard import HttpLimits
from bot.channels.slack.service import SlackService
from bot.config import SlackConfig
from bot.kb_config import kb_settings, open_knowledge
from handlers.attaching import AttachmentSettings
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.downloads import DownloadQueue
from storage import Database, Store
from storage.files import FileStore
from tests.databases import fresh_database_url
from tests.fakes.slack_api import FakeSlackApi, PostedMessage
from tests.fakes.slack_files import FakeSlackFiles
from tests.fakes.slack_signing import SignedRequest, SlackSigner
from tests.fakes.slack_socket import FakeSlackSocket

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SECRET = "test-signing-secret"
TEAM_CHANNEL = "CTEAM"
SHARED_CHANNEL = "CSHARED"
MERCHANT = "UMERCHANT"
MEMBER = "UMEMBER"
OUTSIDER = "UOUTSIDER"


class SlackHarness:
    def __init__(
        self,
        fake: FakeSlackApi,
        service: SlackService,
        desk: Desk,
        store: Store,
        dispatcher: OutboxDispatcher,
        clock: FakeClock,
        session: aiohttp.ClientSession,
    ) -> None:
        self.fake = fake
        self.service = service
        self.desk = desk
        self.store = store
        self.dispatcher = dispatcher
        self.clock = clock
        self.session = session
        self.signer = SlackSigner(SECRET, team_id=fake.team_id)
        self.waits: list[float] = []
        self.socket: FakeSlackSocket | None = None
        self.downloads: DownloadQueue | None = None
        self.files: FakeSlackFiles | None = None
        self._work = 0

    @property
    def url(self) -> str:
        assert self.service.http is not None
        return self.service.http.url

    async def send(self, request: SignedRequest, work: bool = True) -> tuple[int, str]:
        async with self.session.post(
            self.url, data=request.body.encode(), headers=request.headers
        ) as response:
            body = await response.text()
        if work and response.status == 200:
            self._work += 1
        return response.status, body

    async def push(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> Any:
        """Socket Mode: send one envelope and await the app's ack for it."""
        assert self.socket is not None
        ack = await asyncio.wait_for(await self.socket.push(kind, payload, retry_attempt), 10)
        self._work += 1
        return ack

    async def work_done(self) -> None:
        """All acknowledged work done (nothing sent from the outbox yet)."""
        assert self.service.bridge is not None
        await self.service.bridge.wait_finished(self._work)

    async def settle(self) -> None:
        """All acknowledged work done, then everything the desk queued delivered."""
        await self.work_done()
        if self.downloads is not None:
            await self.downloads.settle()
        await self.dispatcher.deliver_due()

    # ---- shortcuts -------------------------------------------------------------------------

    async def command(
        self, user: str, text: str, channel: str = "DMERCHANT", work: bool = True
    ) -> tuple[int, str]:
        hook = f"cmd-{len(self.fake.calls)}"
        request = self.signer.command(
            user_id=user, channel_id=channel, text=text, response_url=self.fake.response_url(hook)
        )
        return await self.send(request, work)

    async def press(
        self, user: str, message: PostedMessage, label: str, work: bool = True
    ) -> tuple[int, str]:
        for block in message.blocks:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element["text"]["text"] == label:
                    request = self.signer.block_action(
                        user_id=user,
                        channel_id=message.channel,
                        message={
                            "ts": message.ts,
                            "text": message.text,
                            "blocks": message.blocks,
                            "thread_ts": message.thread_ts,
                        },
                        action_id=element["action_id"],
                        value=element["value"],
                        block_id=block.get("block_id", ""),
                        response_url=self.fake.response_url(f"act-{len(self.fake.calls)}"),
                        label=label,
                        ephemeral=not message.ts,
                    )
                    return await self.send(request, work)
        raise AssertionError(f"no button {label!r} in {json.dumps(message.blocks)[:500]}")

    async def submit(
        self, user: str, view: dict[str, Any], values: dict[str, Any], work: bool = True
    ) -> tuple[int, str]:
        return await self.send(
            self.signer.view_submission(user_id=user, view=view, values=values), work
        )

    async def report_by_form(self, user: str, values: dict[str, Any], channel: str) -> None:
        """`/desk report` in `channel`, then the modal it opens submitted with `values`."""
        await self.command(user, "report", channel=channel)
        await self.settle()
        view = self.fake.calls_of("views.open")[-1].params["view"]
        await self.submit(user, view, values)
        await self.settle()

    async def dm(self, user: str, text: str, **event_id: Any) -> tuple[int, str]:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"1764230999.{len(self.fake.calls):06d}",
        }
        return await self.send(self.signer.event(event, **event_id))

    def posted(self, channel: str, thread_ts: str | None = None) -> list[PostedMessage]:
        return [
            m
            for m in self.fake.messages.values()
            if m.channel == channel and m.thread_ts == thread_ts
        ]

    def alert(self) -> PostedMessage:
        alerts = self.posted(TEAM_CHANNEL)
        assert len(alerts) == 1, alerts
        return alerts[0]


def report_values(
    title: str, details: str, environment: str = "env:production", severity: str = "sev:critical"
) -> dict[str, Any]:
    return {
        "title": {"value": {"type": "plain_text_input", "value": title}},
        "details": {"value": {"type": "plain_text_input", "value": details}},
        "environment": {
            "value": {"type": "static_select", "selected_option": {"value": environment}}
        },
        "severity": {"value": {"type": "static_select", "selected_option": {"value": severity}}},
    }


@asynccontextmanager
async def running_slack(
    tmp_path: Path,
    mode: str = "http",
    knowledge: bool = False,
    prefix: str = "INT",
    limits: HttpLimits | None = None,
) -> AsyncIterator[SlackHarness]:
    fake = FakeSlackApi(token=TOKEN)
    socket = FakeSlackSocket(fake, APP_TOKEN)
    shared_files = FakeSlackFiles(fake)
    async with fake, aiohttp.ClientSession() as session:
        fake.add_user(MERCHANT, "amina", "Amina Mushi")
        fake.add_user(MEMBER, "juma", "Juma Team")
        fake.add_user(OUTSIDER, "eve", "Eve Outsider")
        fake.add_channel(TEAM_CHANNEL, "integration-team")
        fake.add_channel(SHARED_CHANNEL, "clickpesa-merchant", is_ext_shared=True)
        config = SlackConfig(
            bot_token=TOKEN,
            signing_secret=SECRET,
            app_token=APP_TOKEN,
            mode=mode,
            port=0,
            api_base_url=fake.base_url,
            team_channel=TEAM_CHANNEL,
        )
        waits: list[float] = []

        async def record_wait(seconds: float) -> None:
            waits.append(seconds)

        service = SlackService(config, sleep=record_wait, limits=limits)
        database = Database(await fresh_database_url(tmp_path))
        await database.upgrade()
        clock = FakeClock()
        store = Store(database, prefix)
        dispatcher = OutboxDispatcher(store, {"slack": service.sender}, clock)
        files = FileStore(tmp_path / "attachments")
        service.sender.use_files(files)
        desk = Desk(
            store,
            DeskSettings(members=frozenset({f"slack:{MEMBER}"}), reference_prefix=prefix),
            team_targets=service.team_targets(),
            clock=clock,
            on_outbox=dispatcher.wake,
            # The shipped knowledge base, for the tests of answers; off otherwise.
            knowledge=open_knowledge(kb_settings({})) if knowledge else None,
            files=files,
        )
        downloads = DownloadQueue(
            store, {"slack": service.fetcher}, files, clock, desk.notifier, AttachmentSettings()
        )
        await asyncio.wait_for(service.start(desk, store), 10)
        harness = SlackHarness(fake, service, desk, store, dispatcher, clock, session)
        harness.waits = waits
        harness.socket = socket
        harness.downloads = downloads
        harness.files = shared_files
        if mode == "socket":
            await asyncio.wait_for(socket.connected.wait(), 10)
        try:
            yield harness
        finally:
            await service.stop()
            await database.close()


def buttons(message: PostedMessage) -> list[str]:
    return [
        e["text"]["text"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    ]
