"""The Telegram outbox sender through the real PTB Bot and the fake: what each kind of outbox
row becomes, and how Telegram's refusals reach the dispatcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot

from bot.channels.telegram.outbox import TelegramOutboxSender
from bot.channels.telegram.sender import MAX_FLOOD_WAITS, TelegramSender
from handlers.delivery import SendError
from handlers.notify import ALERT, ALERT_UPDATE, NOTICE, PAGE, TIMELINE
from storage.outbox import Delivery
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
TEAM = "-1001234567890"
BUTTONS = [
    {"label": "Acknowledge", "value": "team:ack:INT-1", "description": ""},
    {"label": "Resolve", "value": "team:resolve:INT-1", "description": ""},
]


def row(kind: str, text: str, chat_id: str = TEAM, choices: list[Any] | None = None) -> Delivery:
    payload = {"text": text, "choices": choices or []}
    return Delivery(1, f"k-{kind}", "telegram", chat_id, None, kind, "INT-1", payload, 0)


class NoWait:
    async def __call__(self, seconds: float) -> None:
        return None


@pytest.fixture
async def outbox() -> AsyncIterator[tuple[FakeTelegramAPI, TelegramOutboxSender]]:
    async with FakeTelegramAPI() as api, Bot(api.token, base_url=api.base_url) as bot:
        yield api, TelegramOutboxSender(TelegramSender(bot, sleep=NoWait()))


async def test_alert_update_and_timeline(
    outbox: tuple[FakeTelegramAPI, TelegramOutboxSender],
) -> None:
    api, sender = outbox
    alert_id = await sender.deliver(row(ALERT, "New issue INT-1", choices=BUTTONS), None)
    assert alert_id is not None
    assert api.calls_of("sendMessage")[0].button_labels == ["Acknowledge", "Resolve"]
    edited = await sender.deliver(row(ALERT_UPDATE, "INT-1 acknowledged by Bob"), alert_id)
    assert edited == alert_id
    assert api.messages[(int(TEAM), int(alert_id))]["text"] == "INT-1 acknowledged by Bob"
    assert "reply_markup" not in api.messages[(int(TEAM), int(alert_id))]
    await sender.deliver(row(TIMELINE, "INT-1: acknowledged by Bob"), alert_id)
    timeline = api.calls_of("sendMessage")[-1]
    assert timeline.json("reply_parameters")["message_id"] == int(alert_id)


async def test_blocked_bot_is_permanent(
    outbox: tuple[FakeTelegramAPI, TelegramOutboxSender],
) -> None:
    api, sender = outbox
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(SendError) as error:
        await sender.deliver(row(NOTICE, "Your ticket was resolved", chat_id="501"), None)
    assert error.value.permanent


async def test_lasting_flood_is_handed_back_with_retry_after(
    outbox: tuple[FakeTelegramAPI, TelegramOutboxSender],
) -> None:
    api, sender = outbox
    api.flood("sendMessage", retry_after=30, times=MAX_FLOOD_WAITS + 1)
    with pytest.raises(SendError) as error:
        await sender.deliver(row(NOTICE, "Your ticket was resolved", chat_id="501"), None)
    assert error.value.retry_after == 30 and not error.value.permanent
    # The next attempt (the dispatcher's retry) goes through.
    assert await sender.deliver(row(NOTICE, "Your ticket was resolved", chat_id="501"), None)


async def test_page_mentioning_everyone_mentions_each_member_under_the_alert(
    outbox: tuple[FakeTelegramAPI, TelegramOutboxSender],
) -> None:
    api, sender = outbox
    alert_id = await sender.deliver(row(ALERT, "New issue INT-1", choices=BUTTONS), None)
    page = row(PAGE, "Level 2 page for INT-1 <critical>", choices=BUTTONS[:1])
    page.payload.update({"mention": "everyone", "mention_user_ids": ["111", "222", "x<b>"]})
    await sender.deliver(page, alert_id)
    sent = api.calls_of("sendMessage")[-1]
    assert sent.params["text"].startswith(
        '<a href="tg://user?id=111">@111</a> <a href="tg://user?id=222">@222</a>\n'
    )
    assert "&lt;critical&gt;" in sent.params["text"] and "x<b>" not in sent.params["text"]
    assert sent.json("reply_parameters")["message_id"] == int(alert_id)
    assert sent.button_labels == ["Acknowledge"]


async def test_page_without_mention_is_plain(
    outbox: tuple[FakeTelegramAPI, TelegramOutboxSender],
) -> None:
    api, sender = outbox
    await sender.deliver(row(PAGE, "Level 1 page for INT-1"), None)
    assert api.calls_of("sendMessage")[-1].params["text"] == "Level 1 page for INT-1"
