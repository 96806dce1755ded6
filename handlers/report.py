"""Report an issue: title, details, files (optional: screenshots and logs, or Continue),
environment, severity, confirm."""

from __future__ import annotations

from collections.abc import Callable

from handlers import attaching, attachments, limits
from handlers.events import Choice
from handlers.filetypes import names_of
from handlers.messages import SEVERITY_DEFINITIONS, t
from handlers.tickets import Draft, created_replies, open_ticket
from handlers.turn import Turn
from storage.models import Attachment

FLOW = "report"
# Kept, once the flow is over, by the report this person filed last: Confirm pressed again (a
# double tap, perhaps through another process) is told where the report went. It lasts until
# their conversation moves on (any reset clears it, a new report's start included). Confirm
# buttons carry no draft of their own, so an old Confirm of a draft abandoned before that report
# is answered with that report too: misleading, but nothing is filed twice or lost.
FILED = "filed"
ENVIRONMENTS = ("staging", "production")
SEVERITIES = ("critical", "major", "minor")
# A message this short cannot be a report's title and details by itself.
MIN_WORDS = 4


def environment_choices() -> tuple[Choice, ...]:
    return tuple(Choice(t(f"report.environment.{e}"), f"env:{e}") for e in ENVIRONMENTS)


def severity_choices() -> tuple[Choice, ...]:
    return tuple(
        Choice(t(f"report.severity.{s}"), f"sev:{s}", SEVERITY_DEFINITIONS[s]) for s in SEVERITIES
    )


def confirm_choices() -> tuple[Choice, ...]:
    return (Choice(t("report.confirm"), "confirm:yes"), Choice(t("report.cancel"), "confirm:no"))


# Words that choose an option when typed, in every language the desk speaks, so "ndiyo"
# confirms whatever language the buttons are in.
TYPED = {
    "env:staging": ("staging", "majaribio"),
    "env:production": ("production", "uzalishaji"),
    "sev:critical": ("critical", "hatari"),
    "sev:major": ("major", "kubwa"),
    "sev:minor": ("minor", "ndogo"),
    "confirm:yes": ("confirm", "yes", "ndiyo", "ndio", "thibitisha"),
    "confirm:no": ("cancel", "no", "hapana", "ghairi"),
    # "no" to "send screenshots or logs now" means there are none: go on.
    "files:continue": (
        "continue",
        "next",
        "done",
        "skip",
        "no",
        "none",
        "nothing",
        "no files",
        "endelea",
        "ruka",
        "tayari",
        "hapana",
        "sina",
        "hakuna",
    ),
}


def files_choices() -> tuple[Choice, ...]:
    return (Choice(t("report.files.continue"), "files:continue"),)


def match_choice(choices: tuple[Choice, ...], choice: str | None, text: str) -> str | None:
    """The chosen value: a pressed button's value, or typed text naming a label ("critical",
    "Majaribio (Staging)") or one of its words in either language ("hatari")."""
    if choice is not None:
        return choice if any(c.value == choice for c in choices) else None
    typed = text.strip().lower().rstrip(".!")
    for c in choices:
        words = (c.label.lower(), c.value.lower(), c.value.split(":", 1)[-1])
        if typed in words or typed in TYPED.get(c.value, ()):
            return c.value
    return None


async def start(turn: Turn, args: str = "") -> None:
    turn.reset()
    refusal = await limits.ticket_refusal(turn, None, lock=False)
    if refusal is not None:
        # Said before the merchant types a whole report that could not be filed.
        turn.say(refusal.text)
        return
    turn.go(FLOW, "title")
    if args.strip():
        await _title(turn, args)
        return
    turn.say(t("report.title", limit=turn.desk.settings.max_title_length))


