"""Report an issue: title, details, environment, severity, confirm."""

from __future__ import annotations

from collections.abc import Callable

from handlers import limits
from handlers.events import Choice
from handlers.messages import SEVERITY_DEFINITIONS, t
from handlers.tickets import Draft, created_replies, open_ticket
from handlers.turn import Turn

FLOW = "report"
ENVIRONMENTS = ("staging", "production")
SEVERITIES = ("critical", "major", "minor")


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
}


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


def reprompt(turn: Turn) -> None:
    """Ask the current step's question again (after a language switch)."""
    current = turn.state.step
    if current == "title":
        turn.say(t("report.title", limit=turn.desk.settings.max_title_length))
    elif current == "details":
        turn.say(t("report.details", limit=turn.desk.settings.max_details_length))
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
        _details(turn, text)
    elif current == "environment":
        return _pick(turn, environment_choices(), choice, text, "environment", _ask_severity)
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
        turn.say(t("report.details", limit=turn.desk.settings.max_details_length))


def _details(turn: Turn, text: str) -> None:
    limit = turn.desk.settings.max_details_length
    if not text.strip():
        turn.say(t("report.details.empty"))
    elif len(text) > limit:
        turn.say(t("report.too_long", length=len(text), limit=limit))
    else:
        turn.go(FLOW, "environment", description=text)
        turn.say(t("report.environment"), environment_choices())


def _ask_severity(turn: Turn) -> None:
    turn.go(FLOW, "severity")
    turn.say(t("report.severity", **SEVERITY_DEFINITIONS), severity_choices())


def _summary(turn: Turn) -> None:
    data = turn.state.data
    turn.go(FLOW, "confirm")
    turn.say(
        t(
            "report.summary",
            title=data["title"],
            description=data["description"],
            environment=t.word("environment", data["environment"]),
            severity=t.word("severity", data["severity"]),
        ),
        confirm_choices(),
    )


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
    turn.reset()
    created_replies(turn, ticket)
    return True
