"""Questions answered from the knowledge base through the engine, on the console channel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlmodel import col, select

from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.messages import translate
from handlers.notify import Target
from storage import Store
from storage.models import KbLog
from tests.conftest import repo_kb
from tests.support import Chat, RecordingSender

ROOT = Path(__file__).resolve().parent.parent
KB = repo_kb()
TOKEN_TITLE = "How do I get an API access token?"


@pytest.fixture
def desk(kb_desk: Desk) -> Desk:
    return kb_desk


async def log_rows(store: Store) -> Sequence[KbLog]:
    async with store.transaction() as tx:
        return (await tx.session.exec(select(KbLog).order_by(col(KbLog.id)))).all()


async def test_ask_shows_best_answer_related_choices_and_feedback(
    alice: Chat, store: Store
) -> None:
    answer = await alice.say("ask how do I get an access token")
    first, second = alice.last
    assert first.text.startswith(TOKEN_TITLE)
    assert "generate-token" in first.text
    assert "Source: https://docs.clickpesa.com/api-reference/authorization/generate-token" in answer
    assert 1 <= len(first.choices) <= 2
    assert all(c.label.startswith("Related: ") for c in first.choices)
    assert second.text == "Did this answer your question?"
    assert [c.label for c in second.choices] == ["Yes", "No"]
    (row,) = await log_rows(store)
    assert (row.outcome, row.entry_id, row.question) == (
        "answered",
        "api-token",
        "how do I get an access token",
    )
    assert row.score is not None and row.score >= KB.min_score


async def test_yes_records_helpful_and_opens_no_ticket(alice: Chat, store: Store) -> None:
    await alice.say("/ask how do I get an access token")
    assert "Glad that helped" in await alice.press_label("Yes")
    assert [r.outcome for r in await log_rows(store)] == ["answered", "helpful"]
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 0
    assert "earlier question" in await alice.press("kb:yes")  # pressed twice: stale


async def test_no_opens_a_question_ticket_with_what_was_shown_and_alerts_the_team(
    alice: Chat, store: Store, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    await alice.say("/ask how do I get an access token")
    answer = await alice.press_label("No")
    assert "passed your question to the integration team as INT-1" in answer
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.kind == "question"
    assert ticket.title == "how do I get an access token"
    assert "Question: how do I get an access token" in ticket.description
    assert f"- {TOKEN_TITLE} (api-token)" in ticket.description
    rows = await log_rows(store)
    assert [(r.outcome, r.ticket_reference) for r in rows] == [
        ("answered", None),
        ("not_helpful", "INT-1"),
    ]
    await dispatcher.deliver_due()
    assert "New question INT-1" in sent.texts("team", "alert")[0]


async def test_no_confident_answer_goes_to_the_team_and_is_logged(
    alice: Chat, store: Store
) -> None:
    answer = await alice.say("/ask What's the weather in Dar es Salaam today?")
    assert "I don't have a ready answer" in answer and "INT-1" in answer
    assert not any(c for m in alice.last for c in m.choices)
    (row,) = await log_rows(store)
    assert (row.outcome, row.ticket_reference) == ("no_answer", "INT-1")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and "nothing (no confident answer)" in ticket.description


async def test_related_entry_can_be_opened_and_is_carried_into_the_ticket(
    alice: Chat, store: Store
) -> None:
    await alice.say("ask payment stuck in processing, what do the payment statuses mean?")
    first_title = alice.last[0].text.splitlines()[0]
    related = alice.last[0].choices[0]
    opened = await alice.press(related.value)
    assert opened.startswith(related.label.removeprefix("Related: "))
    assert alice.last[-1].text == "Did this answer your question?"
    assert related.value not in [c.value for m in alice.last for c in m.choices]
    await alice.press_label("No")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert first_title in ticket.description
    assert related.label.removeprefix("Related: ") in ticket.description
    outcomes = [r.outcome for r in await log_rows(store)]
    assert outcomes == ["answered", "related", "not_helpful"]


async def test_plain_question_in_free_text_is_answered_in_swahili_too(
    alice: Chat, store: Store
) -> None:
    answer = await alice.say("Malipo yamekwama, mteja hajaweka pini?")
    # A clearly Swahili first message: the desk answers in Swahili from then on, the answer too.
    entry = KB.get("ussd-push-pending")
    assert entry is not None
    assert answer.startswith(entry.in_language("sw").title)
    assert translate("sw", "ask.helped") in answer
    assert translate("sw", "ask.thanks") in await alice.say("ndiyo")
    assert [r.outcome for r in await log_rows(store)] == ["answered", "helpful"]


async def test_plain_question_without_answer_offers_report_or_the_team(
    alice: Chat,
) -> None:
    assert "ready answer" in await alice.say("Who won the football match yesterday?")
    assert alice.choices == ["Report an issue", "Ask the team"]
    assert "INT-1" in await alice.press_label("Ask the team")


async def test_status_question_with_an_open_ticket_gets_its_status(alice: Chat) -> None:
    await alice.report()
    answer = await alice.say("Any news on this one?")
    assert answer.startswith("INT-1 ·") and "noted your message on INT-1" in answer
    answer = await alice.say("How do I format the phone number?")
    assert answer.startswith("How should I format the phone number?")


async def test_commands_still_work_after_an_answer(alice: Chat) -> None:
    await alice.say("ask how do I get an access token")
    assert "one line" in await alice.say("report")
    assert "earlier question" in await alice.press("kb:no")


async def test_without_a_knowledge_base_questions_go_to_the_team(store: Store) -> None:
    desk = Desk(store, DeskSettings(), team_targets=[Target("console", "team")])
    chat = Chat(desk, "carol")
    assert "INT-1" in await chat.say("ask how do I get an access token")


async def test_a_swahili_speaker_gets_the_swahili_answer_whichever_language_matched(
    alice: Chat,
) -> None:
    # The person picked Swahili; the desk speaks it to them in every turn.
    await alice.say("lugha sw")
    token = KB.get("api-token")
    assert token is not None
    swahili = token.in_language("sw")
    for question in ("ask how do I get an access token", "ask Ninapataje tokeni ya API?"):
        await alice.say(question)
        first, second = alice.last
        assert first.text.startswith(swahili.title), question
        assert swahili.body in first.text
        assert token.body not in first.text
        assert "https://docs.clickpesa.com/api-reference/authorization/generate-token" in first.text
        assert all(c.label != f"Related: {token.title}" for c in first.choices)
        for choice in first.choices:
            related = KB.get(choice.value.removeprefix("kb:entry:"))
            assert related is not None and related.in_language("sw").title in choice.label
        assert second.text == translate("sw", "ask.helped")


async def test_a_related_entry_opened_by_a_swahili_speaker_is_in_swahili(alice: Chat) -> None:
    await alice.say("lugha sw")
    await alice.say("ask how do I get an access token")
    (first, _) = alice.last
    value = first.choices[0].value
    await alice.press(value)
    entry = KB.get(value.removeprefix("kb:entry:"))
    assert entry is not None
    assert alice.last[0].text.startswith(entry.in_language("sw").title)
    assert entry.in_language("sw").body in alice.last[0].text


async def test_an_english_speaker_still_gets_the_english_answer(alice: Chat) -> None:
    await alice.say("ask Ninapataje tokeni ya API?")
    assert alice.last[0].text.startswith(TOKEN_TITLE)
