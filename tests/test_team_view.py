"""The team sees everything in chat (issue 10, item 2): details on alerts and pages, `show`,
`find`, `mine`, `digest`, and an unknown word from a member answered with the team's commands."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk
from handlers.escalation.paging import page_message
from handlers.escalation.planner import PlannedPage
from handlers.escalation.policy import DEFAULT_CRITICAL, EscalationPolicy
from handlers.events import Incoming
from handlers.limits import Limits
from handlers.ticket_view import MAX_MESSAGES, MESSAGE_CHARS
from storage import Store
from tests.escalation.conftest import make_escalator
from tests.program.helpers import request
from tests.support import Chat, RecordingSender, sw

LONG_DETAILS = (
    "Since 06:00 every payout to M-Pesa comes back REVERSED after two minutes. "
    "Order references ORD-7781, ORD-7782, ORD-7790. Call me on 0754 111 222. " * 12
)
NO_LIMITS = Limits(open_tickets=0, tickets_per_hour=0, critical_per_hour=0, messages_per_minute=0)


class TeamChat(Chat):
    """A member writing in the console's team chat, where the alerts go."""

    def _incoming(self, text: str = "", choice: str | None = None) -> Incoming:
        return replace(super()._incoming(text, choice), chat_id="team")


def alerts(sent: RecordingSender) -> list[str]:
    return [i.payload["text"] for i in sent.items if i.kind == "alert"]


