from __future__ import annotations

from handlers.delivery import OutboxDispatcher
from storage import Store
from tests.support import Chat, RecordingSender


async def test_non_members_are_refused_every_team_command(alice: Chat, store: Store) -> None:
    await alice.report()
    for command in (
        "/ack INT-1",
        "/take INT-1",
        "/assign INT-1 console:lead",
        "/resolve INT-1",
        "/note INT-1 x",
        "/reply INT-1 x",
        "/list",
    ):
        assert await alice.say(command) == "Sorry, that is for the integration team only."
    assert "integration team only" in await alice.press("team:ack:INT-1")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.status == "open" and ticket.assignee is None


async def test_ack_notifies_the_reporter_and_updates_the_alert(
    alice: Chat, lead: Chat, dispatcher: OutboxDispatcher, sent: RecordingSender, store: Store
) -> None:
    await alice.report()
    await dispatcher.deliver_due()
    assert await lead.say("/ack int-1") == "INT-1 acknowledged by Lead."
    assert "already acknowledged by Lead" in await lead.say("ack INT-1")
    await dispatcher.deliver_due()
    assert sent.texts("alice", "notice") == [
        "Your ticket INT-1 (USSD push fails) was acknowledged by the integration team."
    ]
    update = next(i for i in sent.items if i.kind == "alert_update")
    assert "acknowledged by Lead" in update.payload["text"]
    assert [c["label"] for c in update.payload["choices"]] == ["Take", "Resolve"]
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        changes = {(e.field, e.new_value) for e in await tx.tickets.events(ticket)}
    assert ("status", "acknowledged") in changes and ticket.acknowledged_at is not None


async def test_ack_button_works_like_the_command(alice: Chat, lead: Chat) -> None:
    await alice.report()
    assert "acknowledged by Lead" in await lead.press("team:ack:INT-1")


async def test_take_assign_resolve(
    alice: Chat, lead: Chat, store: Store, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await alice.report()
    assert await lead.say("take INT-1") == "INT-1 is now with Lead."
    assert await lead.say("assign INT-1 ops") == "INT-1 assigned to console:ops."
    assert "not a team member" in await lead.say("assign INT-1 mallory")
    assert await lead.say("/assign") == "Usage: assign REF <member>"
    assert await lead.say("/resolve INT-1 Fixed the callback URL") == "INT-1 resolved by Lead."
    assert "already resolved" in await lead.say("/resolve INT-1")
    await dispatcher.deliver_due()
    notices = sent.texts("alice", "notice")
    assert notices[0].startswith("Your ticket INT-1 (USSD push fails) was acknowledged")
    assert "\nNote from the team: Fixed the callback URL\n" in notices[-1]
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert (ticket.status, ticket.assignee, ticket.resolved_by) == (
        "resolved",
        "console:ops",
        "Lead",
    )


async def test_note_is_internal_and_reply_reaches_the_reporter(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher, store: Store
) -> None:
    await alice.report()
    assert (
        await lead.say("note INT-1 customer on M-Pesa, see logs") == "Internal note added to INT-1."
    )
    # Answering the merchant acknowledges the ticket, once.
    assert await lead.say("reply INT-1 Please resend with a new order reference") == (
        "INT-1 acknowledged by Lead.\nReply sent to the reporter of INT-1."
    )
    assert "Please add the text" in await lead.say("/reply INT-1")
    assert "Please add the note text" in await lead.say("/note INT-1")
    await dispatcher.deliver_due()
    to_alice = sent.texts("alice")
    assert to_alice == [
        "Your ticket INT-1 (USSD push fails) was acknowledged by the integration team.",
        "The integration team replied on INT-1:\nPlease resend with a new order reference",
    ]
    team = " ".join(sent.texts("team"))
    assert "customer on M-Pesa" in team
    assert "/status" not in team
    status = await alice.say("status INT-1")
    assert "Please resend" in status and "M-Pesa" not in status
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        messages = [(m.public, m.text) for m in await tx.tickets.messages(ticket)]
    assert messages == [
        (False, "customer on M-Pesa, see logs"),
        (True, "Please resend with a new order reference"),
    ]


async def test_list_filters_by_severity(alice: Chat, bob: Chat, lead: Chat) -> None:
    await alice.report(title="Money not moving", severity="Critical")
    await bob.report(title="Docs typo", severity="Minor", environment="Staging")
    listing = await lead.say("/list")
    assert listing.splitlines()[0] == "2 ticket(s):"
    assert listing.index("INT-1") < listing.index("INT-2")
    assert "INT-2" not in await lead.say("list critical")
    assert "INT-1" not in await lead.say("list minor")
    assert await lead.say("list major") == "No tickets match."
    assert "I can list" in await lead.say("/list everything")


async def test_team_can_see_any_ticket_status(alice: Chat, lead: Chat) -> None:
    await alice.report()
    assert "Title: USSD push fails" in await lead.say("status INT-1")
    assert await lead.say("status INT-77") == "There is no ticket INT-77."
