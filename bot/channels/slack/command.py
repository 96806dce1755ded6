"""Parsing the text after `/desk` into one subcommand, or a usage answer for bad input."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands import PROGRAM_TEAM
from handlers.messages import t
from handlers.references import normalise_reference

MERCHANT_VERBS = (
    "report", "ask", "status", "mine", "help", "language", "integrate", "progress", "uat",
)  # fmt: skip
# The Swahili words for the merchant's subcommands (`/desk ripoti`, `/desk hali INT-2`).
SWAHILI_VERBS = {
    "ripoti": "report",
    "uliza": "ask",
    "hali": "status",
    "tiketi": "mine",
    "msaada": "help",
    "lugha": "language",
    "maendeleo": "progress",
}
# The integration program's team commands take a project reference and arguments as typed.
PROGRAM_TEAM_VERBS = PROGRAM_TEAM
TEAM_VERBS = (
    "list", "ack", "take", "assign", "resolve", "reply", "note", "block", "unblock", "reopen",
    *PROGRAM_TEAM_VERBS,
)  # fmt: skip
LIST_FILTERS = ("open", "critical", "major", "minor")
# `/desk report 7`: the team's report of the last 7 days (a bare `/desk report` opens the form).
TEAM_REPORT = "team_report"


@dataclass(frozen=True, slots=True)
class DeskCommand:
    """A parsed `/desk` request. `reference` is normalised with the desk's prefix (`INT-42`);
    `text` is verbatim."""

    verb: str
    reference: str | None = None
    text: str = ""
    list_filter: str = "open"

    @property
    def for_team(self) -> bool:
        return self.verb in TEAM_VERBS or self.verb == TEAM_REPORT


@dataclass(frozen=True, slots=True)
class CommandProblem:
    """Input we could not parse; `message` says what was wrong (plain text, unescaped)."""

    message: str


def usage(command: str, prefix: str, team: bool = False) -> str:
    """The subcommands this person may use; `prefix` is the desk's reference prefix."""
    keys = ["report", "ask", "status", "mine", "program"]
    if team:
        keys += ["list", "act", "reopen", "assign", "reply", "note", "team_report"]
        keys += ["program_team", "block"]
    filters = "|".join(LIST_FILTERS)
    return "\n".join(
        t(f"slack.usage.{key}", command=command, prefix=prefix, filters=filters) for key in keys
    )


def parse(
    text: str, command: str, prefix: str, program_prefix: str = "PRJ"
) -> DeskCommand | CommandProblem:
    """`text` is what Slack sends in the slash command's `text` field; references are read with
    the desk's `prefix` (`42`, `ops-42` -> `OPS-42`), as the engine reads them in chat."""
    stripped = text.strip()
    if not stripped:
        return DeskCommand("help")
    typed, _, rest = stripped.partition(" ")
    typed = typed.lower()
    rest = rest.strip()
    verb = SWAHILI_VERBS.get(typed, typed)
    if typed == "tiketi" and rest.lower() == "zangu":
        rest = ""
    if verb == "report" and rest.isdigit():
        return DeskCommand(TEAM_REPORT, text=rest)
    if verb in ("help", "report", "mine", "integrate"):
        return DeskCommand(verb)
    if verb == "language":
        return DeskCommand(verb, text=rest)
    first = rest.split(maxsplit=1)[0] if rest else ""
    if verb in ("progress", "uat", *PROGRAM_TEAM_VERBS) or (
        verb in ("take", "reply", "note") and first.upper().startswith(f"{program_prefix}-")
    ):
        # Passed on as typed; the engine answers usage and refusals as it does in chat.
        return DeskCommand(verb, reference="", text=rest)
    if verb == "ask":
        if not rest:
            return CommandProblem(t("slack.command.question_missing", command=command))
        return DeskCommand("ask", text=rest)
    if verb == "list":
        chosen = rest.lower() or "open"
        if chosen not in LIST_FILTERS:
            shape = t("slack.command.shape_list", command=command, filters="|".join(LIST_FILTERS))
            return CommandProblem(t("slack.command.usage", shape=shape))
        return DeskCommand("list", list_filter=chosen)
    if verb in ("block", "unblock"):
        # The engine checks the identity and the hours and says what is wrong with them.
        return DeskCommand(verb, text=rest)
    if verb in ("status", "ack", "take", "assign", "resolve", "reply", "note", "reopen"):
        raw_ref, _, body = rest.partition(" ")
        reference = normalise_reference(raw_ref, prefix) if raw_ref else None
        needs_text = verb in ("reply", "note", "assign")
        shape_key = "slack.command.shape_text" if needs_text else "slack.command.shape"
        shape = t(shape_key, command=command, verb=typed, prefix=prefix)
        if reference is None:
            return CommandProblem(t("slack.command.reference_missing", prefix=prefix, shape=shape))
        if needs_text and not body.strip():
            return CommandProblem(t("slack.command.text_missing", shape=shape))
        # resolve takes more references and a note (`resolve INT-1 INT-2 fixed`), as typed in chat.
        if not needs_text and body.strip() and verb != "resolve":
            return CommandProblem(t("slack.command.usage", shape=shape))
        return DeskCommand(verb, reference=reference, text=body.strip())
    return CommandProblem(t("slack.command.unknown", verb=typed, usage=usage(command, prefix)))
