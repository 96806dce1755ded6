"""The platforms' side of the reliability runs: merchants reporting an issue on Telegram (polling
or webhook) or in a Slack DM, delivered the way each platform delivers, through a desk process
that may die and come back at any moment.

Each merchant's report is seven steps (report, title, details, Continue past files, environment,
severity, Confirm), each awaited on the answer it must produce, recognised by its content, so an
answer sent twice after a crash is never taken for the next one.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.fakes.slack_api import FakeSlackApi, PostedMessage
from tests.fakes.slack_signing import SignedRequest, SlackSigner
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat
from tests.reliability.harness import WAIT, DeskProcess

TEAM = group_chat(-1009876543210, "Integration team")
WEBHOOK_SECRET = "reliability-secret_0123456789"
SLACK_SECRET = "reliability-signing-secret"
SLACK_TEAM = "CTEAMREL"
DETAILS = "Every call since 09:00 answers 500, request id r-42"
TITLE_PROMPT = "In one line, what is wrong"
DETAILS_PROMPT = "What happened?"
FILED = "Your issue is logged as"


def telegram_tables(api: FakeTelegramAPI, mode: str, port: int) -> str:
    webhook = (
        f"""mode = "webhook"
webhook_url = "https://desk.example.com/telegram/webhook"
listen = "127.0.0.1"
port = {port}
webhook_secret = "{WEBHOOK_SECRET}"
"""
        if mode == "webhook"
        else 'mode = "polling"\n'
    )
    return f"""
[telegram]
token = "{api.token}"
api_base_url = "{api.api_base_url}"
team_chat_id = {TEAM.id}
{webhook}"""


def slack_tables(fake: FakeSlackApi, port: int) -> str:
    return f"""
