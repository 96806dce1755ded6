"""End to end: the merchant side. DM flows with buttons, /desk subcommands, shared channels."""

from __future__ import annotations

import copy
import json

from tests.fakes.slack_api import PostedMessage
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    SHARED_CHANNEL,
    TEAM_CHANNEL,
    SlackHarness,
    buttons,
    report_values,
)

DM = f"D{MERCHANT}"


async def say(slack: SlackHarness, text: str) -> PostedMessage:
    await slack.dm(MERCHANT, text)
    await slack.settle()
    return slack.posted(DM)[-1]


async def test_dm_report_flow_with_buttons(slack: SlackHarness) -> None:
    await say(slack, "report")
    await say(slack, "Checksum mismatch on <payout> callbacks")
    files = await say(slack, "We compute HMAC over sorted keys & still mismatch")
    assert buttons(files) == ["Continue"]
    assert "Send screenshots or logs now" in files.text
    await slack.press(MERCHANT, files, "Continue")
    await slack.settle()
    where = slack.posted(DM)[-1]
    assert buttons(where) == ["Staging", "Production"]

    await slack.press(MERCHANT, where, "Production")
    await slack.settle()
    pressed = slack.fake.messages[(DM, where.ts)]
    assert buttons(pressed) == [], "a pressed message loses its buttons"
    assert "✓ Production" in json.dumps(pressed.blocks, ensure_ascii=False)

    severity = slack.posted(DM)[-1]
    assert buttons(severity) == ["Critical", "Major", "Minor"]
    assert "data integrity is compromised" in json.dumps(severity.blocks)
    await slack.press(MERCHANT, severity, "Major")
    await slack.settle()
    confirm = slack.posted(DM)[-1]
    assert "&lt;payout&gt;" in confirm.text
    before_press = copy.deepcopy(confirm)
    await slack.press(MERCHANT, confirm, "Confirm")
    await slack.settle()
    assert "INT-1" in slack.posted(DM)[-1].text
    assert "Major" in slack.alert().text

    # A second press of the same button (sent before Slack showed the update) files nothing.
    await slack.press(MERCHANT, before_press, "Confirm")
    await slack.settle()
    async with slack.store.transaction() as tx:
        assert await tx.tickets.count() == 1


async def test_help_status_and_mine_are_ephemeral(slack: SlackHarness) -> None:
    # Answers that need no lookup come back in the acknowledgement itself (shown only to them).
    status, body = await slack.command(MERCHANT, "", work=False)
    assert status == 200 and "/desk report" in body and "&lt;question&gt;" in body
    assert "/desk ack" not in body
    status, body = await slack.command(MEMBER, "help", work=False)
    assert "/desk ack" in body
    status, body = await slack.command(MERCHANT, "status banana", work=False)
    assert "INT-42" in body

    await slack.command(MERCHANT, "ask How do I enable the payout API?")
    await slack.settle()
    await slack.command(MERCHANT, "status int-1")
    await slack.settle()
    answer = slack.fake.calls_of("response_url")[-1].params
    assert answer["response_type"] == "ephemeral" and "INT-1" in answer["text"]
    await slack.command(MERCHANT, "mine")
    await slack.settle()
    assert "INT-1" in slack.fake.calls_of("response_url")[-1].params["text"]

    # Someone else's ticket looks like a missing one.
    await slack.command(MEMBER.replace("MEMBER", "OTHER"), "status INT-1")
    await slack.settle()
    assert "couldn't find" in slack.fake.calls_of("response_url")[-1].params["text"]


async def test_shared_channel_report_is_threaded_and_notified_there(slack: SlackHarness) -> None:
    await slack.report_by_form(
        MERCHANT, report_values("Payout reversed", "REVERSED after 2 min"), SHARED_CHANNEL
    )

    anchor = slack.posted(SHARED_CHANNEL)
    assert len(anchor) == 1 and "reported an issue" in anchor[0].text
    thread = slack.posted(SHARED_CHANNEL, anchor[0].ts)
    assert "INT-1" in thread[0].text

    await slack.press(MEMBER, slack.alert(), "Acknowledge")
    await slack.settle()
    thread = slack.posted(SHARED_CHANNEL, anchor[0].ts)
    assert "acknowledged" in thread[-1].text
    assert slack.posted(DM) == []

    # The reporter writes in the ticket's thread without mentioning the bot: a follow-up.
    async def in_thread(user: str, text: str) -> None:
        event = {
            "type": "message",
            "channel_type": "channel",
            "channel": SHARED_CHANNEL,
            "user": user,
            "text": text,
            "ts": f"1764232100.{len(slack.fake.calls):06d}",
            "thread_ts": anchor[0].ts,
        }
        await slack.send(slack.signer.event(event))
        await slack.settle()

    before = len(slack.posted(SHARED_CHANNEL, anchor[0].ts))
    await in_thread(MEMBER, "a colleague chatting in the thread")
    assert len(slack.posted(SHARED_CHANNEL, anchor[0].ts)) == before, "only the reporter counts"
    await in_thread(MERCHANT, "It also happens with Airtel Money")
    offer = slack.posted(SHARED_CHANNEL, anchor[0].ts)[-1]
    add = next(label for label in buttons(offer) if "INT-1" in label)
    await slack.press(MERCHANT, offer, add)
    await slack.settle()
    timeline = [m.text for m in slack.posted(TEAM_CHANNEL, slack.alert().ts)]
    assert any("It also happens with Airtel Money" in text for text in timeline)


async def test_mention_in_a_shared_channel_answers_in_thread(slack: SlackHarness) -> None:
    event = {
        "type": "app_mention",
        "channel": SHARED_CHANNEL,
        "user": MERCHANT,
        "text": f"<@{slack.fake.bot_user_id}> ask Is there a sandbox?",
        "ts": "1764232000.000100",
    }
    await slack.send(slack.signer.event(event))
    await slack.settle()
    thread = slack.posted(SHARED_CHANNEL, "1764232000.000100")
    assert "INT-1" in thread[0].text
    assert len(slack.posted(TEAM_CHANNEL)) == 1


async def test_menu_report_button_opens_the_form(slack: SlackHarness) -> None:
    menu = await say(slack, "help")
    assert "Report an issue" in buttons(menu)
    await slack.press(MERCHANT, menu, "Report an issue")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    assert view["callback_id"] == "desk_report"
    assert buttons(slack.fake.messages[(DM, menu.ts)]) == []
