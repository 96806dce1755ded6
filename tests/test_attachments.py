"""Attachments in the engine, on both databases: the console channel's files (fetched from this
computer by the real ConsoleFetcher), routing, limits, the download queue and the CLI."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.channels.console import ConsoleFetcher, attached_file
from bot.cli_attachments import run as attachments_cli
from bot.cli_tickets import run as tickets_cli
from bot.config import parse_config
from handlers.attaching import AttachmentSettings
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.downloads import DownloadQueue
from handlers.events import Incoming, IncomingFile
from handlers.filetypes import clean_name, matches_extension, sniff
from handlers.limits import Limits
from handlers.notify import Target
from handlers.redaction import Redacted
from storage import Store
from storage.files import FileStore
from tests.conftest import TEAM
from tests.support import Chat, RecordingSender

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 8 + b"pixels" * 30


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "attachments")


def make_desk(
    store: Store,
    clock: FakeClock,
    dispatcher: OutboxDispatcher,
    files: FileStore,
    **settings: object,
) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, **settings),  # type: ignore[arg-type]
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
        files=files,
    )


@pytest.fixture
def fdesk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, files: FileStore) -> Desk:
    return make_desk(store, clock, dispatcher, files)


def queue_for(desk: Desk, files: FileStore) -> DownloadQueue:
    return DownloadQueue(
        desk.store,
        {"console": ConsoleFetcher()},
        files,
        desk.clock,
        desk.notifier,
        desk.settings.attachments,
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "sent" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


async def send(chat: Chat, path: Path, caption: str = "", size: int | None = None) -> str:
    file = IncomingFile(
        "file", str(path), path.name, path.stat().st_size if size is None else size, "", str(path)
    )
    incoming = Incoming(
        channel=chat.channel,
        chat_id=chat.user,
        user_id=chat.user,
        display_name=chat.user.title(),
        text=caption,
        files=(file,),
    )
    chat.last = await chat.desk.handle(incoming)
    return chat.text


async def attachments_of(store: Store, reference: str) -> list:
    async with store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return list(await tx.attachments.for_ticket(ticket.id))  # type: ignore[arg-type]


async def test_a_file_with_no_open_ticket_starts_a_report(
    fdesk: Desk, files: FileStore, tmp_path: Path, sent: RecordingSender, dispatcher
) -> None:
    alice = Chat(fdesk, "alice")
    text = await send(alice, write(tmp_path, "screen.png", PNG), caption="Checkout error")
    assert "Got screen.png. Let's open a ticket for it." in text
    # The caption was a short line: it became the title.
    assert "What happened?" in text
    await alice.say("The page shows 500 after the phone number")
    await alice.press_label("Continue")
    await alice.press_label("Production")
    await alice.press_label("Major")
    assert "Attachments: 1" in alice.text
    await alice.press_label("Confirm")
    await queue_for(fdesk, files).settle()
    await dispatcher.deliver_due()
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert (row.status, row.mime_type, row.name) == ("stored", "image/png", "screen.png")
    (copy,) = [i for i in sent.items if i.kind == "attachment"]
    assert copy.chat_id == "team" and copy.payload["file"]["storage_name"] == row.sha256
    assert "INT-1 · Alice: screen.png (image/png" in copy.payload["text"]


async def test_several_open_tickets_ask_which(fdesk: Desk, tmp_path: Path) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report(title="USSD push fails")
    await alice.report(title="Payout reversed")
    await send(alice, write(tmp_path, "trace.log", b"POST /payouts 500\n"))
    assert alice.choices == [
        "Add to INT-2: Payout reversed",
        "Add to INT-1: USSD push fails",
        "Report a new issue with it",
    ]
    await alice.press_label("Add to INT-1: USSD push fails")
    assert "Added trace.log to INT-1" in alice.text
    assert [r.name for r in await attachments_of(fdesk.store, "INT-1")] == ["trace.log"]
    assert await attachments_of(fdesk.store, "INT-2") == []


async def test_someone_elses_choice_cannot_move_a_file(fdesk: Desk, tmp_path: Path) -> None:
    alice, bob = Chat(fdesk, "alice"), Chat(fdesk, "bob")
    await alice.report(title="One")
    await alice.report(title="Two")
    await bob.report(title="Bob's")
    await send(alice, write(tmp_path, "a.txt", b"alice's log"))
    assert "I no longer have that file" in await bob.press("attach:to:INT-1")
    assert await attachments_of(fdesk.store, "INT-1") == []


async def test_a_50_file_burst_is_held_to_the_message_rate(fdesk: Desk, tmp_path: Path) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report()
    path = write(tmp_path, "burst.txt", b"same")
    answers = [await send(alice, path) for _ in range(50)]
    slowed = [a for a in answers if "faster than the desk can read" in a]
    assert len(slowed) == 1
    # 30 messages a minute (the report took 7 of them).
    rows = await attachments_of(fdesk.store, "INT-1")
    assert len(rows) == Limits().messages_per_minute - 7


async def test_a_ticket_holds_at_most_max_per_ticket(
    store: Store, clock: FakeClock, dispatcher: OutboxDispatcher, files: FileStore, tmp_path: Path
) -> None:
    desk = make_desk(
        store, clock, dispatcher, files, attachments=AttachmentSettings(max_per_ticket=2)
    )
    alice = Chat(desk, "alice")
    await alice.report()
    for number in range(3):
        text = await send(alice, write(tmp_path, f"f{number}.txt", b"%d" % number))
    assert "INT-1 already has 2 attachments, so f2.txt was not added." in text
    assert len(await attachments_of(store, "INT-1")) == 2


async def test_refusals_before_any_download(fdesk: Desk, tmp_path: Path) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report()
    empty = write(tmp_path, "empty.log", b"")
    assert "empty.log is empty (0 bytes)" in await send(alice, empty)
    big = write(tmp_path, "big.zip", b"PK\x03\x04")
    text = await send(alice, big, size=21 * 1024 * 1024)
    assert "big.zip is 21 MB; the desk takes files up to 20 MB." in text
    assert await attachments_of(fdesk.store, "INT-1") == []


async def test_a_long_paste_is_kept_whole_as_details_txt(fdesk: Desk, files: FileStore) -> None:
    alice = Chat(fdesk, "alice")
    log = "\n".join(f"09:{i:02d} POST /third-parties/payments 500 req-{i}" for i in range(130))
    assert len(log) > 5000
    await alice.say("/report")
    await alice.say("Every payment fails")
    text = await alice.say(log)
    assert "whole text is attached as details.txt" in text
    assert alice.choices == ["Continue"]
    await alice.press_label("Continue")
    await alice.press_label("Production")
    await alice.press_label("Critical")
    await alice.press_label("Confirm")
    async with fdesk.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.description == log[:3999].rstrip() + "…"
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert (row.name, row.status, row.mime_type) == ("details.txt", "stored", "text/plain")
    assert (await files.read(str(row.storage_name))).decode() == log


async def test_text_attachments_pass_the_text_filter(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    """The hook redaction uses: whatever it returns is what is stored and forwarded."""
    alice = Chat(fdesk, "alice")
    await alice.report()
    await send(alice, write(tmp_path, "env.txt", b"API_KEY=abc123\nok"))
    queue = queue_for(fdesk, files)
    queue.text_filter = lambda text, language: Redacted(
        text.replace("abc123", "[hidden]"), ("api_key",)
    )
    await queue.settle()
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert (await files.read(str(row.storage_name))) == b"API_KEY=[hidden]\nok"
    assert b"abc123" not in b"".join(p.read_bytes() for p in files.root.iterdir())


async def test_the_cli_lists_and_writes_attachments(
    fdesk: Desk, files: FileStore, tmp_path: Path, database_url: str, capsys
) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report()
    await send(alice, write(tmp_path, "shot.png", PNG))
    await send(alice, write(tmp_path, "later.txt", b"not yet fetched"))
    queue = queue_for(fdesk, files)
    async with fdesk.store.transaction() as tx:
        # Only the first is fetched before the listing: the second shows as pending.
        (first,) = await tx.attachments.claim_due(["console"], fdesk.clock.now(), queue.lease, 1)
    raw = {
        "desk": {"database_url": database_url},
        "attachments": {"path": str(files.root)},
    }
    config = parse_config(raw, env={})
    await queue.handle(first)
    show = argparse.Namespace(tickets_command="show", reference="INT-1", json=True)
    assert await tickets_cli(show, config) == 0
    listed = json.loads(capsys.readouterr().out)["attachments"]
    assert [(a["number"], a["name"], a["status"]) for a in listed] == [
        (1, "shot.png", "stored"),
        (2, "later.txt", "pending"),
    ]
    assert listed[0]["mime_type"] == "image/png" and listed[0]["size"] == len(PNG)
    text = argparse.Namespace(tickets_command="show", reference="INT-1", json=False)
    await tickets_cli(text, config)
    assert "2. later.txt" in capsys.readouterr().out.replace("attachment pending", "PENDING")
    out = tmp_path / "out.png"
    get = argparse.Namespace(reference="int-1", number=1, out=out, force=False)
    assert await attachments_cli(get, config) == 0
    assert out.read_bytes() == PNG
    missing = argparse.Namespace(reference="INT-1", number=2, out=tmp_path / "x", force=False)
    assert await attachments_cli(missing, config) == 1
    assert "not stored (pending)" in capsys.readouterr().out


def test_sniffing_and_names() -> None:
    assert sniff(PNG) == "image/png"
    assert sniff(b"%PDF-1.7\n") == "application/pdf"
    assert sniff(b'{"errorCode": "401"}') == "application/json"
    assert sniff(b"plain log line\n") == "text/plain"
    assert sniff(b"\x00\x01\x02") == "application/octet-stream"
    assert matches_extension("photo.jpg", "image/png")
    assert not matches_extension("invoice.pdf", "image/png")
    assert not matches_extension("report.pdf", "application/x-msdownload")
    assert matches_extension("unknown.xyz", "application/zip")
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("..\\..\\boot.ini") == "boot.ini"
    assert clean_name("a\x00b\x1b[31m.txt") == "a b [31m.txt"
    assert clean_name("\u202egnp.exe") == "gnp.exe"
    assert clean_name("...") == "file"
    long = clean_name("x" * 300 + ".png")
    assert len(long) == 120 and long.endswith(".png")


def test_console_attach_line() -> None:
    assert attached_file("attach /tmp/a.png") == (Path("/tmp/a.png"), "")
    assert attached_file('attach "/tmp/my shot.png" the error') == (
        Path("/tmp/my shot.png"),
        "the error",
    )
    assert attached_file("attachment is coming") is None


def test_console_attach_in_a_piped_session(tmp_path: Path) -> None:
    from tests.test_console_cli import deskbot

    shot = write(tmp_path, "shot.png", PNG)
    session = "\n".join(
        [
            "report",
            "Checkout error",
            "The page shows 500 after the phone number",
            f"attach {shot} the error page",
            "1",  # Continue
            "2",  # Production
            "major",
            "1",  # Confirm
            "attach /no/such/file.png",
        ]
    )
    chat = deskbot(tmp_path, "chat", "--user", "amina", stdin=session + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "Got shot.png (1 so far)" in chat.stdout
    assert "[team · attachment] 📎 INT-1 · amina: shot.png (image/png" in chat.stdout
    assert "There is no file at /no/such/file.png." in chat.stdout
    stored = list((tmp_path / "attachments").iterdir())
    assert [p.read_bytes() for p in stored] == [PNG]
    out = tmp_path / "copy.png"
    got = deskbot(tmp_path, "attachments", "get", "INT-1", "1", "--out", str(out))
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == PNG


@pytest.mark.parametrize(
    ("table", "key", "says"),
    [
        ({"max_bytes": 0}, "attachments.max_bytes", "between 1 and"),
        ({"max_bytes": "20MB"}, "attachments.max_bytes", "whole number"),
        ({"path": ""}, "attachments.path", "folder path"),
        ({"max_per_ticket": 5000}, "attachments.max_per_ticket", "between 1 and 1000"),
        ({"folder": "x"}, "attachments.folder", "unknown key"),
    ],
)
def test_a_wrong_attachments_value_names_its_key(table: dict, key: str, says: str) -> None:
    from bot.config_error import ConfigError

    with pytest.raises(ConfigError) as raised:
        parse_config({"attachments": table}, env={})
    assert key in str(raised.value) and says in str(raised.value)


def test_attachments_defaults() -> None:
    config = parse_config({}, env={})
    assert config.attachments == AttachmentSettings(20 * 1024 * 1024, "attachments", 50)


async def test_status_says_attachment_pending_until_it_arrives(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    alice = Chat(fdesk, "alice")
    await alice.report()
    await send(alice, write(tmp_path, "shot.png", PNG))
    text = await alice.say("status INT-1")
    assert "Attachments:\n1. shot.png · ? · " in text and "attachment pending" in text
    await queue_for(fdesk, files).settle()
    text = await alice.say("status INT-1")
    assert "1. shot.png · image/png · " in text and "· stored" in text
    sw_chat = Chat(fdesk, "alice")
    await sw_chat.say("lugha sw")
    assert "Viambatisho:" in await sw_chat.say("hali INT-1")


async def test_team_show_lists_every_attachment_with_its_state(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    alice, lead = Chat(fdesk, "alice"), Chat(fdesk, "lead")
    await alice.report()
    await send(alice, write(tmp_path, "shot.png", PNG))
    shown = await lead.say("show INT-1")
    assert "Attachments:\n1. shot.png · ? · " in shown and "attachment pending" in shown
    await queue_for(fdesk, files).settle()
    shown = await lead.say("show INT-1")
    assert "1. shot.png · image/png · " in shown and "· stored" in shown
