"""Recognising commands in typed text.

With a leading slash a word is always a command (`/status INT-4`, `/ack@DeskBot INT-4`). Without
one, a word counts as a command only when the whole message has the command's shape, so a merchant
writing "status of my payout is failed" is not answered as if they had typed a command. Inside a
flow only a bare `cancel` is taken as a command; anything else is the answer to the question asked.
"""

from __future__ import annotations

from handlers.i18n.catalogs import parse_language
from handlers.references import looks_like_reference

MERCHANT = (
    "start", "help", "menu", "report", "ask", "status", "mytickets", "mine", "cancel", "language",
    "integrate", "progress", "uat",
)  # fmt: skip
# The integration program's team commands (handlers/program/team.py); `take`, `reply` and
# `note` act on a project when given a project reference.
PROGRAM_TEAM = (
    "projects", "project", "accept", "owner", "check", "advance", "uatcase", "confirm", "golive",
    "link", "unlink",
)  # fmt: skip
TEAM = (
    "ack",
    "take",
    "assign",
    "resolve",
    "note",
    "reply",
    "list",
    "block",
    "unblock",
    "reopen",
    *PROGRAM_TEAM,
)
ALL = MERCHANT + TEAM
_BARE_ALONE = (
    "start", "help", "menu", "report", "ask", "mytickets", "mine", "cancel", "language",
    "integrate", "progress", "uat", "projects",
)  # fmt: skip
_UAT_WORDS = ("pass", "fail", "signoff", "sign-off")
# Swahili command words (the glossary's) and the command each one is.
ALIASES = {
    "ripoti": "report",
    "uliza": "ask",
    "hali": "status",
    "tiketi": "mytickets",
    "sitisha": "cancel",
    "ghairi": "cancel",
    "msaada": "help",
    "menyu": "menu",
    "lugha": "language",
    "maendeleo": "progress",
}
# Commands that also take their one argument inside a flow ("lugha sw").
_IN_FLOW = ("cancel", "language")
_LIST_FILTERS = ("", "open", "critical", "major", "minor")


def parse(text: str, in_flow: bool) -> tuple[str, str] | None:
    """`(command, arguments)` or None when the text is not a command."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, rest = stripped[1:].partition(" ")
        head, _, rest2 = head.partition("\n")
        rest = f"{rest2}\n{rest}".strip() if rest2 else rest.strip()
        return _canonical(head.split("@", 1)[0].lower(), rest)
    parts = stripped.split(maxsplit=1)
    if not parts:
        return None
    word, rest = _canonical(parts[0].lower(), parts[1].strip() if len(parts) > 1 else "")
    if in_flow:
        if word == "language" and _is_language_word(rest):
            return word, rest
        return (word, "") if word in _IN_FLOW and not rest else None
    if word in _BARE_ALONE and not rest:
        return word, ""
    if word == "language" and _is_language_word(rest):
        return word, rest
    if word == "ask" and rest:
        return word, rest
    if word == "report" and rest.isdigit():
        return word, rest  # the team's `report [days]`
    if word == "list" and rest.lower() in _LIST_FILTERS:
        return word, rest
    first = rest.split()[0] if rest else ""
    if word == "projects":
        return (word, rest) if len(rest.split()) == 1 else None
    if word in PROGRAM_TEAM or word == "progress":
        # Only with a prefixed reference ("check PRJ-3 2"), so "check 5 times" stays prose.
        return (word, rest) if "-" in first and looks_like_reference(first) else None
    if word == "uat":
        words = rest.lower().split()
        shaped = words[-1] in _UAT_WORDS or (len(words) == 1 and looks_like_reference(words[0]))
        return (word, rest) if shaped and len(words) <= 3 else None
    if word in ("status", *TEAM) and rest and looks_like_reference(first):
        return word, rest
    if word in ("block", "unblock") and rest and ":" in rest.split()[0]:
        return word, rest
    return None


def word_for(command: str, language: str) -> str:
    """The command's own word in `language` (`report` -> `ripoti` in Swahili), for menus."""
    if language == "sw":
        for alias, meaning in ALIASES.items():
            if meaning == command:
                return alias
    return command


def _canonical(word: str, rest: str) -> tuple[str, str]:
    if word == "tiketi" and rest.lower() == "zangu":
        return "mytickets", ""
    return ALIASES.get(word, word), rest


def _is_language_word(text: str) -> bool:
    return parse_language(text) is not None