async def start_with(turn: Turn, text: str, severity: str) -> None:
    """A report begun from a message the merchant already sent (an urgent one): the message is
    its details and, cut to the limit, its title; `severity` is chosen already. The merchant
    picks the environment, then sees the summary and confirms or cancels."""
    turn.reset()
    refusal = await limits.ticket_refusal(turn, severity)
    if refusal is not None and not refusal.critical:
        turn.say(refusal.text)
        return
    details_limit = turn.desk.settings.max_details_length
    title = _shortened(text, turn.desk.settings.max_title_length)
    if refusal is not None:
        # No more Critical reports allowed for now: the merchant chooses another severity.
        turn.say(refusal.text)
    if len(text.split()) < MIN_WORDS or len(text) > details_limit:
        # "urgent!" alone says nothing about what is wrong: ask for the report as usual.
        turn.go(FLOW, "title")
        if refusal is None:
            turn.state.data["preset"] = severity
            turn.say(t("routing.severity.preset"))
        turn.say(t("report.title", limit=turn.desk.settings.max_title_length))
        return
    turn.go(FLOW, "environment", title=title, description=text)
    if refusal is None:
        turn.state.data["preset"] = severity
        turn.say(t("routing.severity.preset"))
    turn.say(t("report.environment"), environment_choices())


