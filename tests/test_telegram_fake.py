"""The fake Bot API against the real python-telegram-bot Bot: if these pass, the fake speaks the
wire format PTB uses, so the adapter tests that run on it mean something."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat

ALICE = FakeUser(501, "Alice", "Mushi", username="alice_pay")

# PTB's RetryAfter warns about its own int-vs-timedelta transition when it is constructed.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url) as real_bot:
        yield real_bot


async def test_get_me_is_called_on_initialize_and_answers_a_bot_user(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    assert bot.username == "clickpesa_desk_bot"
    assert api.calls[0].method == "getMe"


async def test_send_message_is_form_encoded_with_reply_markup_as_json_text(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Critical", callback_data="sev:critical")]]
    )
    sent = await bot.send_message(
        501, "<b>Hi</b> &amp; welcome", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    call = api.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == "501"
    assert call.params["parse_mode"] == "HTML"
    assert isinstance(call.params["reply_markup"], str)
    assert call.button_labels == ["Critical"]
    assert sent.message_id == 1
    assert sent.text == "Hi & welcome"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == markup


async def test_bad_html_is_rejected_like_telegram(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(501, "title <script>", parse_mode=ParseMode.HTML)


async def test_over_long_text_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(501, "x" * 4097)


async def test_injected_errors_map_to_ptb_exceptions(api: FakeTelegramAPI, bot: Bot) -> None:
    api.flood("sendMessage", retry_after=7)
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(501, "one")
    assert flood.value.retry_after in (7, __import__("datetime").timedelta(seconds=7))
    with pytest.raises(Forbidden):
        await bot.send_message(501, "two")
    await bot.send_message(501, "three")
    assert [c.status for c in api.calls_of("sendMessage", ok_only=False)] == [429, 403, 200]


async def test_wrong_token_is_unauthorized(api: FakeTelegramAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=api.base_url):
            pass


async def test_get_updates_long_polls_until_an_update_is_pushed(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    import asyncio

    polling = asyncio.create_task(bot.get_updates(timeout=30))
    await api.wait_call("getMe")
    pushed = await api.push_text(ALICE, "hello")
    updates = await asyncio.wait_for(polling, 5)
    assert [u.update_id for u in updates] == [pushed["update_id"]]
    assert updates[0].message.text == "hello"
    assert updates[0].effective_user.full_name == "Alice Mushi"
    # Asking from the next offset confirms it; an empty poll with timeout 0 returns at once.
    assert await bot.get_updates(offset=pushed["update_id"] + 1, timeout=0) == ()


async def test_press_edit_and_answer_callback(api: FakeTelegramAPI, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Take", callback_data="take:1")]])
    group = group_chat()
    await api.push_text(ALICE, "/list", chat=group)
    sent = await bot.send_message(group.id, "alert", reply_markup=markup)
    await api.press(ALICE, group.id, sent.message_id, label="Take")
    first, press = await bot.get_updates(offset=0, timeout=0)
    assert first.message is not None and first.message.text == "/list"
    assert first.message.entities[0].type == "bot_command"
    assert [u.update_id for u in await bot.get_updates(offset=press.update_id, timeout=0)] == [
        press.update_id
    ]
    query = press.callback_query
    assert query.data == "take:1" and query.message.message_id == sent.message_id
    assert await query.answer("Taken")
    edited = await bot.edit_message_text(
        "alert: taken", chat_id=group.id, message_id=sent.message_id
    )
    assert edited.text == "alert: taken" and edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("alert: taken", chat_id=group.id, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("again")
    with pytest.raises(AssertionError):
        await api.press(ALICE, group.id, sent.message_id, label="Take")


async def test_commands_and_webhook_methods(api: FakeTelegramAPI, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("report", "Report an issue")])
    assert api.commands["default"] == [{"command": "report", "description": "Report an issue"}]
    assert await bot.set_webhook("https://desk.example/tg", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://desk.example/tg"
    assert api.webhook["secret_token"] == "s3cret"
    with pytest.raises(Exception, match="Conflict"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_edit_reply_markup_replaces_or_removes_the_keyboard(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    first = InlineKeyboardMarkup([[InlineKeyboardButton("Ack", callback_data="a")]])
    second = InlineKeyboardMarkup([[InlineKeyboardButton("Resolve", callback_data="r")]])
    sent = await bot.send_message(-100, "alert", reply_markup=first)
    edited = await bot.edit_message_reply_markup(-100, sent.message_id, reply_markup=second)
    assert edited.reply_markup == second and edited.text == "alert"
    await bot.edit_message_reply_markup(-100, sent.message_id)
    assert "reply_markup" not in api.messages[(-100, sent.message_id)]
