"""`integrate`: request integration. Active account?, business name, merchant account id,
overview, objectives (several), systems, target go-live (optional), then Confirm/Cancel."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from handlers.events import Choice
from handlers.messages import t
from handlers.program.common import alert_choices, merchant_of, settings, tell_team
from handlers.program.plan import replan
from handlers.program.settings import OBJECTIVES
from handlers.turn import Turn
from storage.program_models import Merchant, Project

FLOW = "integrate"
NAME_LIMIT = 120
ACCOUNT_LIMIT = 60
SYSTEMS_LIMIT = 500


def _yes_no() -> tuple[Choice, ...]:
    return (Choice(t("prj.yes"), "prj:yes"), Choice(t("prj.no"), "prj:no"))


def objective_choices(chosen: list[str]) -> tuple[Choice, ...]:
    choices = [
        Choice(("✓ " if key in chosen else "") + t.word("objective", key), f"prj:obj:{key}")
        for key in OBJECTIVES
    ]
    choices.append(Choice(t("prj.integrate.objectives_done"), "prj:obj:done"))
    return tuple(choices)


async def start(turn: Turn) -> None:
    if turn.state.flow == FLOW:
        turn.say(t("prj.integrate.already"))
        return
    if await refuse_second(turn):
        return
    turn.reset()
    turn.go(FLOW, "account", objectives=[])
    turn.say(t("prj.integrate.account"), _yes_no())


def _typed_yes_no(choice: str | None, text: str) -> str | None:
    if choice in ("prj:yes", "prj:no"):
        return choice
    word = text.strip().lower().rstrip(".!")
    if word in ("yes", "y", t("prj.yes").lower()):
        return "prj:yes"
    if word in ("no", "n", t("prj.no").lower()):
        return "prj:no"
    return None


async def step(turn: Turn, text: str, choice: str | None) -> bool:
    """Advance the flow; False when a pressed button does not belong to this step."""
    current = turn.state.step
    if choice is None and text.strip().lower().lstrip("/") == "integrate":
        turn.say(t("prj.integrate.already"))
        return True
    if current == "objectives":
        return _objectives(turn, text, choice)
    if current in ("account", "confirm"):
        answer = _typed_yes_no(choice, text)
        if answer is None:
            if choice is not None:
                return False
            turn.say(t("prj.choose_yes_no"), _yes_no())
            return True
        if current == "account":
            await _account(turn, answer == "prj:yes")
        else:
            await _confirm(turn, answer == "prj:yes")
        return True
    if current == "target" and choice == "prj:skip":
        _ask_summary(turn, None)
        return True
    if choice is not None:
        return False
    handler = {"name": _name, "account_id": _account_id, "overview": _overview}
    if current in handler:
        handler[current](turn, text.strip())
    elif current == "systems":
        _systems(turn, text.strip())
    elif current == "target":
        _target(turn, text.strip())
    return True


async def _account(turn: Turn, active: bool) -> None:
    if not active:
        turn.reset()
        turn.say(t("prj.integrate.no_account"))
        return
    merchant = await merchant_of(turn)
    if merchant is not None:
        # Already known: the business and account come from the merchant record.
        turn.go(FLOW, "overview", name=merchant.name, account_id=merchant.account_id)
        turn.say(t("prj.integrate.known", name=merchant.name, account=merchant.account_id))
        turn.say(t("prj.integrate.overview"))
        return
    turn.go(FLOW, "name")
    turn.say(t("prj.integrate.name"))


def _bounded(turn: Turn, value: str, limit: int, empty_key: str) -> bool:
    if not value:
        turn.say(t(empty_key))
        return False
    if len(value) > limit:
        turn.say(t("report.too_long", length=len(value), limit=limit))
        return False
    return True


def _name(turn: Turn, value: str) -> None:
    if _bounded(turn, value, NAME_LIMIT, "prj.integrate.name_empty"):
        turn.go(FLOW, "account_id", name=value)
        turn.say(t("prj.integrate.account_id"))


def _account_id(turn: Turn, value: str) -> None:
    if _bounded(turn, value, ACCOUNT_LIMIT, "prj.integrate.account_id_empty"):
        turn.go(FLOW, "overview", account_id=value)
        turn.say(t("prj.integrate.overview"))


def _overview(turn: Turn, value: str) -> None:
    if _bounded(turn, value, turn.desk.settings.max_details_length, "prj.integrate.overview_empty"):
        turn.go(FLOW, "objectives", overview=value)
        turn.say(t("prj.integrate.objectives"), objective_choices([]))


def _typed_objectives(text: str) -> list[str] | None:
    wanted: list[str] = []
    for part in text.replace(";", ",").split(","):
        word = part.strip().lower()
        if not word:
            continue
        match = [
            k
            for k in OBJECTIVES
            if word in (k, t.word("objective", k).lower()) or word == str(OBJECTIVES.index(k) + 1)
        ]
        if not match:
            return None
        wanted.append(match[0])
    return wanted or None


def _objectives(turn: Turn, text: str, choice: str | None) -> bool:
    chosen: list[str] = list(turn.state.data.get("objectives", []))
    if choice is not None:
        if not choice.startswith("prj:obj:"):
            return False
        key = choice.removeprefix("prj:obj:")
        if key == "done":
            if not chosen:
                turn.say(t("prj.integrate.objectives_none"), objective_choices(chosen))
                return True
            _ask_systems(turn)
            return True
        if key not in OBJECTIVES:
            return False
        chosen = [k for k in chosen if k != key] if key in chosen else [*chosen, key]
        turn.go(FLOW, "objectives", objectives=chosen)
        turn.say(
            t("prj.integrate.objectives_chosen", chosen=_names(chosen)), objective_choices(chosen)
        )
        return True
    typed = _typed_objectives(text)
    if typed is None:
        turn.say(t("prj.integrate.objectives_unknown"), objective_choices(chosen))
        return True
    turn.go(FLOW, "objectives", objectives=list(dict.fromkeys(typed)))
    _ask_systems(turn)
    return True


def _names(keys: list[str]) -> str:
    return ", ".join(t.word("objective", k) for k in keys) or t("none")


def _ask_systems(turn: Turn) -> None:
    turn.go(FLOW, "systems")
    turn.say(t("prj.integrate.systems"))


def _systems(turn: Turn, value: str) -> None:
    if _bounded(turn, value, SYSTEMS_LIMIT, "prj.integrate.systems_empty"):
        turn.go(FLOW, "target", systems=value)
        turn.say(t("prj.integrate.target"), (Choice(t("prj.integrate.skip"), "prj:skip"),))


def _target(turn: Turn, value: str) -> None:
    if value.lower() in ("skip", "-", t("prj.integrate.skip").lower()):
        _ask_summary(turn, None)
        return
    try:
        day = date.fromisoformat(value)
    except ValueError:
        turn.say(t("prj.integrate.target_bad", text=value[:40]))
        return
    today = settings(turn).calendar.local_date(turn.now)
    if day <= today:
        turn.say(t("prj.integrate.target_past", date=day.isoformat()))
        return
    _ask_summary(turn, day.isoformat())


def _ask_summary(turn: Turn, target: str | None) -> None:
    turn.go(FLOW, "confirm", target=target)
    data = turn.state.data
    turn.say(
        t(
            "prj.integrate.summary",
            name=data["name"],
            account=data["account_id"],
            overview=data["overview"],
            objectives=_names(list(data.get("objectives", []))),
            systems=data["systems"],
            target=target or t("prj.integrate.no_target"),
        ),
        (Choice(t("report.confirm"), "prj:yes"), Choice(t("report.cancel"), "prj:no")),
    )


async def _confirm(turn: Turn, yes: bool) -> None:
    data = dict(turn.state.data)
    turn.reset()
    if not yes:
        turn.say(t("cancelled"))
        return
    await file_request(turn, data)


async def refuse_second(turn: Turn) -> bool:
    """Says so and returns True while this merchant's earlier request awaits acceptance."""
    merchant = await merchant_of(turn)
    if merchant is None:
        return False
    for project in await turn.tx.projects.for_merchant(merchant.id):  # type: ignore[arg-type]
        if project.stage == "requested":
            turn.say(t("prj.integrate.pending", reference=project.reference))
            return True
    return False


