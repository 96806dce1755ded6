"""Secrets sent on Slack: hidden before anything is stored or posted, the merchant asked to
delete their message (a bot cannot delete a user's message on Slack), in their language."""

from __future__ import annotations

import json

from tests.slack.harness import (
    MERCHANT,
    SHARED_CHANNEL,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
)

DM = f"D{MERCHANT}"
KEY = "SKq8Z2mW7xL4vN9pR3tY6uB1cE5hJ0kDaP"


def everything_posted(slack: SlackHarness) -> str:
    return json.dumps([c.params for c in slack.fake.calls], ensure_ascii=False)


async def test_a_key_in_a_dm_is_hidden_and_the_merchant_asked_to_delete_it(
    slack: SlackHarness,
) -> None:
    await slack.dm(MERCHANT, "report")
    await slack.settle()
    await slack.dm(MERCHANT, f"Token call fails, api-key: {KEY}")
    await slack.settle()
    notice = slack.posted(DM)[-2]
    assert "I hid the API key" in notice.text and "replace it now" in notice.text
    assert "delete your original message from this chat yourself" in notice.text
    assert not slack.fake.calls_of("chat.delete")
    assert KEY not in everything_posted(slack)
    async with slack.store.transaction() as tx:
        state = await tx.conversations.load("slack", DM, MERCHANT)
    assert state.data["title"] == "Token call fails, api-key: [hidden: API key]"


async def test_swahili_notice_and_markers(slack: SlackHarness) -> None:
    await slack.dm(MERCHANT, "lugha sw")
    await slack.settle()
    await slack.dm(MERCHANT, f"Habari, nenosiri la dashboard ni Kariakoo@99 na api key {KEY}")
    await slack.settle()
    notice = slack.posted(DM)[-2]
    assert "nimeficha ufunguo wa API (API key) na nenosiri" in notice.text
    assert "libadilishe sasa" in notice.text and "futa mwenyewe" in notice.text
    assert KEY not in everything_posted(slack) and "Kariakoo@99" not in everything_posted(slack)


async def test_a_report_form_and_an_ask_headline_in_a_shared_channel_are_hidden(
    slack: SlackHarness,
) -> None:
    values = report_values(f"401 with apikey {KEY}", "card 4111 1111 1111 1111 cvv 123")
    await slack.report_by_form(MERCHANT, values, SHARED_CHANNEL)
    await slack.command(MERCHANT, f"ask why does api-key {KEY} give 401?", channel=SHARED_CHANNEL)
    await slack.settle()
    posted = everything_posted(slack)
    for value in (KEY, "4111 1111 1111 1111", "cvv 123"):
        assert value not in posted
    anchors = [m.text for m in slack.posted(SHARED_CHANNEL)]
    assert any("[hidden: API key]" in text for text in anchors)
    assert slack.posted(TEAM_CHANNEL)
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.description == (
        "card [hidden: card number] cvv [hidden: CVV]"
    )
