"""The report flow's optional step "Send screenshots or logs now, or tap Continue", offered after
the details of every chat report (both languages), and its counterpart for a report filed from
a form (Slack's modal): the next files sent go to the ticket just filed."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from handlers.desk import Desk
from handlers.tickets import Draft
from storage.files import FileStore
from tests.support import Chat, sw
from tests.test_attachments import PNG, attachments_of, fdesk, files, queue_for, send, write

__all__ = ["fdesk", "files"]  # fixtures used by name


async def to_files_step(chat: Chat) -> str:
    await chat.say("/report")
    await chat.say("Checkout error")
    return await chat.say("The page shows 500 after the phone number")


async def test_every_report_offers_the_files_step_on_the_console(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    alice = Chat(fdesk, "alice")
    asked = await to_files_step(alice)
    assert asked == (
        "Send screenshots or logs now with attach PATH (as many as you like), or type continue."
    )
    assert alice.choices == ["Continue"]
    got = await send(alice, write(tmp_path, "shot.png", PNG))
    assert got.startswith("Got shot.png (1 so far).")
    assert alice.choices == ["Continue"]
    assert await alice.say("continue") == "Where does it happen?"
    await alice.press_label("Production")
    assert "Attachments: 1" in await alice.press_label("Major")
    await alice.press_label("Confirm")
    await queue_for(fdesk, files).settle()
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert (row.name, row.status) == ("shot.png", "stored")


async def test_two_files_in_two_messages_both_reach_the_ticket(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """The second file extends the draft's list of files in place: the turn still saves it
    (it was lost while the bot said "2 so far")."""
    alice = Chat(fdesk, "alice")
    await to_files_step(alice)
    assert (await send(alice, write(tmp_path, "shot.png", PNG))).startswith("Got shot.png (1 so")
    got = await send(alice, write(tmp_path, "shot2.png", PNG + b"2"))
    assert got.startswith("Got shot2.png (2 so far).")
    await alice.say("continue")
    await alice.press_label("Production")
    assert "Attachments: 2" in await alice.press_label("Major")
    await alice.press_label("Confirm")
    await queue_for(fdesk, files).settle()
    rows = await attachments_of(fdesk.store, "INT-1")
    assert [(r.name, r.status) for r in rows] == [("shot.png", "stored"), ("shot2.png", "stored")]


async def test_files_in_quick_succession_after_a_long_paste_all_reach_the_ticket(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """Like a Telegram album (one message per file, at once), with details.txt already in the
    draft's files."""
    alice = Chat(fdesk, "alice")
    await alice.say("/report")
    await alice.say("Every payment fails")
    log = "\n".join(f"09:{i:02d} POST /payments 500 req-{i}" for i in range(200))
    assert "details.txt" in await alice.say(log)
    first, second = Chat(fdesk, "alice"), Chat(fdesk, "alice")
    await asyncio.gather(
        send(first, write(tmp_path, "a.png", PNG + b"a")),
        send(second, write(tmp_path, "b.png", PNG + b"b")),
    )
    await alice.say("continue")
    await alice.press_label("Production")
    assert "Attachments: 3" in await alice.press_label("Major")
    await alice.press_label("Confirm")
    await queue_for(fdesk, files).settle()
    rows = await attachments_of(fdesk.store, "INT-1")
    assert sorted(r.name for r in rows) == ["a.png", "b.png", "details.txt"]
    assert {r.status for r in rows} == {"stored"}


async def test_a_chat_platform_offers_a_continue_button(fdesk: Desk) -> None:
    alice = Chat(fdesk, "alice", channel="telegram")
    asked = await to_files_step(alice)
    assert asked == "Send screenshots or logs now (as many as you like), or tap Continue."
    assert alice.choices == ["Continue"]
    assert alice.last[-1].choices[0].value == "files:continue"


async def test_no_files_goes_on_and_nothing_is_attached(fdesk: Desk) -> None:
    alice = Chat(fdesk, "alice")
    await to_files_step(alice)
    assert await alice.say("No") == "Where does it happen?"
    await alice.press_label("Staging")
    summary = await alice.press_label("Minor")
    assert "Attachments" not in summary
    await alice.press_label("Confirm")
    assert await attachments_of(fdesk.store, "INT-1") == []


