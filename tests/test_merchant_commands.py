from __future__ import annotations

from datetime import timedelta

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from storage import Store
from tests.support import Chat, RecordingSender


async def test_help_shows_the_menu(alice: Chat, lead: Chat) -> None:
    for word in ("/start", "/help", "help"):
        answer = await alice.say(word)
        assert "report" in answer and "Team commands" not in answer
        assert alice.choices == [
            "Report an issue",
            "Ask a question",
            "My tickets",
            "Request integration",
        ]
    assert "Team commands" in await lead.say("help")


async def test_menu_buttons_start_flows(alice: Chat) -> None:
    await alice.say("hi")
    assert "one line" in await alice.press_label("Report an issue")


async def test_status_of_own_ticket_and_reference_forms(alice: Chat) -> None:
    await alice.report()
    for form in ("status INT-1", "/status int-1", "/status #1", "/status 1"):
        assert "Title: USSD push fails" in await alice.say(form)


async def test_someone_elses_ticket_answers_not_found(alice: Chat, bob: Chat) -> None:
    await alice.report(title="Secret merchant problem")
    answer = await bob.say("/status INT-1")
    assert answer == "I couldn't find a ticket INT-1 among your tickets."
    assert answer == (await bob.say("/status INT-999")).replace("INT-999", "INT-1")
    assert "Secret" not in await bob.say("/mytickets")


async def test_wrong_references_get_specific_answers(alice: Chat) -> None:
    assert (
        await alice.say("/status") == "Please give a ticket reference, for example: status INT-42"
    )
    assert "doesn't look like a ticket reference" in await alice.say("/status banana")
    assert "OPS-3 among your tickets" in await alice.say("/status ops-3")


async def test_mytickets_lists_only_mine(alice: Chat, bob: Chat) -> None:
    assert "no tickets yet" in await alice.say("mytickets")
    await alice.report(title="First")
    await bob.report(title="Bob's")
    await alice.report(title="Second", severity="Minor")
    lines = (await alice.say("/mytickets")).splitlines()
    assert lines[0] == "Your tickets (newest first):"
    assert lines[1].startswith("INT-3") and lines[2].startswith("INT-1") and len(lines) == 3


async def test_free_text_about_an_older_ticket_offers_to_add_it(
    alice: Chat,
    store: Store,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
    clock: FakeClock,
) -> None:
    await alice.report()
    clock.advance(timedelta(hours=25))  # past [desk] followup_window: no longer active
    answer = await alice.say("It also fails for Airtel Money")
    assert "ready answer" in answer
    assert alice.choices == ["Report an issue", "Ask the team", "Add to INT-1: USSD push fails"]
    assert await alice.press_label("Add to INT-1: USSD push fails") == (
        "Added to INT-1. The team will see it."
    )
    assert "no longer have" in await alice.press("followup:INT-1")
    await dispatcher.deliver_due()
    assert any("It also fails for Airtel Money" in t for t in sent.texts("team", "timeline"))
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        (message,) = await tx.tickets.messages(ticket)
    assert (message.public, message.text, message.author) == (
        True,
        "It also fails for Airtel Money",
        "console:alice",
    )


async def test_free_text_without_tickets_shows_the_menu(alice: Chat) -> None:
    answer = await alice.say("hello there")
    assert "I'm the ClickPesa integration desk" in answer


async def test_cannot_add_followup_to_someone_elses_ticket(alice: Chat, bob: Chat) -> None:
    await alice.report()
    await bob.report(title="Bob's issue")
    await bob.say("more info")
    assert "no longer have" in await bob.press("followup:INT-1")


async def test_ask_without_answer_becomes_a_question_ticket(
    alice: Chat, store: Store, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    assert "question" in await alice.say("/ask")
    answer = await alice.say("Can we get a dedicated settlement account per branch?")
    assert "INT-1" in answer
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.kind == "question" and ticket.severity is None
    await dispatcher.deliver_due()
    assert "New question INT-1" in sent.texts("team", "alert")[0]


async def test_followup_offer_can_start_a_report_with_the_text_as_title(alice: Chat) -> None:
    await alice.report()
    await alice.say("Refunds show REVERSED")
    answer = await alice.press_label("Report an issue")
    assert answer.startswith("What happened?")
    await alice.say("details")
    await alice.press_label("Continue")
    await alice.press_label("Staging")
    summary = await alice.press_label("Minor")
    assert "Title: Refunds show REVERSED" in summary


async def test_followup_offer_can_ask_the_text_as_a_question(alice: Chat, store: Store) -> None:
    await alice.report()
    await alice.say("Can we settle to two bank accounts")
    await alice.press_label("Ask the team")
    async with store.transaction() as tx:
        question = await tx.tickets.get("INT-2")
    assert question is not None and question.kind == "question"
    assert question.title == "Can we settle to two bank accounts"
    assert question.description.startswith("Question: Can we settle to two bank accounts")