[slack]
bot_token = "{fake.token}"
signing_secret = "{SLACK_SECRET}"
mode = "http"
listen = "127.0.0.1"
port = {port}
api_base_url = "{fake.base_url}"
team_channel = "{SLACK_TEAM}"
"""


@dataclass
class TelegramMerchants:
    api: FakeTelegramAPI
    desk: DeskProcess
    mode: str
    port: int

    def user(self, number: int) -> FakeUser:
        return FakeUser(700 + number, f"Merchant{number}")

    async def until(self, check: Callable[[], bool]) -> None:
        """Until `check()` holds, evaluated again after every call the fake records."""
        changed = self.api._changed
        async with changed:
            await asyncio.wait_for(changed.wait_for(check), WAIT)

    async def deliver(self, update: dict[str, Any]) -> None:
        """As Telegram: polling keeps the update until a getUpdates confirms it; a webhook
        update is POSTed again until the desk answers 200."""
        if self.mode == "polling":
            await self.api.push_update(update)
            return
        url = f"http://127.0.0.1:{self.port}/telegram/webhook"
        while True:
            generation = self.desk.generation
            try:
                status = await self.api.post_to_webhook(update, WEBHOOK_SECRET, url)
            except aiohttp.ClientError:
                status = 0
            if status == 200:
                return
            await self.desk.back_since(generation)

    async def answer(self, user: FakeUser, after: int, check: Callable[[ApiCall], bool]) -> ApiCall:
        return await self.api.wait_call(
            "sendMessage", lambda c: c.chat_id == user.id and check(c), after=after, timeout=WAIT
        )

    async def say(self, user: FakeUser, text: str, check: Callable[[ApiCall], bool]) -> ApiCall:
        mark = self.api.mark()
        await self.deliver(self.api.make_text_update(user, text))
        return await self.answer(user, mark, check)

    async def press(
        self, user: FakeUser, message: ApiCall, label: str, check: Callable[[ApiCall], bool]
    ) -> ApiCall:
        mark = self.api.mark()
        await self.press_only(user, message, label)
        return await self.answer(user, mark, check)

    async def press_only(self, user: FakeUser, message: ApiCall, label: str) -> None:
        message_id = message.response["result"]["message_id"]
        await self.deliver(self.api.make_press_update(user, user.id, message_id, label))

    async def to_summary(self, user: FakeUser, severity: str = "Major") -> ApiCall:
        """Report, title, details, environment, severity: the summary with its Confirm button."""
        await self.say(user, "/report", lambda c: TITLE_PROMPT in c.params["text"])
        await self.say(user, f"Payouts stuck for {user.first_name}", _text(DETAILS_PROMPT))
        question = await self.say(user, DETAILS, _buttons("Continue"))
        question = await self.press(user, question, "Continue", _buttons("Production"))
        question = await self.press(user, question, "Production", _buttons(severity))
        return await self.press(user, question, severity, _buttons("Confirm"))

    async def confirm(self, user: FakeUser, summary: ApiCall) -> ApiCall:
        return await self.press(user, summary, "Confirm", _text(FILED))

    async def report(self, user: FakeUser) -> None:
        await self.confirm(user, await self.to_summary(user))

    def sent(self) -> list[tuple[str, str]]:
        return [(str(c.chat_id), c.params["text"]) for c in self.api.calls_of("sendMessage")]

    def confirmations(self, user: FakeUser) -> int:
        return sum(chat == str(user.id) and FILED in text for chat, text in self.sent())

    def alerts(self) -> int:
        return sum(
            c.chat_id == TEAM.id and "Acknowledge" in c.button_labels
            for c in self.api.calls_of("sendMessage")
        )


def _text(part: str) -> Callable[[ApiCall], bool]:
    return lambda call: part in call.params["text"]


def _buttons(label: str) -> Callable[[ApiCall], bool]:
    return lambda call: label in call.button_labels


_event_ids = itertools.count(1)


@dataclass
class SlackMerchants:
    fake: FakeSlackApi
    desk: DeskProcess
    port: int
    session: aiohttp.ClientSession
    signer: SlackSigner = field(init=False)

    def __post_init__(self) -> None:
        self.signer = SlackSigner(SLACK_SECRET, team_id=self.fake.team_id)

    def user(self, number: int) -> str:
        user = f"UMERCH{number:03d}"
        self.fake.add_user(user, f"merchant{number}", f"Merchant {number}")
        return user

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def until(self, check: Callable[[], bool]) -> None:
        """Until `check()` holds, evaluated again after every call the fake records."""
        await self.fake.wait_until(check, WAIT)

    async def _post(self, request: SignedRequest) -> int:
        try:
            async with self.session.post(
                self.url, data=request.body.encode(), headers=request.headers
            ) as response:
                await response.read()
                return response.status
        except aiohttp.ClientError:
            return 0

    async def deliver(self, build: Callable[[int], SignedRequest]) -> None:
        """As Slack and its users: a request that got no 200 is sent again once the desk is
        back (`build(attempt)`: an event again with its event_id, a press pressed again)."""
        attempt = 0
        while True:
            generation = self.desk.generation
            if await self._post(build(attempt)) == 200:
                return
            attempt += 1
            await self.desk.back_since(generation)

    def posted(self, user: str) -> list[PostedMessage]:
        return [m for m in self.fake.messages.values() if m.channel == f"D{user}"]

    async def answer(self, user: str, before: int, check: Callable[[PostedMessage], bool]) -> Any:
        """The first message posted in the DM after the first `before` that passes `check`, as
        first posted (a copy: the person's screen keeps its buttons until it is updated)."""

        def found() -> PostedMessage | None:
            return next((m for m in self.posted(user)[before:] if check(m)), None)

        message = await self.fake.wait_until(found, WAIT)
        return copy.deepcopy(message)

    async def say(self, user: str, text: str, check: Callable[[PostedMessage], bool]) -> Any:
        before = len(self.posted(user))
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"1764230999.{next(_event_ids):06d}",
        }
        event_id = f"EvREL{next(_event_ids):08d}"

        def build(attempt: int) -> SignedRequest:
            return self.signer.event(event, event_id=event_id, retry_num=attempt or None)

        await self.deliver(build)
        return await self.answer(user, before, check)

    async def press(
        self, user: str, message: PostedMessage, label: str, check: Callable[[PostedMessage], bool]
    ) -> Any:
        before = len(self.posted(user))
        await self.press_only(user, message, label)
        return await self.answer(user, before, check)

    async def press_only(self, user: str, message: PostedMessage, label: str) -> None:
        block, element = _button(message, label)

        def build(attempt: int) -> SignedRequest:
            return self.signer.block_action(
                user_id=user,
                channel_id=message.channel,
                message={"ts": message.ts, "text": message.text, "blocks": message.blocks},
                action_id=element["action_id"],
                value=element["value"],
                block_id=block.get("block_id", ""),
                response_url=self.fake.response_url(f"press-{next(_event_ids)}"),
                label=label,
            )

        await self.deliver(build)

    async def to_summary(self, user: str) -> Any:
        await self.say(user, "report", lambda m: TITLE_PROMPT in m.text)
        await self.say(user, f"Payouts stuck for {user}", lambda m: DETAILS_PROMPT in m.text)
        question = await self.say(user, DETAILS, _has("Continue"))
        question = await self.press(user, question, "Continue", _has("Production"))
        question = await self.press(user, question, "Production", _has("Major"))
        return await self.press(user, question, "Major", _has("Confirm"))

    async def confirm(self, user: str, summary: PostedMessage) -> Any:
        return await self.press(user, summary, "Confirm", lambda m: FILED in m.text)

    async def report(self, user: str) -> None:
        await self.confirm(user, await self.to_summary(user))

    def sent(self) -> list[tuple[str, str]]:
        return [
            (str(c.params.get("channel")), str(c.params.get("text")))
            for c in self.fake.calls_of("chat.postMessage")
        ]

    def confirmations(self, user: str) -> int:
        return sum(chat == f"D{user}" and FILED in text for chat, text in self.sent())

    def alerts(self) -> int:
        return sum(
            c.params.get("channel") == SLACK_TEAM and not c.params.get("thread_ts")
            for c in self.fake.calls_of("chat.postMessage")
        )


def _labels(message: PostedMessage) -> list[str]:
    return [
        e["text"]["text"]
        for b in message.blocks
        if b.get("type") == "actions"
        for e in b.get("elements", [])
    ]


def _has(label: str) -> Callable[[PostedMessage], bool]:
    return lambda message: label in _labels(message)


def _button(message: PostedMessage, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in message.blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["text"]["text"] == label:
                return block, element
    raise AssertionError(f"no button {label!r} in {json.dumps(message.blocks)[:300]}")
