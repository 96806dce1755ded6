"""Telegram updates are confirmed only once handled: the offset never passes an update still in
progress, a press survives Telegram failing to take its callback answer, and a second polling
process is refused with one clear message."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.polling import AlreadyPolling
from bot.channels.telegram.service import TelegramService
from handlers.events import Incoming, Message
from tests.fakes.telegram_objects import FakeUser
from tests.telegram_harness import MERCHANT, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_the_offset_never_passes_an_update_still_being_handled(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        desk = env.runtime.desk
        entered, release = asyncio.Event(), asyncio.Event()
        handle = desk.handle

        async def slow(incoming: Incoming, *args: Any) -> list[Message]:
            if incoming.chat_id == str(MERCHANT.id):
                entered.set()
                await release.wait()
            return await handle(incoming, *args)

        desk.handle = slow  # type: ignore[method-assign]
        update = await env.api.push_text(MERCHANT, "/mytickets")
        await entered.wait()
        mark = env.api.mark()
        await env.api.push_text(FakeUser(502, "Other"), "/start")
        # The other merchant's update is fetched and answered meanwhile...
        await env.api.wait_call("sendMessage", lambda c: c.chat_id == 502, after=mark)
        offsets = [int(c.params.get("offset", 0)) for c in env.api.calls_of("getUpdates")]
        # ...but nothing confirmed the slow update: no getUpdates asked from past it.
        assert max(offsets) <= update["update_id"]
        polls = env.api.long_polls
        release.set()
        await env.answer(MERCHANT.id, after=mark)
        # Once it is done, the next getUpdates confirms both: Telegram has nothing pending and
        # the bot waits for news.
        await env.api.wait_long_poll(after=polls)
        assert env.api.pending_update_ids() == []


async def test_a_press_survives_telegram_failing_its_callback_answer(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payouts stuck")
        question = await env.past_files(
            MERCHANT, await env.say(MERCHANT, "Every payout stays PROCESSING")
        )
        mark = await env.press(MERCHANT, question, "Production")
        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        mark = await env.press(MERCHANT, severity, "Critical")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        # Telegram's gateway fails the button's answer and the edit of the pressed message.
        env.api.fail_next("answerCallbackQuery", 502, "Bad Gateway", times=3)
        env.api.fail_next("editMessageText", 502, "Bad Gateway", times=3)
        mark = await env.press(MERCHANT, summary, "Confirm")
        thanks = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in thanks.params["text"]
        await env.settled()
        assert await env.ticket_count() == 1
        assert env.api.calls_of("answerCallbackQuery", after=mark, ok_only=False)


async def test_a_second_polling_process_is_refused_with_one_message(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        # The first has polled (as any poller running for one long-poll timeout has): when the
        # newcomer's getUpdates ends its open one with 409, it polls again instead of stopping.
        await env.say(MERCHANT, "/start")
        second = TelegramService(dataclasses.replace(env.config.telegram, port=0))
        with pytest.raises(AlreadyPolling) as refused:
            await asyncio.wait_for(second.run(env.runtime), 10)
        assert refused.value.key == "telegram.mode"
        assert "409" in str(refused.value) and "webhook" in str(refused.value)
        # The first process goes on answering.
        answer = await env.say(MERCHANT, "/start")
        assert "integration desk" in answer.params["text"]