def _shortened(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _after_environment(turn: Turn) -> None:
    preset = turn.state.data.pop("preset", None)
    if preset in SEVERITIES:
        turn.state.data["severity"] = preset
        _summary(turn)
    else:
        _ask_severity(turn)


def reprompt(turn: Turn) -> None:
    """Ask the current step's question again (after a language switch)."""
    current = turn.state.step
    if current == "title":
        turn.say(t("report.title", limit=turn.desk.settings.max_title_length))
    elif current == "details":
        ask_details(turn)
    elif current == "files":
        ask_files(turn)
    elif current == "environment":
        turn.say(t("report.environment"), environment_choices())
    elif current == "severity":
        _ask_severity(turn)
    elif current == "confirm":
        _summary(turn)


async def step(turn: Turn, text: str, choice: str | None) -> bool:
    """Advance the flow; False when a pressed button does not belong to this step."""
    current = turn.state.step
    if current == "title":
        if choice is not None:
            return False
        await _title(turn, text)
    elif current == "details":
        if choice is not None:
            return False
        await _details(turn, text)
    elif current == "files":
        return _files_step(turn, choice, text)
    elif current == "environment":
        return _pick(turn, environment_choices(), choice, text, "environment", _after_environment)
    elif current == "severity":
        return _pick(turn, severity_choices(), choice, text, "severity", _summary)
    elif current == "confirm":
        return await _confirm(turn, choice, text)
    return True


async def _title(turn: Turn, text: str) -> None:
    limit = turn.desk.settings.max_title_length
    title = text.strip()
    if not title:
        turn.say(t("report.title.empty"))
    elif len(title) > limit:
        turn.say(t("report.too_long", length=len(title), limit=limit))
    else:
        turn.go(FLOW, "details", title=title)
        ask_details(turn)


async def _details(turn: Turn, text: str) -> None:
    limit = turn.desk.settings.max_details_length
    if not text.strip():
        turn.say(t("report.details.empty"))
        return
    description = text
    if len(text) > limit and turn.desk.files is not None:
        # Pasted logs run long: the first part stays readable inline, the whole is attached.
        description = text[: limit - 1].rstrip() + "…"
        row = await attachments.stored_text(turn, attachments.DETAILS_FILE, text)
        turn.state.data.setdefault("files", []).append(row.id)
        turn.say(t("report.details.long", length=len(text)))
    elif len(text) > limit:
        turn.say(t("report.too_long", length=len(text), limit=limit))
        return
    turn.go(FLOW, "files", description=description, resume="environment")
    ask_files(turn)


def ask_details(turn: Turn) -> None:
    limit = turn.desk.settings.max_details_length
    turn.say(t("report.details", limit=limit) + "\n" + t("report.files.hint"))


def ask_files(turn: Turn) -> None:
    """The optional step: every report offers it, so merchants who did not think of attaching
    a screenshot are asked once. The console has no upload button: it names its command."""
    key = "report.files.console" if turn.incoming.channel == "console" else "report.files"
    turn.say(t(key), files_choices())


def _files_step(turn: Turn, choice: str | None, text: str) -> bool:
    """The optional step for screenshots and logs, after the details (and again when a file
    arrives at a later step): files are kept, typed text is added to the details, Continue
    (or "no", "skip") goes on to the question the report was at."""
    data = turn.state.data
    if match_choice(files_choices(), choice, text) is not None:
        turn.state.step = str(data.pop("resume", "environment"))
        reprompt(turn)
        return True
    if choice is not None:
        return False
    if text.strip() and data.get("description"):
        joined = f"{data['description']}\n{text}"
        limit = turn.desk.settings.max_details_length
        data["description"] = joined if len(joined) <= limit else joined[: limit - 1] + "…"
        turn.say(t("report.files.added_text"), files_choices())
    elif text.strip():
        data["description"] = text[: turn.desk.settings.max_details_length]
        data["resume"] = "environment"
        turn.say(t("report.files.added_text"), files_choices())
    else:
        turn.say(t("report.files"), files_choices())
    return True


async def files_received(turn: Turn, rows: list[Attachment]) -> None:
    """Files sent while a report is being written: kept for the ticket it becomes, and the
    report pauses on "Send screenshots or logs now, or tap Continue". A caption answers the
    current question as typed text would."""
    data = turn.state.data
    data.setdefault("files", []).extend(row.id for row in rows)
    names = names_of(rows)
    caption = turn.incoming.text
    if not rows:
        if caption.strip():
            await step(turn, caption, None)
        return
    current = turn.state.step or "title"
    if current == "title":
        turn.say(t("report.files.kept", names=names))
        if caption.strip():
            await _title(turn, caption)
        else:
            reprompt(turn)
        return
    if current == "details" and not caption.strip():
        turn.say(t("report.files.details_needed", names=names))
        return
    if current == "details":
        await _details(turn, caption)
        if turn.state.step != "files":
            return  # the caption was refused; the question stands
        turn.replies.pop()  # "got" below asks for more files or Continue
        current = "files"
    elif current == "files" and caption.strip():
        _files_step(turn, None, caption)
        turn.replies.pop()
    if current != "files":
        data["resume"] = current
        turn.state.step = "files"
    count = len(data["files"])
    turn.say(t("report.files.got", names=names, count=count), files_choices())


def _ask_severity(turn: Turn) -> None:
    turn.go(FLOW, "severity")
    turn.say(t("report.severity", **SEVERITY_DEFINITIONS), severity_choices())


def _summary(turn: Turn) -> None:
    data = turn.state.data
    turn.go(FLOW, "confirm")
    text = t(
        "report.summary",
        title=data["title"],
        description=data["description"],
        environment=t.word("environment", data["environment"]),
        severity=t.word("severity", data["severity"]),
    )
    if data.get("files"):
        text += "\n" + t("report.summary.files", count=len(data["files"]))
    turn.say(text, confirm_choices())


def _pick(
    turn: Turn,
    choices: tuple[Choice, ...],
    choice: str | None,
    text: str,
    field: str,
    then: Callable[[Turn], None],
) -> bool:
    value = match_choice(choices, choice, text)
    if value is None:
        if choice is not None:
            return False
        turn.say(t("report.choose", options=", ".join(c.label for c in choices)), choices)
        return True
    turn.state.data[field] = value.split(":", 1)[1]
    then(turn)
    return True


async def _confirm(turn: Turn, choice: str | None, text: str) -> bool:
    value = match_choice(confirm_choices(), choice, text)
    if value is None:
        if choice is not None:
            return False
        turn.say(
            t("report.choose", options=f"{t('report.confirm')}, {t('report.cancel')}"),
            confirm_choices(),
        )
        return True
    if value == "confirm:no":
        turn.reset()
        turn.say(t("cancelled"))
        return True
    data = turn.state.data
    refusal = await limits.ticket_refusal(turn, data["severity"])
    if refusal is not None and refusal.critical:
        turn.go(FLOW, "severity")
        turn.say(refusal.text, severity_choices())
        return True
    if refusal is not None:
        # The report stays at this step: Confirm files it once the limit allows.
        turn.say(refusal.text, confirm_choices())
        return True
    ticket = await open_ticket(
        turn,
        Draft(
            title=data["title"],
            description=data["description"],
            severity=data["severity"],
            environment=data["environment"],
        ),
    )
    files = [int(i) for i in data.get("files", [])]
    if files:
        await attaching.attach(turn, ticket, files, transcript=False)
    turn.reset()
    turn.state.data[FILED] = ticket.reference
    created_replies(turn, ticket)
    return True


def pressed_again(turn: Turn, choice: str) -> bool:
    """Confirm pressed after the report was filed: says which ticket it became."""
    filed = turn.state.data.get(FILED) if turn.state.flow is None else None
    if choice != "confirm:yes" or not filed:
        return False
    turn.say(t("report.already_filed", reference=filed))
    return True
