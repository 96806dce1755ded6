"""Shared Slack channels leak nothing (issue 13 items 4 and 11): team answers outside the team
channel are ephemeral, a merchant's ticket answers are theirs alone, a private answer's follow-up
stays private, and only the person offered a choice can press it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.fakes.slack_api import PostedMessage
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    OUTSIDER,
    SHARED_CHANNEL,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
    running_slack,
)


async def mention(slack: SlackHarness, user: str, text: str, thread: str | None = None) -> None:
    event = {
        "type": "app_mention",
        "channel": SHARED_CHANNEL,
        "user": user,
        "text": f"<@{slack.fake.bot_user_id}> {text}",
        "ts": f"1764232000.{len(slack.fake.calls):06d}",
        **({"thread_ts": thread} if thread else {}),
    }
    await slack.send(slack.signer.event(event))
    await slack.settle()


def public_in_shared_channel(slack: SlackHarness) -> str:
    return "\n".join(
        str(c.params.get("text", "")) + str(c.params.get("blocks", ""))
        for c in slack.fake.calls_of("chat.postMessage")
        if c.params.get("channel") == SHARED_CHANNEL
    )


def ephemerals(slack: SlackHarness, user: str) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in slack.fake.calls_of("chat.postEphemeral")
        if c.params.get("user") == user
    ]


async def test_ticket_answers_in_a_shared_channel_are_ephemeral(tmp_path: Path) -> None:
    async with running_slack(tmp_path) as slack:
        await slack.dm(MERCHANT, "ask Why does generate-token return 401 for our key?")
        await slack.settle()
        for user, text in (
            (MEMBER, "list"),
            (MEMBER, "status INT-1"),
            (MEMBER, "note INT-1 the merchant key was revoked"),
            (OUTSIDER, "status INT-1"),
            (MERCHANT, "status INT-1"),
            (MERCHANT, "mytickets"),
        ):
            await mention(slack, user, text)
        shown = public_in_shared_channel(slack)
        assert "INT-1" not in shown and "generate-token" not in shown, shown
        assert any("generate-token" in text for text in ephemerals(slack, MEMBER))
        assert any("INT-1" in text for text in ephemerals(slack, MERCHANT))
        assert not any("generate-token" in text for text in ephemerals(slack, OUTSIDER))


async def test_no_after_a_private_answer_files_the_question_in_the_dm(tmp_path: Path) -> None:
    async with running_slack(tmp_path, knowledge=True) as slack:
        await slack.command(MERCHANT, "ask What is the payout cooldown?", channel=SHARED_CHANNEL)
        await slack.settle()
        question = slack.fake.calls_of("response_url")[-1].params
        private = PostedMessage(SHARED_CHANNEL, "", question["text"], question["blocks"])
        await slack.press(MERCHANT, private, "No")
        await slack.settle()
        async with slack.store.transaction() as tx:
            ticket = await tx.tickets.get("INT-1")
        assert ticket is not None and ticket.kind == "question"
        assert ticket.reporter_chat_id.startswith("D") and ticket.reporter_thread_id is None
        await slack.command(MEMBER, "reply INT-1 The cooldown is 10 minutes", channel=TEAM_CHANNEL)
        await slack.settle()
        assert "10 minutes" not in public_in_shared_channel(slack)
        assert any("10 minutes" in m.text for m in slack.posted(ticket.reporter_chat_id))


async def test_only_the_person_offered_a_choice_can_press_it(tmp_path: Path) -> None:
    async with running_slack(tmp_path) as slack:
        await slack.report_by_form(
            MERCHANT, report_values("Payout reversed", "REVERSED in 2 min"), SHARED_CHANNEL
        )
        (anchor,) = slack.posted(SHARED_CHANNEL)
        # Past [desk] followup_window: the merchant is asked which ticket, with buttons.
        slack.clock.advance(timedelta(hours=25))
        event = {
            "type": "message",
            "channel_type": "channel",
            "channel": SHARED_CHANNEL,
            "user": MERCHANT,
            "text": "It also happens with Airtel Money",
            "ts": "1764232100.000001",
            "thread_ts": anchor.ts,
        }
        await slack.send(slack.signer.event(event))
        await slack.settle()
        offer = slack.posted(SHARED_CHANNEL, anchor.ts)[-1]
        label = next(
            e["text"]["text"]
            for b in offer.blocks
            if b["type"] == "actions"
            for e in b["elements"]
            if "INT-1" in e["text"]["text"]
        )
        updates = len(slack.fake.calls_of("chat.update"))
        await slack.press(OUTSIDER, offer, label)
        await slack.settle()
        assert len(slack.fake.calls_of("chat.update")) == updates  # nothing edited
        assert ephemerals(slack, OUTSIDER) == [
            "These buttons are for the person the question was asked of."
        ]
        timeline = [m.text for m in slack.posted(TEAM_CHANNEL, slack.alert().ts)]
        assert not any("Airtel Money" in text for text in timeline)

        await slack.press(MERCHANT, offer, label)
        await slack.settle()
        assert len(slack.fake.calls_of("chat.update")) == updates + 1
        timeline = [m.text for m in slack.posted(TEAM_CHANNEL, slack.alert().ts)]
        assert any("Airtel Money" in text for text in timeline)
