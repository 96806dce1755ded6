"""The team group on Telegram: commands, replies to alerts, follow-ups threaded under alerts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage.models import Status
from tests.fakes.telegram_api import ApiCall
from tests.fakes.telegram_objects import group_chat
from tests.telegram_harness import MEMBER, MERCHANT, OUTSIDER, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def alert_id(alert: ApiCall) -> int:
    return int(alert.response["result"]["message_id"])


async def test_team_commands_work_in_the_group(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Payout stuck in PROCESSING")
        listing = await env.say(MEMBER, "/list@clickpesa_desk_bot critical", chat=TEAM)
        assert "INT-1" in listing.params["text"]
        assert "Payout stuck in PROCESSING" in listing.params["text"]
        mark = env.api.mark()
        resolved = await env.say(MEMBER, "/resolve INT-1 fixed the callback URL", chat=TEAM)
        assert "INT-1 resolved by Bob Ops" in resolved.params["text"]
        told = await env.answer(MERCHANT.id, after=mark)
        assert "resolved" in told.params["text"] and "fixed the callback URL" in told.params["text"]
        edited = await env.api.wait_call(
            "editMessageText", lambda c: c.chat_id == TEAM.id, after=mark
        )
        assert "resolved by Bob Ops" in edited.params["text"]
        assert edited.button_labels == ["Reopen"]


async def test_team_commands_from_non_members_are_refused(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Checksum mismatch")
        refused = await env.say(OUTSIDER, "/ack INT-1", chat=TEAM)
        assert "integration team only" in refused.params["text"]
        assert (await env.ticket("INT-1")).status == Status.open


async def test_reply_to_an_alert_is_an_internal_note(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Webhook not received")
        mark = env.api.mark()
        confirm = await env.say(
            MEMBER, "Their endpoint answers 302, asked infra", chat=TEAM, reply_to=alert_id(alert)
        )
        assert "Internal note added to INT-1" in confirm.params["text"]
        timeline = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "Internal note on INT-1" in c.params["text"],
            after=mark,
        )
        assert timeline.json("reply_parameters")["message_id"] == alert_id(alert)
        ticket = await env.ticket("INT-1")
        async with env.runtime.store.transaction() as tx:
            notes = [(m.text, m.public) for m in await tx.tickets.messages(ticket)]
        assert ("Their endpoint answers 302, asked infra", False) in notes
        # Nothing went to the merchant.
        assert env.api.calls_of("sendMessage", after=mark) == [
            c for c in env.api.calls_of("sendMessage", after=mark) if c.chat_id == TEAM.id
        ]


async def test_reply_to_a_timeline_entry_is_a_note_on_its_ticket(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Refund shows REVERSED")
        env.runtime.clock.advance(timedelta(hours=25))  # type: ignore[attr-defined]
        which = await env.say(MERCHANT, "The order reference is ORD77")
        mark = await env.press(MERCHANT, which, "Add to INT-1: Refund shows REVERSED")
        followup = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "ORD77" in c.params["text"],
            after=mark,
        )
        assert await env.alert_linked(followup) == "INT-1"
        confirm = await env.say(
            MEMBER, "ORD77 was refunded by the bank", chat=TEAM, reply_to=alert_id(followup)
        )
        assert "Internal note added to INT-1" in confirm.params["text"]


async def test_slash_reply_to_an_alert_goes_to_the_merchant(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Card payment link 404")
        mark = env.api.mark()
        await env.say(
            MEMBER, "/reply Please retry with <USD> & tell us", chat=TEAM, reply_to=alert_id(alert)
        )
        told = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "Please retry" in c.params["text"],
            after=mark,
        )
        shown = env.api.messages[(MERCHANT.id, told.response["result"]["message_id"])]["text"]
        assert "INT-1" in shown and "Please retry with <USD> & tell us" in shown
        # The reply acknowledged the ticket: the merchant was told so once, before the reply.
        to_merchant = [
            c.params["text"]
            for c in env.api.calls_of("sendMessage", after=mark)
            if c.chat_id == MERCHANT.id
        ]
        assert [s for s in to_merchant if "acknowledged" in s] == [
            "Your ticket INT-1 (Card payment link 404) was acknowledged by the integration team."
        ]


async def test_merchant_follow_up_appears_as_reply_to_the_alert(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "USSD push timeout")
        mark = env.api.mark()
        added = await env.say(MERCHANT, "It also happens for Airtel Money now")
        assert added.button_labels == ["Not about INT-1"]
        followup = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "Airtel Money" in c.params["text"],
            after=mark,
        )
        assert followup.json("reply_parameters")["message_id"] == alert_id(alert)


async def test_commands_in_other_groups_point_to_the_private_chat(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        elsewhere = group_chat(-100777, "Merchant's own group")
        hint = await env.say(MERCHANT, "/report", chat=elsewhere)
        assert "private chat" in hint.params["text"]
        assert "@clickpesa_desk_bot" in hint.params["text"]


async def test_old_keyboard_pressed_again_changes_nothing(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Token 401")
        environment = await env.past_files(
            MERCHANT, await env.say(MERCHANT, "Bearer Bearer in the header?")
        )
        mark = await env.press(MERCHANT, environment, "Staging")
        await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        # A second client still showing the old keyboard presses Production.
        message_id = alert_id(environment)
        stale = env.api.make_press_update(MERCHANT, MERCHANT.id, message_id, data="env:production")
        mark = env.api.mark()
        await env.api.push_update(stale)
        answer = await env.answer(MERCHANT.id, after=mark)
        assert "earlier question" in answer.params["text"]
        summary = await env.say(MERCHANT, "major")
        assert "Staging" in summary.params["text"] and "Production" not in summary.params["text"]
