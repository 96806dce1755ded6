from __future__ import annotations

from handlers.delivery import OutboxDispatcher
from storage import Store
from tests.support import Chat, RecordingSender


async def test_report_flow_files_a_ticket(alice: Chat, store: Store) -> None:
    assert "one line" in await alice.say("/report")
    assert "What happened" in await alice.say("USSD push fails")
    await alice.say("initiate returns 500; request id r-1")
    assert alice.choices == ["Continue"]  # screenshots or logs now, or go on
    await alice.press_label("Continue")
    assert alice.choices == ["Staging", "Production"]
    await alice.press_label("Production")
    assert alice.choices == ["Critical", "Major", "Minor"]
    assert "System is unusable or data integrity is compromised." in alice.text
    assert alice.last[-1].choices[0].description.startswith("System is unusable")
    summary = await alice.press_label("Critical")
    assert "Title: USSD push fails" in summary and "Severity: Critical" in summary
    done = await alice.press_label("Confirm")
    assert "INT-1" in done and "paged" in done

    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        events = await tx.tickets.events(ticket)
    assert (ticket.title, ticket.severity, ticket.environment, ticket.status) == (
        "USSD push fails",
        "critical",
        "production",
        "open",
    )
    assert ticket.description == "initiate returns 500; request id r-1"
    assert (ticket.reporter_channel, ticket.reporter_user_id, ticket.reporter_name) == (
        "console",
        "alice",
        "Alice",
    )
    assert [e.action for e in events] == ["created"]


async def test_typed_text_is_accepted_for_choices(alice: Chat, store: Store) -> None:
    await alice.say("report")
    await alice.say("Webhook not received")
    await alice.say("PAYMENT RECEIVED never arrives")
    await alice.say("continue")
    await alice.say("staging")
    await alice.say("MINOR")
    assert "INT-1" in await alice.say("confirm")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and (ticket.environment, ticket.severity) == ("staging", "minor")


async def test_wrong_answer_at_a_choice_step_repeats_the_question(alice: Chat) -> None:
    await alice.say("/report")
    await alice.say("title")
    await alice.say("details")
    await alice.say("skip")
    answer = await alice.say("in the cloud")
    assert "Please choose one of the options: Staging, Production." in answer
    assert alice.choices == ["Staging", "Production"]


async def test_cancel_leaves_the_flow_from_any_step(alice: Chat, store: Store) -> None:
    await alice.say("/report")
    await alice.say("title")
    await alice.say("details")
    await alice.press_label("Continue")
    await alice.press_label("Staging")
    assert "Cancelled" in await alice.say("cancel")
    assert "nothing to cancel" in await alice.say("/cancel")
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 0


async def test_cancel_button_on_summary_saves_nothing(alice: Chat, store: Store) -> None:
    await alice.say("/report")
    await alice.say("title")
    await alice.say("details")
    await alice.press_label("Continue")
    await alice.press_label("Staging")
    await alice.press_label("Major")
    assert "Cancelled" in await alice.press_label("Cancel")
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 0


async def test_old_button_from_an_earlier_step_is_ignored(alice: Chat) -> None:
    await alice.say("/report")
    await alice.say("title")
    await alice.say("details")
    await alice.press_label("Continue")
    await alice.press_label("Production")
    answer = await alice.press("env:staging")
    assert "earlier question" in answer


async def test_new_ticket_alerts_the_team(
    alice: Chat, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    await alice.report(title="Checksum mismatch")
    assert await dispatcher.deliver_due() == 1
    (alert,) = sent.items
    assert alert.kind == "alert" and alert.chat_id == "team"
    assert "INT-1" in alert.payload["text"] and "Checksum mismatch" in alert.payload["text"]
    assert [c["label"] for c in alert.payload["choices"]] == ["Acknowledge", "Take", "Resolve"]
    assert alert.payload["ticket"]["severity"] == "critical"
