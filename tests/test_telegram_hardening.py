"""Telegram input that must not be taken for the desk's own (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.telegram.inbound import command_text
from storage.models import Status
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_commands_for_another_bot_are_not_ours() -> None:
    assert command_text("/reply@helpdesk_bot INT-1 secret", "desk_bot") is None
    assert command_text("/ack@other_bot", "desk_bot") is None
    assert command_text("/ack@ INT-1", "desk_bot") is None
    assert command_text("/ack@DESK_BOT INT-1", "desk_bot") == "/ack INT-1"


async def test_commands_addressed_to_another_bot_are_ignored(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Payout stuck")
        mark = env.api.mark()
        for text in (
            "/reply@helpdesk_bot INT-1 INTERNAL: merchant flagged for fraud review",
            "/resolve@helpdesk_bot INT-1",
            "/ack@other_bot INT-1",
        ):
            await env.deliver(env.api.make_text_update(MEMBER, text, chat=TEAM))
        await env.deliver(env.api.make_text_update(MERCHANT, "/status@other_bot INT-1"))
        await env.settled()
        await env.runtime.dispatcher.deliver_due()
        # Something the desk does answer, so the calls above had every chance to show.
        listing = await env.say(MEMBER, "/list", chat=TEAM)
        assert "INT-1" in listing.params["text"]
        said = [c for c in env.api.calls[mark:] if c.method in ("sendMessage", "editMessageText")]
        assert said == [listing], [c.params.get("text") for c in said]
        ticket = await env.ticket("INT-1")
        assert ticket.status == Status.open
        async with env.runtime.store.transaction() as tx:
            transcript = [m.text for m in await tx.tickets.messages(ticket)]
        assert not any("INTERNAL" in text for text in transcript), transcript


async def test_merchant_text_pings_nobody_in_the_team_group(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Payout stuck")
        offer = await env.say(MERCHANT, "@bob_ops please call me, or mail ops@merchant.co.tz")
        label = next(label for label in offer.button_labels if "INT-1" in label)
        mark = await env.press(MERCHANT, offer, label)
        entry = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "please call me" in c.params["text"],
            after=mark,
        )
        text = entry.params["text"]
        assert "@\u2060bob_ops" in text and "@bob_ops" not in text
        assert "ops@merchant.co.tz" in text  # e-mail addresses stay as typed
