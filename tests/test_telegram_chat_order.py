"""One chat's updates are handled one at a time, in order, by polling and by the webhook alike
(the engine's conversation state is read and written per update: two at once would lose one's
step, which is what the program test's "changed meanwhile" was). An update that keeps failing is
given up on after a bounded number of tries, with its sender told, instead of stalling polling."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import service as telegram_service
from handlers.events import Incoming, Message
from tests.fakes.telegram_objects import FakeUser
from tests.telegram_harness import MERCHANT, WEBHOOK_SECRET, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_chats_second_update_waits_for_its_first(tmp_path: Path, mode: str) -> None:
    async with desk_on_telegram(tmp_path, mode=mode) as env:
        desk = env.runtime.desk
        handle = desk.handle
        started: list[str] = []
        entered, release = asyncio.Event(), asyncio.Event()

        async def gated(incoming: Incoming, *args: Any) -> list[Message]:
            started.append(incoming.text)
            if incoming.text == "/report":
                entered.set()
                await release.wait()
            return await handle(incoming, *args)

        desk.handle = gated  # type: ignore[method-assign]
        first = env.api.make_text_update(MERCHANT, "/report")
        second = env.api.make_text_update(MERCHANT, "Payouts stuck")
        other = FakeUser(502, "Other")
        mark = env.api.mark()
        if mode == "polling":
            await env.api.push_update(first)
            await entered.wait()
            await env.api.push_update(second)
            await env.api.push_text(other, "/start")
        else:
            assert env.service.webhook is not None
            url = env.service.webhook.local_url
            posts = [
                asyncio.create_task(env.api.post_to_webhook(first, WEBHOOK_SECRET, url)),
            ]
            await entered.wait()
            posts.append(asyncio.create_task(env.api.post_to_webhook(second, WEBHOOK_SECRET, url)))
            await env.api.post_to_webhook(
                env.api.make_text_update(other, "/start"), WEBHOOK_SECRET, url
            )
        # Another chat is answered meanwhile, so the second update of the first chat has had
        # every chance to start...
        await env.api.wait_call("sendMessage", lambda c: c.chat_id == other.id, after=mark)
        # ...and has not: it waits for the first.
        assert started == ["/report", "/start"]
        release.set()
        await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "What happened" in c.params["text"],
            after=mark,
        )
        if mode == "webhook":
            assert await asyncio.gather(*posts) == [200, 200]
        assert started == ["/report", "/start", "Payouts stuck"]
        # The title reached the report flow at its title step, not a flow that had not begun.
        async with env.runtime.store.transaction() as tx:
            state = await tx.conversations.load("telegram", str(MERCHANT.id), str(MERCHANT.id))
        assert state.flow == "report" and state.data.get("title") == "Payouts stuck"


async def test_an_update_that_keeps_failing_is_given_up_on_and_its_sender_told(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        desk = env.runtime.desk
        handle = desk.handle
        tries: list[str] = []

        async def broken(incoming: Incoming, *args: Any) -> list[Message]:
            if incoming.text == "/mytickets":
                tries.append(incoming.text)
                raise RuntimeError("database away")
            return await handle(incoming, *args)

        desk.handle = broken  # type: ignore[method-assign]
        caplog.set_level(logging.WARNING)
        mark = env.api.mark()
        update = await env.api.push_text(MERCHANT, "/mytickets")
        sorry = await env.answer(MERCHANT.id, after=mark)
        assert "something went wrong" in sorry.params["text"]
        assert len(tries) == telegram_service.ATTEMPTS
        # Pauses between tries grow; there is none after the last.
        pause = telegram_service.RETRY_PAUSE
        assert env.sleep.waits[-3:] == [pause, 2 * pause, 4 * pause]
        dead = [r for r in caplog.records if "dead-lettered" in r.getMessage()]
        assert len(dead) == 1 and dead[0].levelno == logging.ERROR
        assert str(update["update_id"]) in dead[0].getMessage()
        # Polling goes on past it: the next update is answered and nothing is left pending.
        answer = await env.say(MERCHANT, "/start")
        assert "integration desk" in answer.params["text"]
        await env.settled()
        polls = env.api.long_polls
        await env.api.wait_long_poll(after=polls - 1)
        assert update["update_id"] not in env.api.pending_update_ids()
