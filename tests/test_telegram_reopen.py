"""Reopening and "Did this solve it?" on Telegram, against the fake Bot API: the 👍/👎 buttons on
the resolved notice, 👎 offering Reopen, the reopen offer for a typed message, the team alert
edited back to open with a timeline reply under it, and `/reopen` in the team group."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.models import Status
from tests.fakes.telegram_api import ApiCall
from tests.telegram_harness import MEMBER, MERCHANT, OUTSIDER, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def message_id(call: ApiCall) -> int:
    return int(call.response["result"]["message_id"])


async def test_thumbs_down_then_reopen_edits_the_alert_and_threads_the_news(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payouts reversed", severity="Major")
        mark = await env.press(MEMBER, alert, "Resolve")
        asked = await env.answer(MERCHANT.id, after=mark, with_buttons="👎")
        assert asked.params["text"].endswith("Did this solve it? Press or type 👍 or 👎.")
        assert asked.button_labels == ["👍", "👎"]

        mark = await env.press(MERCHANT, asked, "👎")
        offer = await env.answer(MERCHANT.id, after=mark, with_buttons="Reopen INT-1")
        assert offer.params["text"].startswith("Sorry INT-1 is not solved.")
        assert offer.button_labels == ["Reopen INT-1", "It's something new"]

        mark = await env.press(MERCHANT, offer, "Reopen INT-1")
        done = await env.answer(MERCHANT.id, after=mark)
        assert done.params["text"].startswith("INT-1 is open again")
        edited = await env.api.wait_call(
            "editMessageText",
            lambda c: c.chat_id == TEAM.id and "Acknowledge" in c.button_labels,
            after=mark,
        )
        assert "Status: open" in edited.params["text"]
        timeline = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "reopened by" in c.params["text"],
            after=mark,
        )
        assert timeline.params["text"] == "🔁 INT-1 reopened by Alice Mushi"
        assert timeline.json("reply_parameters")["message_id"] == message_id(alert)
        assert (await env.ticket("INT-1")).status == Status.open
        # The pressed message lost its buttons: it cannot be pressed twice.
        assert env.api.messages[(MERCHANT.id, message_id(offer))].get("reply_markup") is None


async def test_typed_not_fixed_offers_the_choice_and_team_reopens_from_the_group(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.report(MERCHANT, "Payouts reversed", severity="Critical")
        mark = env.api.mark()
        await env.say(MEMBER, "/resolve INT-1", chat=TEAM)
        await env.answer(MERCHANT.id, after=mark, with_buttons="👍")
        offer = await env.say(MERCHANT, "INT-1 is not fixed!! payouts reversed again")
        assert offer.button_labels == ["Reopen INT-1", "It's something new"]
        mark = await env.press(MERCHANT, offer, "It's something new")
        details = await env.answer(MERCHANT.id, after=mark)
        assert details.params["text"].startswith("What happened?")
        assert (await env.ticket("INT-1")).status == Status.resolved

        team_menu = {c["command"]: c["description"] for c in env.api.commands["chat"]}
        assert team_menu["reopen"] == "Reopen a resolved ticket: /reopen INT-42"
        answer = await env.say(MEMBER, "/reopen INT-1", chat=TEAM)
        assert answer.params["text"] == "INT-1 reopened by Bob Ops."
        assert (await env.ticket("INT-1")).status == Status.open


async def test_the_resolved_alert_has_a_reopen_button_for_team_members_only(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payouts reversed", severity="Major")
        mark = await env.press(MEMBER, alert, "Resolve")
        resolved = await env.api.wait_call(
            "editMessageText", lambda c: c.chat_id == TEAM.id, after=mark
        )
        assert resolved.button_labels == ["Reopen"]
        [[button]] = resolved.json("reply_markup")["inline_keyboard"]
        assert button["callback_data"] == "team:reopen:INT-1"
        await env.answer(MERCHANT.id, after=mark, with_buttons="👍")

        # Someone outside the team (or the merchant) pressing it is refused; nothing changes.
        for stranger in (OUTSIDER, MERCHANT):
            mark = await env.press(stranger, alert, "Reopen")
            refusal = await env.api.wait_call("answerCallbackQuery", after=mark)
            assert refusal.params["show_alert"] == "true"
            assert "integration team only" in refusal.params["text"]
        assert (await env.ticket("INT-1")).status == Status.resolved

        mark = await env.press(MEMBER, alert, "Reopen")
        answered = await env.api.wait_call("answerCallbackQuery", after=mark)
        assert answered.params["text"] == "INT-1 reopened by Bob Ops."
        edited = await env.api.wait_call(
            "editMessageText", lambda c: c.chat_id == TEAM.id, after=mark
        )
        assert edited.params["message_id"] == str(message_id(alert))
        assert "Status: open" in edited.params["text"]
        assert edited.button_labels == ["Acknowledge", "Take", "Resolve"]
        timeline = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "reopened by" in c.params["text"],
            after=mark,
        )
        assert timeline.params["text"] == "🔁 INT-1 reopened by Bob Ops"
        notice = await env.answer(MERCHANT.id, after=mark)
        assert notice.params["text"].startswith("Your ticket INT-1 (Payouts reversed) was reopened")
        assert (await env.ticket("INT-1")).status == Status.open

        # A second press from a client still showing the old keyboard: told, nothing sent.
        mark = env.api.mark()
        await env.deliver(
            env.api.make_press_update(MEMBER, TEAM.id, message_id(alert), data="team:reopen:INT-1")
        )
        again = await env.api.wait_call("answerCallbackQuery", after=mark)
        assert again.params["text"] == "INT-1 is already open again."
        await env.settled()
        sent = env.api.calls[mark:]
        assert not [c for c in sent if c.method in ("editMessageText", "sendMessage")]
