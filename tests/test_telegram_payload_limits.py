"""Every payload the desk sends Telegram is one Telegram accepts (issue 13, items 15 and 16).

The fake Bot API refuses what Telegram refuses, with its error strings: MESSAGE_TOO_LONG for an
edit past 4,096 characters, BUTTON_DATA_INVALID for callback data over 64 bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.telegram_harness import MERCHANT, TEAM, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

LONG_ID = "settlement-" + "-".join(["reconciliation"] * 6)  # 100 characters


def long_answer_kb(tmp_path: Path, body_length: int) -> Path:
    """A knowledge base whose answers carry long ids and a long body."""
    body = ("Settlement reports list every payout. " * 200)[:body_length].strip()
    path = tmp_path / "kb.md"
    path.write_text(
        "# Test entries\n\n"
        "## How do settlements reach my bank?\n"
        f"id: {LONG_ID}\n"
        "keywords: settlement, bank, payout schedule\n"
        "source: https://docs.example.com/settlement\n\n"
        f"{body}\n\n"
        "## How do I read a settlement report?\n"
        f"id: {LONG_ID}-report\n"
        "keywords: settlement report, statement, bank\n"
        "source: https://docs.example.com/report\n\n"
        "Download it from the dashboard; each row is one settlement to your bank.\n\n"
        "## How do I rotate my API key?\n"
        "id: api-key\n"
        "keywords: api key, rotate, secret\n"
        "source: https://docs.example.com/keys\n\n"
        "Generate a new key in the dashboard.\n\n"
        "## Which currencies are supported?\n"
        "id: currencies\n"
        "keywords: currency, tzs, usd\n"
        "source: https://docs.example.com/currency\n\n"
        "TZS and USD.\n",
        "utf-8",
    )
    return path


async def test_confirm_under_a_full_length_summary_files_the_ticket(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payouts stuck")
        environment = await env.past_files(MERCHANT, await env.say(MERCHANT, "x" * 100))
        mark = await env.press(MERCHANT, environment, "Production")
        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        mark = await env.press(MERCHANT, severity, "Critical")
        short = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        # Details long enough to put the summary at 4,094 characters: "› Confirm" won't fit.
        details = "d" * (4094 - len(short.response["result"]["text"]) + 100)
        await env.say(MERCHANT, "/cancel")
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payouts stuck")
        environment = await env.past_files(MERCHANT, await env.say(MERCHANT, details))
        mark = await env.press(MERCHANT, environment, "Production")
        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        mark = await env.press(MERCHANT, severity, "Critical")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        assert len(summary.response["result"]["text"]) == 4094

        mark = await env.press(MERCHANT, summary, "Confirm")
        thanks = await env.answer(MERCHANT.id, after=mark)
        assert "INT-1" in thanks.params["text"]
        await env.answer(TEAM.id, after=mark, with_buttons="Acknowledge")
        assert await env.ticket_count() == 1
        # The keyboard is gone, so the summary cannot be confirmed twice; nothing was refused.
        message_id = summary.response["result"]["message_id"]
        assert "reply_markup" not in env.api.messages[(MERCHANT.id, message_id)]
        assert not [c for c in env.api.calls[mark:] if not c.ok]


async def test_a_refused_edit_does_not_lose_the_press(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payouts stuck")
        environment = await env.past_files(
            MERCHANT, await env.say(MERCHANT, "Every payout stays PROCESSING")
        )
        env.api.fail_next("editMessageText", 400, "Bad Request: message can't be edited")
        mark = await env.press(MERCHANT, environment, "Production")
        severity = await env.answer(MERCHANT.id, after=mark, with_buttons="Critical")
        assert severity.button_labels == ["Critical", "Major", "Minor"]


async def test_related_buttons_work_with_long_entry_ids_under_a_long_answer(
    tmp_path: Path,
) -> None:
    kb = long_answer_kb(tmp_path, 4010)
    async with desk_on_telegram(tmp_path, extra={"kb": {"path": str(kb)}}) as env:
        mark = env.api.mark()
        await env.deliver(
            env.api.make_text_update(MERCHANT, "/ask how do settlements reach my bank account?")
        )
        related = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and any("Related" in b for b in c.button_labels),
            after=mark,
        )
        await env.answer(MERCHANT.id, after=mark, with_buttons="Yes")
        assert 4086 <= len(related.response["result"]["text"]) <= 4096
        data = [b["callback_data"] for row in related.button_rows for b in row]
        assert all(len(d.encode()) <= 64 for d in data)

        mark = await env.press(MERCHANT, related, related.button_labels[0])
        shown = await env.answer(MERCHANT.id, after=mark)
        assert shown.params["text"].startswith("How do I read a settlement report?")
        assert not [c for c in env.api.calls[mark:] if not c.ok]
