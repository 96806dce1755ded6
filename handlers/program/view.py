"""Showing a project: `progress` for the merchant, `project` for the team, and the UAT list."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.messages import t
from handlers.program.common import find_project, merchant_of, settings, shown_time, stage_name
from handlers.program.settings import STAGES, next_stage
from handlers.turn import Turn
from storage.program_models import Project, ProjectCheck, UatCase
from storage.projects import objectives_of


def checklist_lines(items: Sequence[ProjectCheck]) -> list[str]:
    if not items:
        return [t("prj.checklist.empty")]
    # A layout, not a sentence: nothing in it to translate.
    return [f"{i.position}. [{'✓' if i.done_at else ' '}] {i.item}" for i in items]


def case_lines(cases: Sequence[UatCase]) -> list[str]:
    lines = []
    for c in cases:
        optional = t("prj.uat.optional") if not c.required else ""
        ticket = f" ({c.ticket_reference})" if c.ticket_reference else ""
        status = t.word("uat_status", c.status)
        lines.append(f"{c.number}. {status} · {c.title}{optional}{ticket}")
    return lines


def stage_lines(project: Project) -> list[str]:
    current = STAGES.index(project.stage)
    lines = []
    for index, stage in enumerate(STAGES):
        if index < current or project.stage == "live":
            lines.append(f"✓ {stage_name(stage)}")
        elif index == current:
            lines.append(t("prj.progress.current", stage=stage_name(stage)))
        else:
            lines.append(f"· {stage_name(stage)}")
    return lines


def all_required_passed(cases: Sequence[UatCase]) -> bool:
    return all(c.status == "pass" for c in cases if c.required)


def signable(turn: Turn, cases: Sequence[UatCase]) -> bool:
    """Whether UAT may be signed off; if not, names the required cases not passed."""
    blocking = [c for c in cases if c.required and c.status != "pass"]
    if blocking:
        names = ", ".join(f"{c.number} ({t.word('uat_status', c.status)})" for c in blocking)
        turn.say(t("prj.uat.cannot_sign", cases=names))
    return not blocking


async def waiting_for(turn: Turn, project: Project, open_items: Sequence[ProjectCheck]) -> str:
    if project.stage == "live":
        return t("prj.progress.wait.live")
    if project.stage == "requested":
        return t("prj.progress.wait.requested")
    if project.stage == "uat":
        cases = await turn.tx.projects.cases(project)
        if not all_required_passed(cases):
            return t("prj.progress.wait.uat_run")
        if project.merchant_signoff_at is None:
            return t("prj.progress.wait.uat_signoff")
        if project.go_live_at is None:
            return t("prj.progress.wait.golive_date")
    if open_items:
        return t("prj.progress.wait.items", items="; ".join(i.item for i in open_items))
    return t("prj.progress.wait.team")


async def _merchant_project(turn: Turn, args: str, usage: str) -> Project | None:
    word = args.split()[0] if args.split() else ""
    if word:
        return await find_project(turn, word, usage)
    merchant = await merchant_of(turn)
    projects = [] if merchant is None else await turn.tx.projects.for_merchant(merchant.id)  # type: ignore[arg-type]
    active = [p for p in projects if p.stage != "live"] or list(projects)
    if not active:
        turn.say(t("prj.none"))
        return None
    if len(active) > 1:
        refs = ", ".join(p.reference for p in active)
        turn.say(t("prj.which", usage=usage, references=refs))
        return None
    return active[0]


async def progress(turn: Turn, args: str) -> None:
    project = await _merchant_project(turn, args, "progress")
    if project is None:
        return
    items = await turn.tx.projects.checks(project, project.stage)
    open_items = [i for i in items if i.done_at is None]
    lines = [t("prj.progress.header", reference=project.reference, stage=stage_name(project.stage))]
    lines += stage_lines(project)
    lines.append(t("prj.progress.checklist", stage=stage_name(project.stage)))
    lines += checklist_lines(items)
    lines.append(await waiting_for(turn, project, open_items))
    lines.append(t("prj.progress.owner", owner=project.owner_name or t("prj.progress.no_owner")))
    following = next_stage(project.stage)
    if following is not None:
        needs = await turn.tx.projects.checks(project, following)
        lines.append(
            t(
                "prj.progress.next",
                stage=stage_name(following),
                needs="; ".join(i.item for i in needs) or t("none"),
            )
        )
    if project.go_live_at is not None:
        lines.append(t("prj.progress.go_live", at=local_time(turn, project)))
    turn.say("\n".join(lines))


def local_time(turn: Turn, project: Project) -> str:
    assert project.go_live_at is not None
    return shown_time(project.go_live_at, settings(turn).calendar.zone)


async def detail(turn: Turn, project: Project) -> None:
    tx = turn.tx
    merchant = await tx.projects.merchant(project.merchant_id)
    lines = [
        t(
            "prj.detail.header",
            reference=project.reference,
            name=merchant.name if merchant else "?",
            account=merchant.account_id if merchant else "?",
            stage=stage_name(project.stage),
            owner=project.owner_name or project.owner or t("prj.progress.no_owner"),
        ),
        t(
            "prj.detail.people",
            identities=", ".join(await tx.projects.identities(project.merchant_id)),
        ),
        t("prj.detail.overview", overview=project.overview),
        t(
            "prj.detail.scope",
            objectives=", ".join(t.word("objective", o) for o in objectives_of(project)),
            systems=project.systems,
            target=project.target_go_live or t("prj.integrate.no_target"),
        ),
        t("prj.detail.history"),
    ]
    for row in await tx.projects.history(project):
        note = f": {row.note}" if row.note else ""
        lines.append(f"  {row.entered_at:%Y-%m-%d %H:%M} {stage_name(row.stage)} ({row.by}){note}")
    lines.append(t("prj.progress.checklist", stage=stage_name(project.stage)))
    lines += checklist_lines(await tx.projects.checks(project, project.stage))
    lines.append(t("prj.detail.uat"))
    lines += case_lines(await tx.projects.cases(project))
    lines.append(
        t(
            "prj.detail.signoffs",
            merchant=project.merchant_signoff_by or "—",
            team=project.team_signoff_by or "—",
        )
    )
    if project.go_live_at is not None:
        lines.append(t("prj.progress.go_live", at=local_time(turn, project)))
    tickets = await tx.projects.tickets(project)
    refs = ", ".join(f"{tk.reference} ({t.word('status', tk.status)})" for tk in tickets)
    lines.append(t("prj.detail.tickets", tickets=refs or t("none")))
    turn.say("\n".join(lines))
