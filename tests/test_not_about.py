"""One "Not about INT-1" for text follow-ups and files (handlers/not_about.py): the same button
under both; a file's undo takes the file and the transcript line it came with; the files (with
their caption) can then go to another ticket, and come off it the same way; a second press,
someone else's press, and two processes pressing at once take it back at most once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk
from storage import Database, Store
from storage.files import FileStore
from storage.models import TicketEvent
from tests.support import Chat, RecordingSender
from tests.test_attachments import attachments_of, make_desk, send, write

LOG = b"POST /payouts 500\n"


@pytest.fixture
def fdesk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, tmp_path: Path) -> Desk:
    return make_desk(store, clock, dispatcher, FileStore(tmp_path / "attachments"))


async def transcript(store: Store, reference: str = "INT-1") -> list[str]:
    async with store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return [m.text for m in await tx.tickets.messages(ticket)]


async def undo_events(store: Store) -> list[tuple[str, str | None]]:
    async with store.transaction() as tx:
        query = select(TicketEvent).where(
            col(TicketEvent.action).in_(("attachment_removed", "followup_undone"))
        )
        rows = (await tx.session.exec(query.order_by(col(TicketEvent.id)))).all()
    return [(row.action, row.old_value) for row in rows]


def undo_value(chat: Chat) -> str:
    [value] = [c.value for m in chat.last for c in m.choices if c.label.startswith("Not about")]
    return value


async def test_text_and_files_get_the_same_undo_and_a_file_takes_its_caption_along(
    fdesk: Desk,
    tmp_path: Path,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await alice.say("still failing, now 55 payouts REVERSED")
    text_undo = undo_value(alice)
    await send(alice, write(tmp_path, "trace.log", LOG), caption="the log from our side")
    assert "Added trace.log to INT-1" in alice.text
    file_undo = undo_value(alice)
    # One button: the ticket and the transcript message it added.
    assert text_undo.startswith("route:undo:INT-1:") and file_undo.startswith("route:undo:INT-1:")
    assert text_undo != file_undo
    before = await transcript(fdesk.store)
    assert before[-1] == "the log from our side"

    answer = await alice.press(file_undo)
    assert answer.startswith("Taken trace.log off INT-1.")
    assert "Which ticket is trace.log about?" in answer
    assert alice.choices == ["Report a new issue with it"]
    assert await attachments_of(fdesk.store, "INT-1") == []
    # The line the file came with is gone too; the earlier follow-up stays.
    assert await transcript(fdesk.store) == before[:-1]
    assert await undo_events(fdesk.store) == [("attachment_removed", "trace.log")]
    await dispatcher.deliver_due()
    timeline = sent.texts("team", "timeline")
    assert any("Alice says trace.log is not about INT-1." in text for text in timeline)

    # Pressed again: nothing more comes off.
    again = await alice.press(file_undo)
    assert again == "That message is no longer on INT-1; nothing was changed."
    assert await undo_events(fdesk.store) == [("attachment_removed", "trace.log")]

    # The text follow-up's undo is the same implementation.
    assert (await alice.press(text_undo)).startswith("I've taken your message off INT-1.")
    assert await transcript(fdesk.store) == before[:-2]
    assert [e for e, _ in await undo_events(fdesk.store)] == [
        "attachment_removed",
        "followup_undone",
    ]


async def test_files_taken_back_go_to_another_ticket_with_their_caption(
    fdesk: Desk, tmp_path: Path
) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await send(alice, write(tmp_path, "trace.log", LOG), caption="trace of the checkout call")
    file_undo = undo_value(alice)
    await alice.report(title="Checkout 500")
    await alice.press(file_undo)
    assert alice.choices == ["Add to INT-2: Checkout 500", "Report a new issue with it"]
    await alice.press_label("Add to INT-2: Checkout 500")
    assert "Added trace.log to INT-2" in alice.text
    assert [r.name for r in await attachments_of(fdesk.store, "INT-2")] == ["trace.log"]
    assert (await transcript(fdesk.store, "INT-2"))[-1] == "trace of the checkout call"
    assert "trace of the checkout call" not in await transcript(fdesk.store)
    # Where it landed by choice, the same undo takes it back again.
    assert alice.choices == ["Not about INT-2"]
    assert (await alice.press_label("Not about INT-2")).startswith("Taken trace.log off INT-2.")
    assert await attachments_of(fdesk.store, "INT-2") == []
    assert "trace of the checkout call" not in await transcript(fdesk.store, "INT-2")


async def test_someone_elses_press_takes_nothing(fdesk: Desk, tmp_path: Path) -> None:
    alice, bob = Chat(fdesk, "alice"), Chat(fdesk, "bob")
    await alice.report(title="Payouts fail")
    await send(alice, write(tmp_path, "trace.log", LOG))
    file_undo = undo_value(alice)
    assert "earlier question" in await bob.press(file_undo)
    assert [r.name for r in await attachments_of(fdesk.store, "INT-1")] == ["trace.log"]
    assert await undo_events(fdesk.store) == []


@pytest.fixture
async def other_store(database_url: str, database: Database) -> AsyncIterator[Store]:
    other = Database(database_url)
    yield Store(other, "INT")
    await other.close()


async def test_two_processes_pressing_at_once_take_it_back_once(
    fdesk: Desk,
    other_store: Store,
    clock: FakeClock,
    dispatcher: OutboxDispatcher,
    tmp_path: Path,
) -> None:
    other = make_desk(other_store, clock, dispatcher, FileStore(tmp_path / "attachments"))
    alice_a, alice_b = Chat(fdesk, "alice"), Chat(other, "alice")
    await alice_a.report(title="Payouts fail")
    for round_ in range(1, 4):
        await send(alice_a, write(tmp_path, f"trace-{round_}.log", LOG))
        value = undo_value(alice_a)
        answers = await asyncio.gather(alice_a.press(value), alice_b.press(value))
        assert sum(a.startswith(f"Taken trace-{round_}.log off INT-1.") for a in answers) == 1
        assert sum("no longer on INT-1" in a for a in answers) == 1, answers
        await alice_a.say("cancel")
    assert len(await undo_events(fdesk.store)) == 3
    assert await attachments_of(fdesk.store, "INT-1") == []
