"""The aiohttp request seam for PTB: same wire format as PTB's default, errors mapped alike."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError

from bot.channels.telegram.ordering import PerChatOrder
from bot.channels.telegram.request import AiohttpRequest
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


async def test_form_encoded_call_and_parsed_answer(api: FakeTelegramAPI) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Take", callback_data="team:take:INT-1")]])
    async with Bot(api.token, base_url=api.base_url, request=AiohttpRequest()) as bot:
        sent = await bot.send_message(-100, "a &amp; b", parse_mode="HTML", reply_markup=markup)
    call = api.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == "-100" and call.button_labels == ["Take"]
    assert sent.text == "a & b" and sent.reply_markup == markup


async def test_files_go_multipart(api: FakeTelegramAPI) -> None:
    async with Bot(api.token, base_url=api.base_url, request=AiohttpRequest()) as bot:
        sent = await bot.send_document(501, b"order,status\n1,PAID\n", filename="orders.csv")
    call = api.calls_of("sendDocument")[0]
    assert call.params["chat_id"] == "501"
    assert call.params["document"] == "<file orders.csv>"
    assert call.files["document"] == b"order,status\n1,PAID\n"
    assert sent.document is not None and sent.document.file_size == len(call.files["document"])


async def test_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    bot = Bot("1:x", base_url=f"http://127.0.0.1:{port}/bot", request=request)
    try:
        with pytest.raises(NetworkError):
            await bot.initialize()
    finally:
        await request.shutdown()


async def test_per_chat_order_keeps_a_chat_in_order_and_lets_chats_overlap() -> None:
    processor = PerChatOrder(max_concurrent_updates=8)
    user = FakeUser(501, "Alice")
    events: list[str] = []
    first_may_finish = asyncio.Event()

    def update(update_id: int, chat_id: int) -> Update:
        message = {
            "message_id": update_id,
            "date": 0,
            "text": "x",
            "from": user.to_json(),
            "chat": {"id": chat_id, "type": "private"},
        }
        return Update.de_json({"update_id": update_id, "message": message}, None)

    b1_done = asyncio.Event()

    async def work(name: str, hold: asyncio.Event | None = None) -> None:
        events.append(f"start {name}")
        if hold is not None:
            await hold.wait()
        events.append(f"end {name}")
        if name == "b1":
            b1_done.set()

    async with processor:
        tasks = [
            asyncio.create_task(
                processor.process_update(update(1, 1), work("a1", first_may_finish))
            ),
            asyncio.create_task(processor.process_update(update(2, 1), work("a2"))),
            asyncio.create_task(processor.process_update(update(3, 2), work("b1"))),
        ]
        # Chat 2 finishes while chat 1's first update is still held; chat 1's second waits.
        await asyncio.wait_for(b1_done.wait(), 5)
        assert "start a2" not in events
        first_may_finish.set()
        await asyncio.gather(*tasks)
    assert events.index("end a1") < events.index("start a2")
    assert processor._locks == {}


async def test_a_burst_from_one_chat_leaves_slots_for_the_others() -> None:
    # Issue 13, item 3: the slot was taken before the chat's lock, so a chat's queued updates
    # held every slot while they waited for their turn.
    processor = PerChatOrder(max_concurrent_updates=4)
    user = FakeUser(501, "Alice")
    hold = asyncio.Event()
    other_done = asyncio.Event()

    def update(update_id: int, chat_id: int) -> Update:
        message = {
            "message_id": update_id,
            "date": 0,
            "text": "x",
            "from": user.to_json(),
            "chat": {"id": chat_id, "type": "private"},
        }
        return Update.de_json({"update_id": update_id, "message": message}, None)

    async def flood_work() -> None:
        await hold.wait()

    async def other_work() -> None:
        other_done.set()

    async with processor:
        burst = [
            asyncio.create_task(processor.process_update(update(n, 1), flood_work()))
            for n in range(20)
        ]
        other = asyncio.create_task(processor.process_update(update(100, 2), other_work()))
        await asyncio.wait_for(other_done.wait(), 5)
        hold.set()
        await asyncio.gather(*burst, other)
