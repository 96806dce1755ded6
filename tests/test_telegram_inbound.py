"""Inbound translation from real PTB Update objects (built from the fake's update JSON)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, Update

from bot.channels.telegram.inbound import command_text, from_callback, from_message
from bot.channels.telegram.render import INDEX_PREFIX
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat

ALICE = FakeUser(501, "Alice", "Mushi", username="alice_pay")


@pytest.fixture
async def api_and_bot() -> AsyncIterator[tuple[FakeTelegramAPI, Bot]]:
    async with FakeTelegramAPI() as api, Bot(api.token, base_url=api.base_url) as bot:
        yield api, bot


def test_command_addressed_to_this_bot_loses_the_suffix() -> None:
    assert command_text("/ack@desk_bot INT-4", "desk_bot") == "/ack INT-4"
    assert command_text("/list@Desk_Bot", "desk_bot") == "/list"
    assert command_text("/reply@desk_bot\nline two", "desk_bot") == "/reply\nline two"
    assert command_text("plain text", "desk_bot") == "plain text"


async def test_private_text_becomes_incoming_with_display_name(
    api_and_bot: tuple[FakeTelegramAPI, Bot],
) -> None:
    api, bot = api_and_bot
    update = Update.de_json(api.make_text_update(ALICE, "critical"), bot)
    incoming = from_message(update.effective_message, bot.username)
    assert incoming is not None
    assert (incoming.channel, incoming.chat_id, incoming.user_id) == ("telegram", "501", "501")
    assert incoming.display_name == "Alice Mushi"
    assert incoming.text == "critical" and incoming.choice is None


async def test_group_command_uses_the_group_chat(api_and_bot: tuple[FakeTelegramAPI, Bot]) -> None:
    api, bot = api_and_bot
    group = group_chat()
    update = Update.de_json(
        api.make_text_update(ALICE, "/list@clickpesa_desk_bot critical", chat=group), bot
    )
    incoming = from_message(update.effective_message, bot.username)
    assert incoming is not None
    assert incoming.chat_id == str(group.id) and incoming.text == "/list critical"


async def test_button_press_becomes_a_choice_and_index_buttons_their_label(
    api_and_bot: tuple[FakeTelegramAPI, Bot],
) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    api, bot = api_and_bot
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Critical", callback_data="critical")],
            [InlineKeyboardButton("A very long option", callback_data=f"{INDEX_PREFIX}1")],
        ]
    )
    sent = await bot.send_message(501, "Severity?", reply_markup=markup)
    press = Update.de_json(api.make_press_update(ALICE, 501, sent.message_id, "Critical"), bot)
    incoming = from_callback(press.callback_query)
    assert incoming is not None and incoming.choice == "critical" and incoming.text == ""
    press = Update.de_json(
        api.make_press_update(ALICE, 501, sent.message_id, "A very long option"), bot
    )
    incoming = from_callback(press.callback_query)
    assert incoming is not None and incoming.choice is None
    assert incoming.text == "A very long option"
