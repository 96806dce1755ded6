"""End to end through the real python-telegram-bot and the fake Bot API: merchant flows with
buttons, the team group's alerts and buttons, flood control, duplicates, escaping."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from handlers.delivery import backoff
from storage.models import Status
from tests.telegram_harness import MEMBER, MERCHANT, OUTSIDER, TEAM, desk_on_telegram

# A question the knowledge base has no answer for, so it becomes a ticket.
UNKNOWN_QUESTION = "/ask Can the dashboard show our shop logo on invoices?"

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_critical_production_report_by_buttons_alert_acknowledge_and_merchant_told(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        api = env.api
        question = await env.say(MERCHANT, "/report")
        assert "what is wrong" in question.params["text"]
        await env.say(MERCHANT, "USSD push returns 500")
        files = await env.say(MERCHANT, "Every initiate-ussd-push-request fails")
        assert files.button_labels == ["Continue"]
        environment = await env.past_files(MERCHANT, files)
        assert environment.button_labels == ["Staging", "Production"]

        mark = await env.press(MERCHANT, environment, "Production")
        # The pressed button is answered, and its message now shows the choice, no keyboard.
        await api.wait_call("answerCallbackQuery", after=mark)
        edit = await api.wait_call("editMessageText", after=mark)
        assert int(edit.params["message_id"]) == environment.response["result"]["message_id"]
        assert "reply_markup" not in edit.params
        shown = api.messages[(MERCHANT.id, int(edit.params["message_id"]))]
        assert shown["text"].endswith("› Production") and "reply_markup" not in shown

        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        assert severity.button_labels == ["Critical", "Major", "Minor"]
        mark = await env.press(MERCHANT, severity, "Critical")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        mark = await env.press(MERCHANT, summary, "Confirm")
        thanks = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in thanks.params["text"]

        alert = await env.answer(TEAM.id, after=mark, with_buttons="Acknowledge")
        assert alert.button_labels == ["Acknowledge", "Take", "Resolve"]
        rendered = api.messages[(TEAM.id, alert.response["result"]["message_id"])]["text"]
        for fact in ("INT-1", "Critical", "Production", "USSD push returns 500", "Alice Mushi"):
            assert fact in rendered

        mark = await env.press(MEMBER, alert, "Acknowledge")
        answered = await api.wait_call("answerCallbackQuery", after=mark)
        assert "acknowledged by Bob Ops" in answered.params["text"]
        edited = await api.wait_call("editMessageText", lambda c: c.chat_id == TEAM.id, after=mark)
        assert edited.params["message_id"] == str(alert.response["result"]["message_id"])
        assert "acknowledged by Bob Ops" in edited.params["text"]
        assert edited.button_labels == ["Take", "Resolve"]
        told = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in told.params["text"] and "acknowledged" in told.params["text"]
        assert (await env.ticket("INT-1")).status == Status.acknowledged


async def test_typed_text_is_accepted_where_a_choice_is_expected(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Checksum mismatch")
        await env.say(MERCHANT, "Webhook checksum never matches")
        await env.say(MERCHANT, "continue")
        severity = await env.say(MERCHANT, "staging")
        assert "Critical" in severity.button_labels
        summary = await env.say(MERCHANT, "minor")
        assert "Confirm" in summary.button_labels
        await env.say(MERCHANT, "confirm")
        ticket = await env.ticket("INT-1")
        assert (ticket.severity, ticket.environment) == ("minor", "staging")
        assert ticket.reporter_name == "Alice Mushi"


async def test_non_member_pressing_acknowledge_changes_nothing(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payout reversed")
        mark = await env.press(OUTSIDER, alert, "Acknowledge")
        refusal = await env.api.wait_call("answerCallbackQuery", after=mark)
        assert refusal.params["show_alert"] == "true"
        assert "integration team only" in refusal.params["text"]
        # A member's later press proves the outsider's left no trace in between.
        mark2 = await env.press(MEMBER, alert, "Take")
        await env.api.wait_call("editMessageText", lambda c: c.chat_id == TEAM.id, after=mark2)
        between = env.api.calls[mark:mark2]
        assert not [c for c in between if c.method in ("editMessageText", "sendMessage")]
        ticket = await env.ticket("INT-1")
        assert ticket.status == Status.in_progress and ticket.acknowledged_by == "Bob Ops"


async def test_flood_control_is_waited_out_and_the_message_arrives(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        env.api.flood("sendMessage", retry_after=7, times=2)
        menu = await env.say(MERCHANT, "/start")
        assert "Alice" in menu.params["text"]
        assert env.sleep.waits == [7.0, 7.0]
        statuses = [c.status for c in env.api.calls_of("sendMessage", ok_only=False)]
        assert statuses == [429, 429, 200]


async def test_flood_on_the_team_alert_still_delivers_it(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        env.api.fail_next(
            "sendMessage",
            429,
            "Too Many Requests: retry after 3",
            retry_after=3,
            when=lambda c: c.chat_id == TEAM.id,
        )
        alert = await env.report(MERCHANT, "Token endpoint 401")
        assert "Token endpoint 401" in alert.params["text"]
        assert 3.0 in env.sleep.waits


async def test_an_answer_telegram_cannot_take_now_goes_out_through_the_outbox(
    tmp_path: Path,
) -> None:
    async with desk_on_telegram(tmp_path) as env:
        env.api.fail_next(
            "sendMessage", 502, "Bad Gateway", when=lambda c: c.chat_id == MERCHANT.id
        )
        mark = env.api.mark()
        await env.api.push_text(MERCHANT, "/mytickets")
        # The answer was written to the outbox with the work; its first try met a 502 and it
        # is tried again after the outbox's backoff.
        await env.api.wait_call("sendMessage", lambda c: c.status == 502, ok_only=False)
        await env.retry_recorded()
        env.runtime.clock.advance(timedelta(seconds=backoff(0)))  # type: ignore[attr-defined]
        env.runtime.dispatcher.wake()
        delivered = await env.answer(MERCHANT.id, after=mark)
        assert "no tickets yet" in delivered.params["text"]
        statuses = [c.status for c in env.api.calls_of("sendMessage", after=mark, ok_only=False)]
        assert statuses == [502, 200]


async def test_duplicated_update_after_a_restart_creates_one_ticket(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        update = env.api.make_text_update(MERCHANT, UNKNOWN_QUESTION)
        mark = env.api.mark()
        await env.api.push_update(update)
        logged = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in logged.params["text"]
        await env.answer(TEAM.id, after=mark)  # the question's alert
        # The process stops before Telegram learnt the update was handled; it comes again.
        await env.stop_service()
        await env.api.redeliver(update)
        mark = env.api.mark()
        await env.start_service(fresh=True)
        await env.api.wait_call(
            "getUpdates",
            lambda c: c.params.get("offset") == str(update["update_id"] + 1),
            after=mark,
        )
        await env.settled()
        assert await env.ticket_count() == 1
        assert env.api.calls_of("sendMessage", after=mark) == []


async def test_title_with_markup_arrives_escaped_and_renders_as_typed(tmp_path: Path) -> None:
    title = "<b>Bold</b> & <script>alert(1)</script>"
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, title)
        assert "&lt;script&gt;" in alert.params["text"] and "<script>" not in alert.params["text"]
        assert alert.params["parse_mode"] == "HTML"
        shown = env.api.messages[(TEAM.id, alert.response["result"]["message_id"])]
        assert f"Title: {title}" in shown["text"]
        assert "entities" not in shown  # nothing the merchant typed became formatting
        assert (await env.ticket("INT-1")).title == title


async def test_commands_are_registered_for_merchants_and_the_team_group(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        merchant_menu = [c["command"] for c in env.api.commands["default"]]
        team_menu = [c["command"] for c in env.api.commands["chat"]]
        assert {"report", "ask", "status", "mytickets"} <= set(merchant_menu)
        # The integration program's commands are in the menus too.
        assert {"integrate", "progress", "uat"} <= set(merchant_menu)
        assert {"ack", "take", "resolve", "reply", "list"} <= set(team_menu)
        assert {"projects", "project", "advance"} <= set(team_menu)
        status = next(c for c in env.api.commands["default"] if c["command"] == "status")
        assert status["description"] == "Where a ticket stands: /status INT-42"


async def test_rejected_formatting_on_the_alert_is_resent_as_plain_text(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        env.api.fail_next(
            "sendMessage",
            400,
            "Bad Request: can't parse entities: unsupported start tag",
            when=lambda c: c.chat_id == TEAM.id,
        )
        alert = await env.report(MERCHANT, "Callback <url> & retries")
        assert "parse_mode" not in alert.params
        assert "Title: Callback <url> & retries" in alert.params["text"]
        assert alert.button_labels == ["Acknowledge", "Take", "Resolve"]


async def test_long_summary_is_split_and_the_keyboard_stays_under_it(tmp_path: Path) -> None:
    details = ('Request r-1 returned 500 with body {"error": "internal"}. ' * 70)[:3990]
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payout API 500")
        await env.say(MERCHANT, details)
        await env.say(MERCHANT, "skip")
        question = await env.say(MERCHANT, "production")
        mark = env.api.mark()
        await env.deliver(
            env.api.make_press_update(
                MERCHANT, MERCHANT.id, question.response["result"]["message_id"], "Critical"
            )
        )
        last = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        pieces = [
            c for c in env.api.calls_of("sendMessage", after=mark) if c.chat_id == MERCHANT.id
        ]
        assert len(pieces) == 2 and pieces[-1] is last
        assert pieces[0].button_labels == []
        shown = "".join(
            env.api.messages[(MERCHANT.id, c.response["result"]["message_id"])]["text"]
            for c in pieces
        )
        assert details.strip()[:200] in shown and "Send it to the integration team?" in shown
