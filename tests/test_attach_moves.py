"""Files put on a ticket, taken back ("Not about INT-1") and put on another: the guarded updates
decide, never a stale row; a duplicate moved to a ticket without those bytes reaches the team
there; and a ticket resolved while the merchant chose it does not get the file silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from bot.channels.console import ConsoleFetcher
from handlers import attaching
from handlers.desk import Desk
from handlers.downloads import DownloadQueue, FileRef
from handlers.events import Incoming
from handlers.redaction import Redacted
from storage import Store
from storage.files import FileStore
from storage.models import OutboxItem, Status, TicketEvent
from storage.tickets import TicketRepository
from tests.racing import count, notices
from tests.support import Chat
from tests.test_attachments import PNG, attachments_of, fdesk, files, queue_for, send, write
from tests.test_not_about import undo_value

__all__ = ["fdesk", "files"]  # fixtures used by name


async def team_copies(store: Store, reference: str) -> int:
    return await count(store, OutboxItem, kind="attachment", ticket_reference=reference)


async def test_a_row_whose_guarded_update_fails_stays_where_it_is(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """attach() on a row another unit of work put on a ticket (here: on INT-1, not taken back)
    changes nothing: no number, no event, no move by the flush of a stale row."""
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await send(alice, write(tmp_path, "shot.png", PNG))
    await alice.report(title="Checkout 500")
    (row,) = await attachments_of(fdesk.store, "INT-1")
    incoming = Incoming(channel="console", chat_id="alice", user_id="alice", display_name="A")
    async with fdesk.store.transaction() as tx:
        turn = await fdesk._turn(tx, incoming)
        second = await tx.tickets.get("INT-2")
        assert second is not None
        assert await attaching.attach(turn, second, [row.id]) == []
    assert [(r.name, r.number) for r in await attachments_of(fdesk.store, "INT-1")] == [
        ("shot.png", 1)
    ]
    assert await attachments_of(fdesk.store, "INT-2") == []
    assert await count(fdesk.store, TicketEvent, action="attachment", new_value="shot.png") == 1


async def test_a_duplicate_moved_to_another_ticket_reaches_the_team_there(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await send(alice, write(tmp_path, "shot.png", PNG))
    await queue_for(fdesk, files).settle()
    await send(alice, write(tmp_path, "again.png", PNG))
    undo = undo_value(alice)
    await queue_for(fdesk, files).settle()
    assert [r.status for r in await attachments_of(fdesk.store, "INT-1")] == [
        "stored",
        "duplicate",
    ]
    assert await team_copies(fdesk.store, "INT-1") == 1
    await alice.report(title="Checkout 500")
    await alice.press(undo)
    await alice.press_label("Add to INT-2: Checkout 500")
    assert "Added again.png to INT-2" in alice.text
    [moved] = await attachments_of(fdesk.store, "INT-2")
    assert (moved.name, moved.status) == ("again.png", "stored")
    assert await team_copies(fdesk.store, "INT-2") == 1


async def test_a_duplicate_moved_next_to_its_twin_stays_a_duplicate(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """Moved to a ticket that has the same bytes already: no second team copy there."""
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await send(alice, write(tmp_path, "shot.png", PNG))
    await alice.report(title="Checkout 500")
    await send(alice, write(tmp_path, "shot.png", PNG))
    await alice.press_label("Add to INT-2: Checkout 500")
    await queue_for(fdesk, files).settle()
    await send(alice, write(tmp_path, "again.png", PNG))
    await alice.press_label("Add to INT-2: Checkout 500")
    undo = undo_value(alice)
    await queue_for(fdesk, files).settle()
    assert [r.status for r in await attachments_of(fdesk.store, "INT-2")] == [
        "stored",
        "duplicate",
    ]
    await alice.press(undo)
    await alice.press_label("Add to INT-1: Payouts fail")
    assert "Added again.png to INT-1" in alice.text
    assert [(r.name, r.status) for r in await attachments_of(fdesk.store, "INT-1")] == [
        ("shot.png", "stored"),
        ("again.png", "duplicate"),
    ]
    assert await team_copies(fdesk.store, "INT-1") == 1


async def test_a_ticket_resolved_while_the_merchant_chose_it_does_not_take_the_file(
    fdesk: Desk, files: FileStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The choice's first read of INT-2 still says open (another process resolves it before
    attach() locks the row): under the lock the file is refused and the merchant told."""
    alice, lead = Chat(fdesk, "alice"), Chat(fdesk, "lead")
    await alice.report(title="Payouts fail")
    await alice.report(title="Checkout 500")
    await send(alice, write(tmp_path, "shot.png", PNG))
    assert alice.choices[0] == "Add to INT-2: Checkout 500"
    await lead.say("resolve INT-2")
    unlocked_get = TicketRepository.get

    async def stale(self: TicketRepository, reference: str, *, for_update: bool = False):  # type: ignore[no-untyped-def]
        ticket = await unlocked_get(self, reference, for_update=for_update)
        if ticket is not None and reference == "INT-2" and not for_update:
            set_committed_value(ticket, "status", Status.open)
        return ticket

    monkeypatch.setattr(TicketRepository, "get", stale)
    answer = await alice.press("attach:to:INT-2")
    monkeypatch.undo()
    assert answer.startswith("INT-2 is resolved now, so I did not add shot.png to it."), answer
    assert await attachments_of(fdesk.store, "INT-2") == []
    assert alice.choices == ["Add to INT-1: Payouts fail", "Report a new issue with it"]
    assert "Added shot.png to INT-1" in await alice.press_label("Add to INT-1: Payouts fail")


class TakingBack:
    """A fetcher during whose download the merchant presses "Not about INT-1"."""

    def __init__(self, chat: Chat, undo: str) -> None:
        self.chat, self.undo = chat, undo

    async def fetch(self, ref: FileRef, limit: int) -> bytes:
        await self.chat.press(self.undo)
        return await ConsoleFetcher().fetch(ref, limit)


async def test_a_file_taken_back_while_downloading_is_kept_and_its_secrets_told(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """Its bytes are stored with the row (no file on disk that no row names), the sender is told
    what was hidden, and it goes to the ticket they then choose with its team copy."""
    alice = Chat(fdesk, "alice")
    await alice.report(title="Payouts fail")
    await alice.report(title="Checkout 500")
    await send(alice, write(tmp_path, "env.txt", b"API_KEY=abc123\nok"))
    await alice.press_label("Add to INT-1: Payouts fail")
    queue = DownloadQueue(
        fdesk.store,
        {"console": TakingBack(alice, undo_value(alice))},
        files,
        fdesk.clock,
        fdesk.notifier,
        fdesk.settings.attachments,
        text_filter=lambda text, language: Redacted(
            text.replace("abc123", "[hidden]"), ("api_key",)
        ),
    )
    await queue.settle()
    assert alice.text.startswith("Taken env.txt off INT-1.")
    async with fdesk.store.transaction() as tx:
        row = await tx.attachments.get(1)
    assert row is not None and (row.status, row.reason) == ("removed", "stored")
    assert await files.read(str(row.storage_name)) == b"API_KEY=[hidden]\nok"
    told = await notices(fdesk.store, "alice")
    assert any(n.startswith("🔒 For your safety I hid the") and "env.txt" in n for n in told)
    assert "Added env.txt to INT-2" in await alice.press_label("Add to INT-2: Checkout 500")
    [moved] = await attachments_of(fdesk.store, "INT-2")
    assert (moved.name, moved.status) == ("env.txt", "stored")
    assert await team_copies(fdesk.store, "INT-2") == 1
