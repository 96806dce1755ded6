"""Bad input gets a clear answer, never a crash, and is stored verbatim."""

from __future__ import annotations

import pytest

from handlers.desk import Desk
from storage import Store
from tests.support import Chat

NASTY = [
    "<b>x</b>",
    "*x*",
    "<!channel>",
    "'; DROP TABLE tickets; --",
    "Malipo yameshindwa 💸🔥",
    "مرحبا بالعالم",  # right-to-left
    "tab\there\x00nul\x1bescape\u202eRTL-override",
    "{reference} {0} %s",
]


@pytest.mark.parametrize("text", NASTY)
async def test_markup_and_odd_text_are_stored_verbatim(
    alice: Chat, store: Store, text: str
) -> None:
    await alice.report(title=text, details=text + "\n" + text)
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    # Verbatim, except NUL, which PostgreSQL cannot store: it becomes U+FFFD everywhere.
    kept = text.replace("\x00", "\ufffd")
    assert ticket.title == kept.strip() and ticket.description == kept + "\n" + kept


@pytest.mark.parametrize("text", ["", "   ", "\n"])
async def test_empty_messages_get_an_answer(alice: Chat, text: str) -> None:
    assert "I didn't get any text" in await alice.say(text)
    await alice.say("/report")
    assert await alice.say(text) == "Please type a short title for the issue."
    await alice.say("title")
    assert await alice.say(text) == "Please describe what happened; even one sentence helps."


async def test_over_long_title_and_details_can_be_retried(bare_desk: Desk, store: Store) -> None:
    # Without an attachment folder (with one, over-long details are kept as details.txt).
    alice = Chat(bare_desk, "alice")
    await alice.say("/report")
    assert await alice.say("x" * 10_000) == (
        "That is 10000 characters; please keep it to 120 and send it again."
    )
    await alice.say("A fine title")
    assert "keep it to 4000" in await alice.say("y" * 10_000)
    await alice.say("z" * 4000)
    await alice.press_label("Staging")
    await alice.press_label("Minor")
    await alice.press_label("Confirm")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.description == "z" * 4000


async def test_unknown_commands_are_named(alice: Chat) -> None:
    answer = await alice.say("/frobnicate now")
    assert answer.startswith("I don't know the command “/frobnicate”.")
    assert alice.choices == [
        "Report an issue",
        "Ask a question",
        "My tickets",
        "Request integration",
    ]


async def test_team_commands_with_missing_arguments(lead: Chat) -> None:
    assert await lead.say("/ack") == "Usage: ack REF"
    assert await lead.say("/resolve") == "Usage: resolve REF [REF...] [note]"
    assert "doesn't look like a ticket reference" in await lead.say("/ack <!channel>")
    assert await lead.say("/take INT-5") == "There is no ticket INT-5."


async def test_forged_button_values_do_nothing(alice: Chat, lead: Chat) -> None:
    await alice.report()
    assert "earlier question" in await alice.press("sev:critical")
    assert "earlier question" in await lead.press("team:explode:INT-1")
    assert "earlier question" in await alice.press("garbage")
    assert "no longer have" in await alice.press("followup:INT-999")


async def test_sql_looking_reference_is_just_malformed(alice: Chat, store: Store) -> None:
    await alice.report()
    answer = await alice.say("/status INT-1'; DROP TABLE ticket; --")
    assert answer == "“INT-1';” doesn't look like a ticket reference. References look like INT-42."
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 1
