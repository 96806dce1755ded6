"""Webhook mode: Telegram POSTs updates to the desk; the secret token header is required."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.telegram_harness import MERCHANT, TEAM, WEBHOOK_SECRET, desk_on_telegram

# A question the knowledge base has no answer for, so it becomes a ticket.
UNKNOWN_QUESTION = "/ask Can we change the colour of our invoice PDF?"

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_webhook_is_registered_with_its_secret_and_polling_is_off(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        registered = env.api.calls_of("setWebhook")[0]
        assert registered.params["url"] == "https://desk.example.com/telegram/hook"
        assert registered.params["secret_token"] == WEBHOOK_SECRET
        assert registered.json("allowed_updates") == ["message", "callback_query"]
        assert env.api.calls_of("getUpdates", ok_only=False) == []


async def test_requests_without_the_right_secret_get_403_and_are_not_processed(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        assert env.service.webhook is not None
        url = env.service.webhook.local_url
        mark = env.api.mark()
        forged = env.api.make_text_update(MERCHANT, "/ask forged question")
        assert await env.api.post_to_webhook(forged, None, url) == 403
        assert await env.api.post_to_webhook(forged, "wrong-secret", url) == 403
        assert await env.api.post_to_webhook(forged, WEBHOOK_SECRET[:-1], url) == 403
        await env.settled()
        assert env.api.calls[mark:] == []
        assert await env.ticket_count() == 0

        genuine = env.api.make_text_update(MERCHANT, "/ask Can you add our shop logo to receipts?")
        assert await env.api.post_to_webhook(genuine, WEBHOOK_SECRET, url) == 200
        answer = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in answer.params["text"]
        assert await env.ticket_count() == 1


async def test_webhook_full_report_by_buttons(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        alert = await env.report(MERCHANT, "Payouts REVERSED since noon")
        assert alert.button_labels == ["Acknowledge", "Take", "Resolve"]


async def test_redelivered_webhook_update_is_handled_once(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        update = env.api.make_text_update(MERCHANT, UNKNOWN_QUESTION)
        mark = env.api.mark()
        await env.deliver(update)
        await env.answer(MERCHANT.id, after=mark)
        await env.alert_linked(await env.answer(TEAM.id, after=mark))
        await env.deliver(update)  # Telegram retries when it missed our 200
        await env.settled()
        await env.runtime.dispatcher.deliver_due()
        assert await env.ticket_count() == 1
        sent = env.api.calls_of("sendMessage", after=mark)
        assert [c.chat_id for c in sent] == [MERCHANT.id, TEAM.id]


async def test_malformed_bodies_are_rejected(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env:
        assert env.service.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with aiohttp.ClientSession() as session:
            for body in (b"not json", b"[1, 2]", b'{"no_update_id": true}'):
                async with session.post(
                    env.service.webhook.local_url, data=body, headers=headers
                ) as response:
                    assert response.status == 400
