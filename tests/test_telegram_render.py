"""Rendering of platform-neutral messages for Telegram: escaping, splitting, keyboards."""

from __future__ import annotations

from bot.channels.telegram.render import (
    INDEX_PREFIX,
    MAX_TEXT,
    escape,
    keyboard,
    render,
    split_text,
    utf16_len,
)
from handlers.events import Choice, Message
from tests.fakes.telegram_html import parse_html


def test_user_text_is_escaped_and_renders_as_typed() -> None:
    typed = 'Title <b>bold</b> & <script>alert("x")</script> &amp;'
    (chunk,) = render(Message(typed))
    assert "<script>" not in chunk.html
    assert parse_html(chunk.html).text == typed
    assert chunk.plain == typed


def test_short_text_is_one_chunk_with_its_keyboard() -> None:
    choices = (Choice("Production", "production"), Choice("Staging", "staging"))
    (chunk,) = render(Message("Which environment?", choices))
    assert chunk.markup is not None
    labels = [b.text for row in chunk.markup.inline_keyboard for b in row]
    assert labels == ["Production", "Staging"]
    assert [b.callback_data for row in chunk.markup.inline_keyboard for b in row] == [
        "production",
        "staging",
    ]


def test_long_text_is_split_under_the_limit_at_line_breaks_keyboard_on_last() -> None:
    line = "Payment stuck in PROCESSING & customer waiting <again>.\n"
    text = line * 200  # ~11,000 characters
    chunks = render(Message(text, (Choice("Confirm", "confirm"),)))
    assert len(chunks) == 3
    for chunk in chunks:
        assert utf16_len(parse_html(chunk.html).text) <= MAX_TEXT
        assert chunk.plain.rstrip("\n").endswith(".")  # cut at a line break, not mid-line
    assert [c.markup is not None for c in chunks] == [False, False, True]
    assert "\n".join(c.plain.rstrip("\n") for c in chunks) + "\n" == text


def test_split_counts_utf16_units_for_emoji() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 units, no break to cut at
    pieces = split_text(text)
    assert [utf16_len(p) for p in pieces] == [4096, 1904]
    assert "".join(pieces) == text


def test_empty_message_text_stays_one_piece() -> None:
    assert split_text("") == [""]


def test_oversized_choice_values_travel_as_index() -> None:
    long_value = "x" * 80
    markup = keyboard((Choice("Short", "short"), Choice("Long", long_value)))
    assert markup is not None
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == ["short", f"{INDEX_PREFIX}1"]


def test_many_or_long_labels_stack_one_per_row() -> None:
    choices = tuple(Choice(f"Option number {n}", str(n)) for n in range(4))
    markup = keyboard(choices)
    assert markup is not None
    assert [len(row) for row in markup.inline_keyboard] == [1, 1, 1, 1]


def test_escape_leaves_quotes_readable() -> None:
    assert escape('a "b" & <c>') == 'a "b" &amp; &lt;c&gt;'
