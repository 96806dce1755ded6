"""Parsing the text after `/desk` into one subcommand, or a usage answer for bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass

MERCHANT_VERBS = ("report", "ask", "status", "mine", "help")
TEAM_VERBS = ("list", "ack", "take", "resolve", "reply", "note")
LIST_FILTERS = ("open", "critical", "major", "minor")

_REFERENCE = re.compile(r"^(?:INT-?)?(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DeskCommand:
    """A parsed `/desk` request. `reference` is normalised (`INT-42`); `text` is verbatim."""

    verb: str
    reference: str | None = None
    text: str = ""
    list_filter: str = "open"

    @property
    def for_team(self) -> bool:
        return self.verb in TEAM_VERBS


@dataclass(frozen=True, slots=True)
class CommandProblem:
    """Input we could not parse; `message` says what was wrong (plain text, unescaped)."""

    message: str


def usage(command: str = "/desk", team: bool = False) -> str:
    lines = [
        f"{command} report: report an integration issue (opens a form)",
        f"{command} ask <question>: ask an integration question",
        f"{command} status INT-42: the status of a ticket",
        f"{command} mine: your tickets",
    ]
    if team:
        lines += [
            f"{command} list [open|critical|major|minor]: tickets for the team",
            f"{command} ack|take|resolve INT-42: act on a ticket",
            f"{command} reply INT-42 <text>: answer the merchant",
            f"{command} note INT-42 <text>: an internal note (the merchant never sees it)",
        ]
    return "\n".join(lines)


def normalise_reference(raw: str) -> str | None:
    match = _REFERENCE.match(raw.strip())
    return f"INT-{int(match.group(1))}" if match else None


def parse(text: str, command: str = "/desk") -> DeskCommand | CommandProblem:
    """`text` is what Slack sends in the slash command's `text` field."""
    stripped = text.strip()
    if not stripped:
        return DeskCommand("help")
    verb, _, rest = stripped.partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb in ("help", "report", "mine"):
        return DeskCommand(verb)
    if verb == "ask":
        if not rest:
            return CommandProblem(f"Please add your question: {command} ask <question>")
        return DeskCommand("ask", text=rest)
    if verb == "list":
        chosen = rest.lower() or "open"
        if chosen not in LIST_FILTERS:
            return CommandProblem(f"Usage: {command} list [{'|'.join(LIST_FILTERS)}]")
        return DeskCommand("list", list_filter=chosen)
    if verb in ("status", "ack", "take", "resolve", "reply", "note"):
        raw_ref, _, body = rest.partition(" ")
        reference = normalise_reference(raw_ref) if raw_ref else None
        needs_text = verb in ("reply", "note")
        shape = f"{command} {verb} INT-42" + (" <text>" if needs_text else "")
        if reference is None:
            return CommandProblem(f"Please name a ticket like INT-42: {shape}")
        if needs_text and not body.strip():
            return CommandProblem(f"Please add the text: {shape}")
        if not needs_text and body.strip():
            return CommandProblem(f"Usage: {shape}")
        return DeskCommand(verb, reference=reference, text=body.strip())
    return CommandProblem(f"I don't know “{verb}”.\n{usage(command)}")
