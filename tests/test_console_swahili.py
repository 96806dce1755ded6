"""The console in Swahili, as a merchant uses it: `deskbot chat --user NAME --lang sw` (stored for
that identity, like `lugha`), and detection from a first Swahili message."""

from __future__ import annotations

from pathlib import Path

from handlers.messages import translate
from tests.support import sw
from tests.test_console_cli import deskbot


def test_lang_sw_runs_the_whole_conversation_in_swahili_and_is_kept(tmp_path: Path) -> None:
    session = [
        "ripoti",
        "Malipo yamekwama",
        "Kila malipo yanabaki PROCESSING",
        "endelea",
        "uzalishaji",
        "hatari",
        "ndiyo",
        "tiketi zangu",
        "Bado yamekwama leo",  # loose text: added to the active ticket
        "ripoti",
        "sitisha",
        "uliza Ninapataje token ya API?",
        "ndiyo",
    ]
    chat = deskbot(tmp_path, "chat", "--user", "amina", "--lang", "sw", stdin="\n".join(session))
    assert chat.returncode == 0, chat.stderr
    out = chat.stdout
    for text in (
        sw("report.title", limit=120),
        sw("report.details", limit=4000),
        sw("report.files.hint"),
        sw("report.files.console"),
        sw("report.environment"),
        "  1. Majaribio (Staging)\n  2. Uzalishaji (Production)",
        sw("report.created", reference="INT-1", severity="Hatari",
           environment="Uzalishaji (Production)"),
        sw("mytickets.header"),
        sw("routing.undo", reference="INT-1"),
        sw("cancelled"),
        sw("ask.helped"),
        sw("ask.thanks"),
        # The reporter's notice that the team is being paged, in Swahili.
        f"[to amina] {sw('notify.paged', reference='INT-1')}",
    ):  # fmt: skip
        assert text in out, text
    assert "Thank you" not in out and "Please" not in out
    # Stored for console:amina: a later session without --lang is still in Swahili.
    again = deskbot(tmp_path, "chat", "--user", "amina", stdin="msaada\n")
    assert again.stdout.startswith(sw("menu", name="amina"))


def test_a_first_swahili_greeting_is_enough(tmp_path: Path) -> None:
    chat = deskbot(tmp_path, "chat", "--user", "baraka", stdin="Habari\nripoti\n")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.startswith(sw("menu", name="baraka"))
    assert sw("report.title", limit=120) in chat.stdout
    english = deskbot(tmp_path, "chat", "--user", "carol", stdin="Hello\n")
    assert english.stdout.startswith(translate("en", "menu").format(name="carol"))
