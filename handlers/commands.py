"""Recognising commands in typed text.

With a leading slash a word is always a command (`/status INT-4`, `/ack@DeskBot INT-4`). Without
one, a word counts as a command only when the whole message has the command's shape, so a merchant
writing "status of my payout is failed" is not answered as if they had typed a command. Inside a
flow only a bare `cancel` is taken as a command; anything else is the answer to the question asked.
"""

from __future__ import annotations

from handlers.references import looks_like_reference

MERCHANT = ("start", "help", "menu", "report", "ask", "status", "mytickets", "mine", "cancel")
TEAM = ("ack", "take", "assign", "resolve", "note", "reply", "list")
ALL = MERCHANT + TEAM
_BARE_ALONE = ("start", "help", "menu", "report", "mytickets", "mine", "cancel")
_LIST_FILTERS = ("", "open", "critical", "major", "minor")


def parse(text: str, in_flow: bool) -> tuple[str, str] | None:
    """`(command, arguments)` or None when the text is not a command."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, rest = stripped[1:].partition(" ")
        head, _, rest2 = head.partition("\n")
        rest = f"{rest2}\n{rest}".strip() if rest2 else rest.strip()
        return head.split("@", 1)[0].lower(), rest
    parts = stripped.split(maxsplit=1)
    if not parts:
        return None
    word = parts[0].lower()
    rest = parts[1].strip() if len(parts) > 1 else ""
    if in_flow:
        return ("cancel", "") if word == "cancel" and not rest else None
    if word in _BARE_ALONE and not rest:
        return word, ""
    if word == "ask" and rest:
        return word, rest
    if word == "report" and rest.isdigit():
        return word, rest  # the team's `report [days]`
    if word == "list" and rest.lower() in _LIST_FILTERS:
        return word, rest
    if word in ("status", *TEAM) and rest and looks_like_reference(rest.split()[0]):
        return word, rest
    return None
