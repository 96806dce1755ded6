"""`uat`: the merchant runs the project's UAT cases. Choose a case, Pass or Fail (typed
`uat 3 pass` works too); a failure asks what happened and the severity, then opens a Staging
issue linked to the project and the case. With every required case passed: Sign off UAT."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.events import Choice
from handlers.messages import SEVERITY_DEFINITIONS, t
from handlers.program.common import find_project, merchant_of, tell_team
from handlers.program.view import all_required_passed, case_lines, signable
from handlers.turn import Turn
from storage.program_models import Project, UatCase

FLOW = "uat"
SEVERITIES = ("critical", "major", "minor")
TITLE_ROOM = 20  # characters kept free in a ticket title for "UAT 12 failed: "


def _severity_choices() -> tuple[Choice, ...]:
    return tuple(
        Choice(t.word("severity", s), f"sev:{s}", SEVERITY_DEFINITIONS[s]) for s in SEVERITIES
    )


def _result_choices() -> tuple[Choice, ...]:
    return (Choice(t("prj.uat.pass"), "prj:pass"), Choice(t("prj.uat.fail"), "prj:fail"))


async def _project(turn: Turn, word: str) -> Project | None:
    if word:
        project = await find_project(turn, word, "uat")
    else:
        merchant = await merchant_of(turn)
        projects = [] if merchant is None else await turn.tx.projects.for_merchant(merchant.id)  # type: ignore[arg-type]
        in_uat = [p for p in projects if p.stage == "uat"]
        if len(in_uat) > 1:
            refs = ", ".join(p.reference for p in in_uat)
            turn.say(t("prj.which", usage="uat", references=refs))
            return None
        project = in_uat[0] if in_uat else (projects[-1] if projects else None)
        if project is None:
            turn.say(t("prj.none"))
            return None
    if project is not None and project.stage != "uat":
        turn.say(
            t("prj.uat.not_open", reference=project.reference, stage=t.word("stage", project.stage))
        )
        return None
    return project


async def command(turn: Turn, args: str) -> None:
    words = args.split()
    word = words[0] if words and "-" in words[0] else ""
    rest = words[1:] if word else words
    project = await _project(turn, word)
    if project is None:
        return
    cases = await turn.tx.projects.cases(project)
    if not rest:
        show(turn, project, cases)
        return
    if rest[0].lower() in ("signoff", "sign-off", "sign"):
        await sign_off(turn, project)
        return
    number = rest[0].lstrip("#")
    case = next((c for c in cases if number.isdigit() and c.number == int(number)), None)
    if case is None:
        turn.say(t("prj.uat.no_case", n=number[:10], reference=project.reference))
        return
    verdict = rest[1].lower() if len(rest) > 1 else ""
    if verdict not in ("pass", "fail", ""):
        turn.say(t("prj.uat.usage"))
        return
    if not await _open_for_results(turn, project):
        return
    if verdict == "pass":
        await _passed(turn, project, case)
    elif verdict == "fail":
        _ask_what(turn, project, case)
    else:
        _ask_result(turn, project, case)


def show(turn: Turn, project: Project, cases: Sequence[UatCase]) -> None:
    lines = [t("prj.uat.header", reference=project.reference), *case_lines(cases)]
    choices = [
        Choice(
            t("prj.uat.case", n=c.number, title=c.title[:40]),
            f"prj:case:{project.reference}:{c.number}",
        )
        for c in cases
    ]
    if project.merchant_signoff_at is None and all_required_passed(cases):
        choices.append(Choice(t("prj.uat.signoff"), f"prj:signoff:{project.reference}"))
    turn.say("\n".join(lines), tuple(choices[:20]))


async def _open_for_results(turn: Turn, project: Project) -> bool:
    if project.merchant_signoff_at is not None:
        turn.say(t("prj.uat.signed_already", reference=project.reference))
        return False
    return True


def _ask_result(turn: Turn, project: Project, case: UatCase) -> None:
    turn.reset()
    turn.go(FLOW, "result", project=project.reference, case=case.number)
    turn.say(t("prj.uat.ask_result", n=case.number, title=case.title), _result_choices())


def _ask_what(turn: Turn, project: Project, case: UatCase) -> None:
    turn.reset()
    turn.go(FLOW, "what", project=project.reference, case=case.number)
    turn.say(t("prj.uat.ask_what", n=case.number, title=case.title))


async def choice(turn: Turn, value: str) -> bool:
    """Buttons offered outside a flow: a case from the list, or Sign off UAT."""
    parts = value.split(":")
    if len(parts) >= 3 and parts[1] == "signoff":
        project = await _project(turn, parts[2])
        if project is not None:
            await sign_off(turn, project)
        return True
    if len(parts) == 4 and parts[1] == "case" and parts[3].isdigit():
        await command(turn, f"{parts[2]} {parts[3]}")
        return True
    return False


async def step(turn: Turn, text: str, pressed: str | None) -> bool:
    data = turn.state.data
    project = await turn.tx.projects.get(str(data.get("project", "")))
    cases = [] if project is None else await turn.tx.projects.cases(project)
    case = next((c for c in cases if c.number == data.get("case")), None)
    if project is None or case is None or project.stage != "uat":
        turn.reset()
        turn.say(t("followup.expired"))
        return True
    current = turn.state.step
    if current == "result":
        word = (pressed or "").removeprefix("prj:") or text.strip().lower()
        if word not in ("pass", "fail"):
            if pressed is not None:
                return False
            turn.say(t("prj.uat.choose"), _result_choices())
            return True
        if not await _open_for_results(turn, project):
            turn.reset()
            return True
        if word == "pass":
            turn.reset()
            await _passed(turn, project, case)
        else:
            _ask_what(turn, project, case)
        return True
    if current == "what":
        if pressed is not None:
            return False
        limit = turn.desk.settings.max_details_length
        if not text.strip():
            turn.say(t("report.details.empty"))
        elif len(text) > limit:
            turn.say(t("report.too_long", length=len(text), limit=limit))
        else:
            turn.go(FLOW, "severity", what=text)
            turn.say(t("report.severity", **SEVERITY_DEFINITIONS), _severity_choices())
        return True
    if current == "severity":
        typed = text.strip().lower()
        severity = (pressed or "").removeprefix("sev:") if pressed else typed
        if severity not in SEVERITIES:
            if pressed is not None:
                return False
            turn.say(
                t("report.choose", options=", ".join(t.word("severity", s) for s in SEVERITIES)),
                _severity_choices(),
            )
            return True
        what = str(data.get("what", ""))
        turn.reset()
        await _failed(turn, project, case, what, severity)
    return True


async def _passed(turn: Turn, project: Project, case: UatCase) -> None:
    if case.status == "pass":
        turn.say(t("prj.uat.already", n=case.number, status=t.word("uat_status", "pass")))
        return
    if not await turn.tx.projects.set_case(case, "pass", turn.actor, turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    turn.tx.projects.record(project, turn.actor, "uat_pass", str(case.number), turn.now)
    tell_team(
        turn,
        project,
        lambda: t(
            "prj.team.uat_passed",
            reference=project.reference,
            n=case.number,
            title=case.title,
            actor=turn.actor_name,
        ),
    )
    turn.say(t("prj.uat.passed", n=case.number))
    cases = await turn.tx.projects.cases(project)
    if all_required_passed(cases):
        turn.say(
            t("prj.uat.all_passed"),
            (Choice(t("prj.uat.signoff"), f"prj:signoff:{project.reference}"),),
        )


async def _failed(turn: Turn, project: Project, case: UatCase, what: str, severity: str) -> None:
    room = turn.desk.settings.max_title_length - TITLE_ROOM
    title = t("prj.uat.ticket_title", n=case.number, title=case.title[:room])
    ticket = await turn.desk.open_issue(
        turn,
        title=title,
        description=what,
        severity=severity,
        environment="staging",
        project=project,
    )
    if not await turn.tx.projects.set_case(
        case, "fail", turn.actor, turn.now, note=what, ticket_reference=ticket.reference
    ):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    turn.tx.projects.record(
        project, turn.actor, "uat_fail", f"{case.number} {ticket.reference}", turn.now
    )
    turn.say(t("prj.uat.failed", n=case.number, ticket=ticket.reference))


async def sign_off(turn: Turn, project: Project) -> None:
    if project.merchant_signoff_at is not None:
        turn.say(t("prj.uat.signed_already", reference=project.reference))
        return
    if not signable(turn, await turn.tx.projects.cases(project)):
        return
    if not await turn.tx.projects.sign_off(project, "merchant", turn.actor_name, turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    turn.tx.projects.record(project, turn.actor, "merchant_signoff", "", turn.now)
    tell_team(
        turn,
        project,
        lambda: t("prj.team.merchant_signed", reference=project.reference, actor=turn.actor_name),
    )
    turn.say(t("prj.uat.signed", reference=project.reference))