async def test_text_at_the_files_step_is_added_to_the_details(fdesk: Desk) -> None:
    alice = Chat(fdesk, "alice")
    await to_files_step(alice)
    assert await alice.say("It started at 09:00 for every customer") == (
        "Added to the details. Send files, or tap Continue."
    )
    assert alice.choices == ["Continue"]
    await alice.press("files:continue")
    await alice.press_label("Production")
    summary = await alice.press_label("Major")
    assert "after the phone number\nIt started at 09:00 for every customer" in summary


async def test_the_files_step_in_swahili(fdesk: Desk, files: FileStore, tmp_path: Path) -> None:
    neema = Chat(fdesk, "neema")
    await neema.say("lugha sw")
    await neema.say("ripoti")
    await neema.say("Malipo yamekwama")
    asked = await neema.say("Kila ombi la malipo linarudisha 500 tangu saa tatu")
    assert asked == sw("report.files.console")
    assert neema.choices == [sw("report.files.continue")] == ["Endelea"]
    got = await send(neema, write(tmp_path, "picha.png", PNG))
    assert got.startswith("Nimepokea picha.png (1 hadi sasa).")
    assert await neema.say("endelea") == sw("report.environment")
    await neema.press("env:production")
    await neema.press("sev:major")
    await neema.press("confirm:yes")
    await queue_for(fdesk, files).settle()
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert row.name == "picha.png"


async def test_hapana_means_no_files(fdesk: Desk) -> None:
    neema = Chat(fdesk, "neema", channel="telegram")
    await neema.say("lugha sw")
    await neema.say("ripoti")
    await neema.say("Malipo yamekwama")
    assert await neema.say("Kila ombi la malipo linarudisha 500") == sw("report.files")
    assert await neema.say("hapana") == sw("report.environment")


async def submit_form(desk: Desk, user: str, title: str) -> str:
    chat = Chat(desk, user, channel="slack")
    incoming = chat._incoming()
    draft = Draft(
        title=title, description="REVERSED after 2 min", severity="major", environment="production"
    )
    messages = await desk.submit_report(incoming, draft)
    return "\n".join(m.text for m in messages)


async def test_a_form_report_takes_the_next_files(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """A form has no files step: its answer says where to send them, and the next files go to
    the ticket just filed even when the merchant has others open (no "which ticket?")."""
    alice = Chat(fdesk, "alice", channel="slack")
    await alice.report(title="Older issue")
    filed = await submit_form(fdesk, "alice", "Payout reversed")
    assert "Screenshots or logs? Send them here and I will add them to INT-2." in filed
    text = await send(alice, write(tmp_path, "reversal.png", PNG))
    assert "Added reversal.png to INT-2" in text
    assert [c for c in alice.choices] == ["Not about INT-2"]
    await queue_for(fdesk, files).settle()
    assert [r.name for r in await attachments_of(fdesk.store, "INT-2")] == ["reversal.png"]
    # Sent one by one, the next ones go there too, while it is what the merchant is busy with.
    assert "Added later.log to INT-2" in await send(alice, write(tmp_path, "later.log", b"500"))
    fdesk.clock.advance(fdesk.settings.followup_window + timedelta(minutes=1))  # type: ignore[attr-defined]
    await send(alice, write(tmp_path, "other.log", b"404"))
    assert "Which ticket is other.log about?" in alice.text


async def test_a_form_report_says_where_to_send_files_in_swahili(fdesk: Desk) -> None:
    neema = Chat(fdesk, "neema", channel="slack")
    await neema.say("lugha sw")
    filed = await submit_form(fdesk, "neema", "Malipo yamekwama")
    assert sw("report.files.after_form", reference="INT-1") in filed


async def test_a_form_report_leaves_a_chat_report_in_progress_alone(fdesk: Desk) -> None:
    alice = Chat(fdesk, "alice", channel="slack")
    await alice.say("/report")
    await alice.say("Checkout error")
    filed = await submit_form(fdesk, "alice", "Payout reversed")
    assert "I will add them to INT-1" in filed
    # The chat report goes on where it was: the details question.
    assert await alice.say("The page shows 500") == (
        "Send screenshots or logs now (as many as you like), or tap Continue."
    )
