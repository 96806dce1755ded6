"""A long text attachment is redacted in a worker thread (so one merchant's big log does not
hold every other conversation), with the same result as inline, markers in the sender's
language included."""

from __future__ import annotations

import threading
from pathlib import Path

from handlers.desk import Desk
from handlers.downloads import THREAD_ABOVE
from handlers.redaction import Redacted, redact
from storage.files import FileStore
from tests.support import Chat
from tests.test_attachments import attachments_of, fdesk, files, queue_for, send, write

__all__ = ["fdesk", "files"]  # fixtures used by name

KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
LINE = "09:12:01 POST /third-parties/payments/initiate-ussd-push-request ORD20261130A7K9 500\n"


def log_with_secrets(size: int) -> str:
    body = LINE * (size // len(LINE) + 1)
    return f"api-key: {KEY}\n{body}Authorization: Bearer {KEY}x9\ncard 4111 1111 1111 1111\n"


async def stored_text(desk: Desk, files: FileStore, tmp_path: Path, text: str, who: str) -> tuple:
    """Send `text` as a file on a new ticket; the stored text and the threads the filter ran on."""
    chat = Chat(desk, who)
    await chat.report()
    if who == "neema":
        await chat.say("lugha sw")
    await send(chat, write(tmp_path, f"{who}.log", text.encode()))
    queue = queue_for(desk, files)
    threads: list[str] = []

    def recording(value: str, language: str | None) -> Redacted:
        threads.append(threading.current_thread().name)
        return redact(value, language)

    queue.text_filter = recording
    await queue.settle()
    rows = await attachments_of(desk.store, "INT-1" if who == "alice" else "INT-2")
    (row,) = [r for r in rows if r.name == f"{who}.log"]
    return (await files.read(str(row.storage_name))).decode(), threads


async def test_a_long_log_is_redacted_in_a_thread_with_the_same_result(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    text = log_with_secrets(THREAD_ABOVE * 4)
    stored, threads = await stored_text(fdesk, files, tmp_path, text, "alice")
    assert threads and threads[0] != threading.main_thread().name
    assert stored == redact(text, "en").text
    assert KEY not in stored and "4111 1111" not in stored
    assert "[hidden: API key]" in stored and "ORD20261130A7K9" in stored
    # In Swahili, the markers are Swahili: the worker thread speaks the sender's language.
    stored_sw, _ = await stored_text(fdesk, files, tmp_path, text, "neema")
    assert stored_sw == redact(text, "sw").text and stored_sw != stored


async def test_a_short_text_is_redacted_inline(
    fdesk: Desk, files: FileStore, tmp_path: Path
) -> None:
    text = log_with_secrets(1000)
    assert len(text) <= THREAD_ABOVE
    stored, threads = await stored_text(fdesk, files, tmp_path, text, "alice")
    assert threads == [threading.main_thread().name]
    assert stored == redact(text, "en").text
