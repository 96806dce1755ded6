"""TelegramSender through the real PTB Bot and the fake: flood waits, plain-text fallback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import Forbidden

from bot.channels.telegram.sender import TelegramSender
from handlers.events import Choice, Message
from tests.fakes.telegram_api import FakeTelegramAPI

# PTB's RetryAfter warns about its own int-vs-timedelta transition when it is constructed.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class RecordingSleep:
    """Stands in for asyncio.sleep: records the wait, spends none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url) as real_bot:
        yield real_bot


async def test_flood_control_waits_retry_after_and_delivers(api: FakeTelegramAPI, bot: Bot) -> None:
    sleep = RecordingSleep()
    api.flood("sendMessage", retry_after=3, times=2)
    ids = await TelegramSender(bot, sleep=sleep).send(501, Message("Ticket INT-1 received"))
    assert sleep.waits == [3.0, 3.0]
    statuses = [c.status for c in api.calls_of("sendMessage", ok_only=False)]
    assert statuses == [429, 429, 200]
    assert api.messages[(501, ids[0])]["text"] == "Ticket INT-1 received"


async def test_rejected_formatting_is_sent_again_as_plain_text(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unexpected")
    choices = (Choice("Confirm", "confirm"),)
    (message_id,) = await TelegramSender(bot).send(501, Message("a < b & c", choices))
    failed, plain = api.calls_of("sendMessage", ok_only=False)
    assert failed.status == 400 and failed.params["parse_mode"] == "HTML"
    assert "parse_mode" not in plain.params and plain.params["text"] == "a < b & c"
    assert plain.button_labels == ["Confirm"]
    assert api.messages[(501, message_id)]["text"] == "a < b & c"


async def test_other_errors_are_raised_for_the_caller(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden):
        await TelegramSender(bot).send(501, Message("hello"))


async def test_long_message_arrives_in_order_with_reply_on_the_first(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    sender = TelegramSender(bot)
    (alert_id,) = await sender.send(-100, Message("alert"))
    ids = await sender.send(-100, Message("word " * 2000), reply_to=alert_id)
    assert len(ids) == 3
    calls = api.calls_of("sendMessage")[1:]
    assert calls[0].json("reply_parameters")["message_id"] == alert_id
    assert all("reply_parameters" not in c.params for c in calls[1:])


async def test_edit_tolerates_not_modified_and_removes_keyboard(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    sender = TelegramSender(bot)
    (mid,) = await sender.send(501, Message("Pick", (Choice("A", "a"),)))
    await sender.edit(501, mid, "Pick\n\n<b>› A</b>", "Pick\n\n› A")
    await sender.edit(501, mid, "Pick\n\n<b>› A</b>", "Pick\n\n› A")
    assert "reply_markup" not in api.messages[(501, mid)]
    assert api.messages[(501, mid)]["text"] == "Pick\n\n› A"


async def test_answer_of_an_unknown_query_is_logged_not_raised(bot: Bot) -> None:
    await TelegramSender(bot).answer("no-such-query", "late")
