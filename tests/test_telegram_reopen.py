"""Reopening and "Did this solve it?" on Telegram, against the fake Bot API: the 👍/👎 buttons on
the resolved notice, 👎 offering Reopen, the reopen offer for a typed message, the team alert
edited back to open with a timeline reply under it, and `/reopen` in the team group."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.models import Status
from tests.fakes.telegram_api import ApiCall
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, desk_on_telegram

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

        answer = await env.say(MEMBER, "/reopen INT-1", chat=TEAM)
        assert answer.params["text"] == "INT-1 reopened by Bob Ops."
        assert (await env.ticket("INT-1")).status == Status.open
