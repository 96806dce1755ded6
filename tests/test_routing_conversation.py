"""Free text routed by what the merchant means (handlers/routing), on the console channel: the
situations of issue 10's "Why" that concern routing, each as a merchant lives it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk
from storage import Store
from storage.models import Status
from tests.conftest import repo_kb
from tests.support import Chat, RecordingSender, sw

ROOT = Path(__file__).resolve().parent.parent
KB = repo_kb()
PAYOUTS = "Payouts failing in production"


@pytest.fixture
def desk(kb_desk: Desk) -> Desk:
    return kb_desk


def title_of(entry_id: str) -> str:
    entry = KB.get(entry_id)
    assert entry is not None
    return entry.title


async def transcript(store: Store, reference: str = "INT-1") -> list[str]:
    async with store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return [m.text for m in await tx.tickets.messages(ticket)]


async def test_any_update_gets_the_critical_tickets_status_not_a_kb_entry(
    alice: Chat, store: Store
) -> None:
    await alice.report(title=PAYOUTS)
    answer = await alice.say("any update??")
    assert title_of("api-key-lost") not in answer
    assert answer.startswith("INT-1 ·") and f"Title: {PAYOUTS}" in answer
    assert "Status: open" in answer
    assert alice.choices == ["Not about INT-1"]
    assert await transcript(store) == ["any update??"]


async def test_status_answer_carries_the_latest_public_team_reply(alice: Chat, lead: Chat) -> None:
    await alice.report(title=PAYOUTS)
    await lead.say("reply INT-1 provider confirmed, fix at 14:00")
    answer = await alice.say("what's the status")
    assert "Latest from the team:" in answer and "fix at 14:00" in answer


async def test_still_failing_becomes_a_followup_with_an_undo(
    alice: Chat, store: Store, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await alice.report(title=PAYOUTS)
    text = "still failing, now 55 payouts REVERSED. provider side?"
    answer = await alice.say(text)
    assert title_of("payouts") not in answer
    assert answer == (
        "I've added your message to INT-1; the team will see it.\n"
        f"INT-1 · open · Critical · {PAYOUTS}"
    )
    assert await transcript(store) == [text]
    await dispatcher.deliver_due()
    assert any("55 payouts REVERSED" in t for t in sent.texts("team", "timeline"))

    undone = await alice.press_label("Not about INT-1")
    assert undone == "I've taken your message off INT-1. What shall I do with it?"
    assert alice.choices == ["Report an issue", "Ask the team"]
    assert await transcript(store) == []
    await dispatcher.deliver_due()
    assert any("was not about INT-1" in t for t in sent.texts("team", "timeline"))
    # The same undo pressed again changes nothing.
    assert "no longer on INT-1" in await alice.press("route:undo:INT-1:1")
    # The held message pre-fills a new report's title.
    assert (await alice.press("menu:report")).startswith("What happened?")


async def test_how_long_gets_the_status_not_support_after_go_live(alice: Chat) -> None:
    await alice.report(title=PAYOUTS)
    answer = await alice.say("how long will this take?")
    assert title_of("ongoing-support") not in answer
    assert answer.startswith("INT-1 ·")


async def test_several_active_tickets_ask_which(alice: Chat, store: Store) -> None:
    await alice.report(title=PAYOUTS, severity="Major")
    await alice.report(title="Webhook not received", severity="Minor")
    assert (
        await alice.say("still failing") == "Shall I add this message to one of your open tickets?"
    )
    assert alice.choices[:2] == [
        "Add to INT-2: Webhook not received",
        f"Add to INT-1: {PAYOUTS}",
    ]
    assert "Added to INT-2" in await alice.press_label("Add to INT-2: Webhook not received")
    assert await transcript(store, "INT-2") == ["still failing"]


async def test_a_status_question_choosing_among_tickets_gets_the_status(alice: Chat) -> None:
    await alice.report(title=PAYOUTS, severity="Major")
    await alice.report(title="Webhook not received", severity="Minor")
    await alice.say("any update?")
    answer = await alice.press_label(f"Add to INT-1: {PAYOUTS}")
    assert "Added to INT-1" in answer and f"Title: {PAYOUTS}" in answer


async def test_an_old_ticket_is_not_written_to_without_asking(
    alice: Chat, clock: FakeClock, store: Store
) -> None:
    await alice.report(title=PAYOUTS)
    clock.advance(timedelta(hours=25))
    assert await alice.say("any update??") == (
        "Shall I add this message to one of your open tickets?"
    )
    assert await transcript(store) == []


async def test_naming_the_ticket_ties_the_message_to_it(alice: Chat, store: Store) -> None:
    await alice.report(title=PAYOUTS, severity="Major")
    await alice.report(title="Webhook not received", severity="Minor")
    answer = await alice.say("int 1 still returns 500 for every payout")
    assert answer.startswith("I've added your message to INT-1")
    assert await transcript(store) == ["int 1 still returns 500 for every payout"]


async def test_naming_the_ticket_keeps_a_problem_on_it_not_a_kb_answer(
    alice: Chat, store: Store
) -> None:
    # Read alone this is a new webhook problem, which the knowledge base answers; named, it is
    # the ticket's, whatever its topic (as holdout5's "int 5: same 401 with a new API key").
    await alice.report(title=PAYOUTS, severity="Major")
    text = "int 1: webhook haifiki kwenye server yetu"
    answer = await alice.say(text)
    assert answer == (
        f"I've added your message to INT-1; the team will see it.\nINT-1 · open · Major · {PAYOUTS}"
    )
    assert await transcript(store) == [text]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("I keep getting 401 Unauthorized when calling the preview endpoint", "unauthorized-401"),
        ("checksum mismatch on payout request", "checksum"),
        ("nimepata error 401 sijaruhusiwa", "unauthorized-401"),
        ("webhook haifiki kwenye server yetu", "webhooks"),
    ],
)
async def test_problems_without_a_question_mark_reach_the_knowledge_base(
    alice: Chat, text: str, entry: str
) -> None:
    answer = await alice.say(text)
    found = KB.get(entry)
    assert found is not None
    titles = {found.title, found.in_language("sw").title}
    assert answer.split("\n", 1)[0] in titles, answer
    assert alice.last[-1].choices[0].value == "kb:yes"


async def test_no_confident_answer_offers_a_report_with_the_title_filled(alice: Chat) -> None:
    answer = await alice.say("the settlement report shows the wrong branch name")
    assert "ready answer" in answer
    assert alice.choices == ["Report an issue", "Ask the team"]
    assert (await alice.press_label("Report an issue")).startswith("What happened?")
    await alice.say("Branch B shows as A since Monday")
    await alice.press_label("Continue")
    await alice.press_label("Staging")
    summary = await alice.press_label("Minor")
    assert "Title: the settlement report shows the wrong branch name" in summary


async def test_urgent_text_offers_a_critical_report_and_pages(
    alice: Chat, store: Store, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    text = "URGENT!!! payouts failing in production, customers not receiving money since 6am"
    answer = await alice.say(text)
    assert "sounds urgent" in answer and "paged right away" in answer
    assert alice.choices == ["Report as Critical", "Ask the team"]
    answer = await alice.press_label("Report as Critical")
    assert "Severity: Critical" in answer and "Where does it happen?" in answer
    summary = await alice.press_label("Production")
    assert "Severity: Critical" in summary and f"Details: {text}" in summary
    created = await alice.press_label("Confirm")
    assert "INT-1 (Critical, Production)" in created and "being paged" in created
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.severity == "critical"
    assert ticket.status == Status.open and ticket.description == text


async def test_haraka_is_urgent_in_swahili(alice: Chat) -> None:
    answer = await alice.say("haraka, malipo hayapiti kabisa")
    assert sw("routing.urgent") in answer
    assert alice.choices[0] == sw("routing.choice.critical")


async def test_kuna_habari_yoyote_without_tickets_says_there_are_none(alice: Chat) -> None:
    answer = await alice.say("kuna habari yoyote?")
    assert answer == sw("routing.no_tickets")


async def test_kuna_habari_yoyote_with_a_ticket_gets_its_status_in_swahili(
    alice: Chat,
) -> None:
    await alice.say("lugha sw")
    await alice.ripoti("Malipo yamekwama", "Maelezo", "uzalishaji", "kubwa", "ndiyo")
    answer = await alice.say("kuna habari yoyote?")
    assert answer.startswith("INT-1 ·")
    assert sw("routing.status.recorded", reference="INT-1") in answer
    assert alice.choices == [sw("routing.undo", reference="INT-1")]


@pytest.mark.parametrize("text", ["hi", "habari", "good morning", "mambo"])
async def test_greetings_get_the_menu(alice: Chat, text: str) -> None:
    await alice.report(title=PAYOUTS)  # even with an active ticket
    await alice.say(text)
    assert alice.last[-1].choices[0].value == "menu:report"


async def test_someone_elses_undo_changes_nothing(alice: Chat, bob: Chat, store: Store) -> None:
    await alice.report(title=PAYOUTS)
    await alice.say("still failing")
    assert "earlier question" in await bob.press("route:undo:INT-1:1")
    assert await transcript(store) == ["still failing"]


async def test_urgent_alone_asks_for_the_report_with_critical_kept(alice: Chat) -> None:
    await alice.say("URGENT!!")
    answer = await alice.press_label("Report as Critical")
    assert "Severity: Critical" in answer and "In one line, what is wrong?" in answer
    await alice.say("Payouts down")
    await alice.say("Every payout returns 500 since 06:00")
    await alice.press_label("Continue")
    summary = await alice.press_label("Production")
    assert "Severity: Critical" in summary and "Title: Payouts down" in summary


MALIPO = "Malipo ya USSD hayafiki kwenye akaunti"
MALIPO_DETAILS = "Wateja wanalipa lakini malipo hayaonekani kwenye dashboard tangu jana."
WEBHOOK = "Webhook not received for USSD push"
WEBHOOK_DETAILS = (
    "Payments succeed but our callback URL https://shop.example/cb never gets the event."
)


@pytest.mark.parametrize(
    ("title", "details", "text"),
    [
        # "now even M-Pesa payments don't arrive": the ticket's trouble, spreading.
        (MALIPO, MALIPO_DETAILS, "sasa hata malipo ya m-pesa hayafiki"),
        # The ticket's own callback URL handed over.
        (WEBHOOK, WEBHOOK_DETAILS, "the callback URL is https://shop.example/cb if that helps"),
    ],
)
async def test_a_followup_on_the_tickets_topic_reaches_the_ticket_not_a_kb_entry(
    alice: Chat, store: Store, title: str, details: str, text: str
) -> None:
    await alice.report(title=title, details=details)
    answer = await alice.say(text)
    assert answer.startswith("I've added your message to INT-1"), answer
    assert title_of("payment-methods") not in answer and title_of("webhooks") not in answer
    assert alice.choices == ["Not about INT-1"]
    assert await transcript(store) == [text]


async def test_a_question_on_the_tickets_topic_asks_about_it_or_something_new(
    alice: Chat, store: Store
) -> None:
    await alice.report(title="Checksum mismatch on payout request", severity="Major")
    text = "how do I compute the checksum for a payout?"
    answer = await alice.say(text)
    assert answer == (
        "Is this about INT-1, or something new?\n"
        "INT-1 · open · Major · Checksum mismatch on payout request"
    )
    assert alice.choices == ["Add to INT-1: Checksum mismatch on payout request", "Something new"]
    # Something new: the knowledge-base answer it would have had.
    shown = await alice.press_label("Something new")
    assert shown.split("\n", 1)[0] == title_of("checksum")
    assert alice.last[-1].choices[0].value == "kb:yes"
    assert await transcript(store) == []


async def test_about_the_ticket_adds_the_held_message_to_it(alice: Chat, store: Store) -> None:
    await alice.report(title="Checksum mismatch on payout request", severity="Major")
    text = "how do I compute the checksum for a payout?"
    await alice.say(text)
    added = await alice.press_label("Add to INT-1: Checksum mismatch on payout request")
    assert added == "Added to INT-1. The team will see it."
    assert await transcript(store) == [text]
    # The offer is spent: pressing Something new now changes nothing.
    assert "earlier question" in await alice.press("route:new")


async def test_about_or_new_is_asked_in_swahili(alice: Chat) -> None:
    await alice.say("lugha sw")
    await alice.ripoti(
        "Checksum mismatch on payout request", "Maelezo", "uzalishaji", "kubwa", "ndiyo"
    )
    answer = await alice.say("how do I compute the checksum for a payout?")
    assert answer.startswith(sw("routing.about_or_new", reference="INT-1", line="")), answer
    assert alice.choices[-1] == sw("routing.choice.new")