async def test_alert_carries_details_environment_and_merchant(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    await alice.report(title="Payouts reversed", details=LONG_DETAILS, severity="Major")
    await dispatcher.deliver_due()
    (alert,) = alerts(sent)
    assert "Environment: Production" in alert
    assert "Duka Online · PRJ-1 · Scope and objectives" in alert
    assert "Details:\n│ Since 06:00 every payout to M-Pesa comes back REVERSED" in alert
    assert alert.endswith("…full text: show INT-1")
    shown = alert.split("Details:\n", 1)[1].rsplit("\n…full text", 1)[0]
    assert len(shown.replace("│ ", "")) <= 600 and "0754 111 222" in shown


async def test_short_details_are_shown_whole_without_a_pointer(
    alice: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await alice.report(details="Call me on 0754 111 222, order ORD-1")
    await dispatcher.deliver_due()
    (alert,) = alerts(sent)
    assert "Details:\n│ Call me on 0754 111 222, order ORD-1" in alert
    assert "full text" not in alert


async def test_page_carries_details_and_environment(alice: Chat, store: Store) -> None:
    await alice.report(details=LONG_DETAILS)
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    page = PlannedPage(
        step=0,
        level=1,
        repeat=0,
        due_at=ticket.created_at,
        notify=("team",),
        mention_everyone=False,
    )
    text = page_message(ticket, page, DEFAULT_CRITICAL, ticket.created_at).text
    assert "Environment: Production" in text
    assert "│ Since 06:00 every payout" in text and text.endswith("…full text: show INT-1")


async def test_show_gives_details_transcript_assignment_sla_and_events(
    alice: Chat, lead: Chat, clock: FakeClock
) -> None:
    await alice.report(details="Call me on 0754 111 222")
    await lead.say("assign INT-1 ops")
    await lead.say("note INT-1 merchant key was rotated yesterday")
    await lead.say("reply INT-1 Please retry with the new key")
    clock.advance(timedelta(minutes=5))
    shown = await lead.say("show INT-1")
    assert shown.startswith("INT-1 · issue · Critical · Production · in progress by Lead")
    assert "Title: USSD push fails" in shown
    assert "Reporter: Alice (console:alice)" in shown
    assert "Opened: Fri 27 Nov 12:00 EAT (5m ago)" in shown
    assert "Assigned to: a team member" in shown  # console:ops has no name yet
    assert "Acknowledged by Lead, Fri 27 Nov 12:00 EAT" in shown
    assert "Details:\n│ Call me on 0754 111 222" in shown
    assert "· Lead · internal note:\n│ merchant key was rotated yesterday" in shown
    assert "· Lead · seen by the merchant:\n│ Please retry with the new key" in shown
    assert "Last events:" in shown and "status: open → acknowledged" in shown


async def test_show_names_sla_clocks_when_escalation_set_them(
    alice: Chat, lead: Chat, desk: Desk, store: Store
) -> None:
    desk.observers.append(make_escalator(desk, store, EscalationPolicy()))
    await alice.report()
    shown = await lead.say("show INT-1")
    assert (
        "SLA: acknowledge by Fri 27 Nov 12:15 EAT (on time); "
        "resolve by Fri 27 Nov 16:00 EAT (on time)" in shown
    )


async def test_show_of_a_long_ticket_stays_within_limits(
    alice: Chat, lead: Chat, desk: Desk
) -> None:
    await alice.report(details="x" * 3900)
    for n in range(40):
        await lead.say(f"note INT-1 n{n}: {'checked the logs again ' * 40}")
    await lead.say("show INT-1")
    messages = lead.last
    assert 1 < len(messages) <= MAX_MESSAGES
    assert all(len(m.text) <= MESSAGE_CHARS for m in messages)
    text = lead.text
    assert text.count("x") == 3900
    assert "earlier messages not shown" in text and "Last events:" in text
    assert "n39:" in text and "n0:" not in text  # the newest notes are kept


async def test_show_refusals_and_usage(alice: Chat, lead: Chat) -> None:
    await alice.report()
    assert await alice.say("/show INT-1") == "Sorry, that is for the integration team only."
    assert await lead.say("/show") == "Usage: show REF, for example: show INT-4"
    assert "INT-9" in await lead.say("show INT-9")


async def test_find_matches_title_details_and_transcript_newest_first(
    alice: Chat, bob: Chat, lead: Chat
) -> None:
    await alice.report(title="Webhook not received", details="callback to https://duka/x")
    await bob.report(title="Payout stuck", details="Order ORD-55 is stuck")
    await alice.report(title="Token expired", details="getToken returns 401")
    await lead.say("note INT-3 merchant says the WEBHOOK secret changed")
    found = await lead.say("find webhook")
    lines = found.splitlines()
    assert lines[0] == "2 ticket(s) mention “webhook”, newest first:"
    assert lines[1].startswith("INT-3 ") and lines[2].startswith("INT-1 ")
    assert (await lead.say("find ord-55")).splitlines()[1].startswith("INT-2 ")
    assert await lead.say("find webhook ORD-55") == "No ticket mentions “webhook” “ORD-55”."
    assert await lead.say("/find") == "Usage: find <words>, for example: find webhook 401"


async def test_find_matches_payment_details_in_the_forms_people_type(
    alice: Chat, bob: Chat, lead: Chat
) -> None:
    await alice.report(title="Customer not charged", details="call me on 0754 111 222, TZS 50,000")
    await bob.report(title="Payout stuck", details="nothing else")
    # The phone is stored in E.164 and the amount without separators: typed either way, found.
    for query in ("find 0754111222", "find +255754111222", "find 50,000", "find 50000"):
        lines = (await lead.say(query)).splitlines()
        assert lines[1].startswith("INT-1 ") and len(lines) == 2, query


async def test_find_takes_like_wildcards_literally(alice: Chat, lead: Chat) -> None:
    await alice.report(title="Fee is 100% of amount", details="plain")
    await alice.report(title="Fee is 100 of amount", details="order_ref missing")
    await alice.report(title="orderXref", details="plain")
    found = await lead.say("find 100%")
    assert "INT-1 " in found and "INT-2" not in found
    found = await lead.say("find order_ref")
    assert "INT-2 " in found and "INT-3" not in found
    # Unescaped, `_` would match any character ("100%", "100 ").
    assert await lead.say("find 100_") == "No ticket mentions “100_”."
    assert "INT-1 " in await lead.say("find %")


async def test_find_shows_at_most_twenty(alice: Chat, lead: Chat, desk: Desk) -> None:
    desk.settings = replace(desk.settings, limits=NO_LIMITS)
    for n in range(22):
        await alice.report(title=f"Checksum mismatch {n}", severity="Minor")
    found = (await lead.say("find checksum")).splitlines()
    assert found[0].startswith("20 ticket(s)") and found[1].startswith("INT-22 ")
    assert found[-1] == "Only the newest 20 are shown; add words to narrow the search."


async def test_a_merchant_writing_find_is_not_refused(alice: Chat) -> None:
    answer = await alice.say("find my payout please")
    assert "integration team only" not in answer


async def test_mine_lists_tickets_assigned_to_the_member(
    alice: Chat, lead: Chat, desk: Desk
) -> None:
    ops = Chat(desk, "ops")
    await alice.report(title="First")
    await alice.report(title="Second")
    await lead.say("take INT-1")
    await lead.say("assign INT-2 ops")
    mine = await lead.say("mine")
    assert mine.splitlines()[0] == "1 open ticket(s) assigned to you:"
    assert "INT-1 " in mine and "INT-2" not in mine
    assert "INT-2 " in await ops.say("/mine") and "INT-1" not in ops.text
    await lead.say("resolve INT-1")
    assert await lead.say("mine") == "No open tickets are assigned to you."
    # A merchant's `mine` is still their own tickets.
    assert "INT-1" in await alice.say("mine") and "INT-2" in alice.text


async def test_mine_in_a_direct_chat_also_lists_the_members_own_reports(lead: Chat) -> None:
    await lead.report(title="Our own sandbox key fails")
    answer = await lead.say("mine")
    assert answer.startswith("No open tickets are assigned to you.")
    assert "Tickets you reported yourself:\nINT-1 · open" in answer


async def test_digest_goes_to_the_asker_now(
    alice: Chat, lead: Chat, store: Store, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await alice.report(title="Payouts reversed")
    await dispatcher.deliver_due()
    before = len(sent.items)
    digest = await lead.say("digest")
    assert digest.startswith("Daily digest for Fri 27 Nov 2026 (12:00 EAT)")
    assert "INT-1 Payouts reversed" in digest
    await dispatcher.deliver_due()
    assert len(sent.items) == before, "nobody else got it"
    assert await alice.say("/digest") == "Sorry, that is for the integration team only."


async def test_unknown_words_in_the_team_chat_get_the_team_commands(desk: Desk) -> None:
    team = TeamChat(desk, "lead")
    answer = await team.say("please look at the payouts")
    assert answer.startswith("I don't know the command “please look at the payouts”.")
    assert "Team commands: ack REF" in answer and "show REF" in answer and "find <words>" in answer
    assert "report an integration issue" not in answer, "not the merchant menu"
    assert (await team.say("/frobnicate")).startswith("I don't know the command “/frobnicate”.")
    assert (await team.say("help")).startswith("Team commands: ack REF")


async def test_unknown_slash_word_from_a_member_in_a_direct_chat(lead: Chat, alice: Chat) -> None:
    answer = await lead.say("/escalate INT-4")
    assert answer.startswith("I don't know the command “/escalate”. Team commands:")
    assert "report an integration issue" not in answer
    # A merchant still gets the menu.
    assert "report an integration issue" in await alice.say("/frobnicate")


async def test_free_text_from_a_member_in_a_direct_chat_stays_merchant_talk(lead: Chat) -> None:
    # A member may be asking for help as a merchant in their own chat with the desk.
    answer = await lead.say("hello there")
    assert "report an integration issue" in answer and "show REF" in answer


async def test_team_texts_exist_in_swahili(alice: Chat, desk: Desk) -> None:
    team = TeamChat(desk, "lead")
    await team.say("lugha sw")
    await alice.report()
    assert await team.say("mine") == sw("mine.none")
    assert (await team.say("find zzz")) == sw("find.none", words="“zzz”")
    shown = await team.say("show INT-1")
    assert sw("show.title", title="USSD push fails") in shown
    assert "Jumatatu" not in shown and "Ijumaa 27 Nov 12:00 EAT" in shown


async def test_status_for_the_team_carries_the_details(alice: Chat, lead: Chat) -> None:
    await alice.report(details="Call me on 0754 111 222, order ORD-1")
    assert "Details:\n│ Call me on 0754 111 222, order ORD-1" in await lead.say("status INT-1")
    assert "Details:" not in await alice.say("status INT-1")


async def test_show_lists_payment_details_found(alice: Chat, lead: Chat, store: Store) -> None:
    await alice.report()
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1", for_update=True)
        assert ticket is not None
        ticket.facts = json.dumps({"order_reference": ["ORD-7781", "ORD-7782"], "phone": []})
        tx.session.add(ticket)
    shown = await lead.say("show INT-1")
    assert "Payment details found:\n• " in shown and ": ORD-7781, ORD-7782" in shown
    assert "phone" not in shown