async def file_request(turn: Turn, data: dict[str, Any]) -> None:
    """Create the project from the collected answers (the chat flow's, or a channel's form:
    name, account_id, overview, objectives, systems, target) and alert the team."""
    tx, now, incoming = turn.tx, turn.now, turn.incoming
    merchant = await merchant_of(turn)
    if merchant is None:
        merchant = await tx.projects.add_merchant(
            Merchant(name=data["name"], account_id=data["account_id"], created_at=now),
            turn.actor,
            now,
        )
    program = settings(turn)
    objectives = list(data.get("objectives", []))
    project = Project(
        merchant_id=merchant.id,  # type: ignore[arg-type]
        overview=data["overview"],
        objectives=json.dumps(objectives),
        systems=data["systems"],
        target_go_live=data.get("target"),
        stage="requested",
        stage_entered_at=now,
        contact_channel=incoming.channel,
        contact_chat_id=incoming.chat_id,
        contact_thread_id=incoming.thread_id,
        created_at=now,
        updated_at=now,
    )
    cases = [(c.title, c.required) for c in program.cases_for(objectives)]
    await tx.projects.create(
        project, program.reference_prefix, program.checklists, cases, turn.actor
    )
    tx.projects.record(project, turn.actor, "requested", data["overview"], now)
    await replan(turn.tx, project, program)
    tell_team(
        turn,
        project,
        lambda: t(
            "prj.alert.new",
            reference=project.reference,
            name=merchant.name,
            account=merchant.account_id,
            requester=f"{turn.actor_name} ({turn.actor})",
            overview=project.overview,
            objectives=_names(objectives),
            systems=project.systems,
            target=project.target_go_live or t("prj.integrate.no_target"),
        ),
        lambda: alert_choices(project),
    )
    turn.say(t("prj.integrate.created", reference=project.reference))
