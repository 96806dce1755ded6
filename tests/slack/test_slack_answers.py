"""Knowledge-base answers in Slack: `/desk ask` answers privately, with the related entries and
Yes/No as buttons that work on the private message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.slack_api import PostedMessage
from tests.slack.harness import MERCHANT, TEAM_CHANNEL, SlackHarness, running_slack


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path, knowledge=True) as harness:
        yield harness


def buttons(blocks: list[dict]) -> list[str]:
    return [
        element["text"]["text"]
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


async def test_desk_ask_answers_ephemerally_with_choices(slack: SlackHarness) -> None:
    await slack.command(MERCHANT, "ask How do I get an API token?")
    await slack.settle()
    answer, question = (call.params for call in slack.fake.calls_of("response_url")[-2:])
    assert answer["response_type"] == question["response_type"] == "ephemeral"
    assert "generate-token" in answer["text"]
    assert all(label.startswith("Related:") for label in buttons(answer["blocks"]))
    assert question["text"] == "Did this answer your question?"
    assert buttons(question["blocks"]) == ["Yes", "No"]
    assert slack.posted("DMERCHANT") == []  # nothing public

    private = PostedMessage("DMERCHANT", "", question["text"], question["blocks"])
    await slack.press(MERCHANT, private, "Yes")
    await slack.settle()
    thanks = slack.fake.calls_of("response_url")[-1].params
    assert "Glad that helped" in thanks["text"]
    async with slack.store.transaction() as tx:
        stats = await tx.kb_log.stats(None)
    assert (stats.answered, stats.helpful, stats.escalated) == (1, 1, 0)


async def test_no_turns_the_question_into_a_ticket_privately(slack: SlackHarness) -> None:
    await slack.command(MERCHANT, "ask What is the payout cooldown?")
    await slack.settle()
    question = slack.fake.calls_of("response_url")[-1].params
    await slack.press(
        MERCHANT, PostedMessage("DMERCHANT", "", question["text"], question["blocks"]), "No"
    )
    await slack.settle()
    told = slack.fake.calls_of("response_url")[-1].params
    assert told["response_type"] == "ephemeral" and "INT-1" in told["text"]
    alert = slack.alert()
    assert "INT-1" in alert.text
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.kind == "question"
    assert ticket.title == "What is the payout cooldown?"


async def test_a_question_without_an_answer_is_filed_in_the_conversation(
    slack: SlackHarness,
) -> None:
    await slack.command(
        MERCHANT, "ask Can we get a dedicated account manager for our chain of shops?"
    )
    await slack.settle()
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.kind == "question"
    # Filed from the DM: the answer is posted there (not ephemeral), where the team's reply
    # will arrive too.
    told = [m for m in slack.fake.messages.values() if m.channel != TEAM_CHANNEL]
    assert any("INT-1" in m.text and m.channel.startswith("D") for m in told)
