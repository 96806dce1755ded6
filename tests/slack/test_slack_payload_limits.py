"""Every message the desk sends Slack is one Slack accepts (issue 13, items 17 and 18).

The fake refuses what Slack refuses (tests/fakes/slack_limits.py): more than 50 blocks, a
section over 3,000 characters (`invalid_blocks`), more than about 12,000 characters of block
text (`msg_blocks_too_long`).
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.channels.slack.alerts import alert_blocks, page_blocks
from bot.channels.slack.blocks import block_text, render
from handlers.events import Choice, Message
from tests.fakes.slack_limits import MAX_BLOCK_TEXT, blocks_error
from tests.slack.harness import MEMBER, MERCHANT, TEAM_CHANNEL, report_values, running_slack

DM = f"D{MERCHANT}"


def test_the_fake_refuses_what_slack_refuses() -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}
    assert blocks_error([section] * 4) is None
    assert blocks_error([section] * 5) == "msg_blocks_too_long"
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    assert blocks_error([too_long]) == "invalid_blocks"
    small = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    assert blocks_error([small] * 51) == "invalid_blocks"


def test_long_messages_alerts_and_pages_fit_with_a_pointer() -> None:
    # "<" is escaped to "&lt;": 4,000 typed characters are 16,000 in the block text.
    angry = "<" * 4000
    choices = tuple(Choice(f"Option {i} " + "y" * 60, f"v:{i}") for i in range(25))
    for _text, blocks in (
        render(Message("long paragraph " * 3000, choices)),
        render(Message("\n\n".join(["line " * 500] * 20))),
        alert_blocks({"text": angry * 3, "ticket": {"reference": "INT-1"}, "choices": []}),
        page_blocks({"text": angry * 3, "mention": "everyone", "choices": []}),
    ):
        assert blocks_error(blocks) is None, block_text(blocks)
        assert block_text(blocks) <= MAX_BLOCK_TEXT
        assert "did not fit in one Slack message" in json.dumps(blocks)
    _, short = render(Message("short answer", choices))
    assert "did not fit" not in json.dumps(short)


async def test_status_after_three_long_team_replies_reaches_the_merchant(
    tmp_path: Path,
) -> None:
    async with running_slack(tmp_path) as slack:
        await slack.report_by_form(MERCHANT, report_values("Payouts stuck", "d" * 3900), DM)
        for n in range(3):
            reply = f"Reply {n}: " + "we checked the <settlement> batch & " * 110
            await slack.command(MEMBER, f"reply INT-1 {reply}", channel=TEAM_CHANNEL)
            await slack.settle()
        await slack.command(MERCHANT, "status INT-1", channel=DM)
        await slack.settle()
        answers = [c for c in slack.fake.calls_of("response_url") if "INT-1" in c.params["text"]]
        status = answers[-1]
        assert status.refused is None
        assert "Payouts stuck" in json.dumps(status.params["blocks"])
        assert not [c for c in slack.fake.calls if c.refused]


async def test_a_pressed_dm_button_keeps_the_text_escaped_once(tmp_path: Path) -> None:
    async with running_slack(tmp_path) as slack:
        await slack.dm(MERCHANT, "report")
        await slack.settle()
        await slack.dm(MERCHANT, "Checksum <b>mismatch</b> & co")
        await slack.settle()
        await slack.dm(MERCHANT, "HMAC over sorted keys")
        await slack.settle()
        await slack.dm(MERCHANT, "skip")
        await slack.settle()
        environment = slack.posted(DM)[-1]
        await slack.press(MERCHANT, environment, "Production")
        await slack.settle()
        severity = slack.posted(DM)[-1]
        await slack.press(MERCHANT, severity, "Major")
        await slack.settle()
        confirm = slack.posted(DM)[-1]
        assert "&lt;b&gt;mismatch&lt;/b&gt; &amp; co" in confirm.text
        await slack.press(MERCHANT, confirm, "Confirm")
        await slack.settle()
        pressed = slack.fake.messages[(DM, confirm.ts)]
        assert "&lt;b&gt;mismatch&lt;/b&gt; &amp; co" in pressed.text
        assert "&amp;lt;" not in pressed.text and "&amp;amp;" not in pressed.text
