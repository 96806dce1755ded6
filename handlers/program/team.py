"""The integration team's project commands. Members only; each change is one conditional
UPDATE, and only the change that won writes its notice and its event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.commands import PROGRAM_TEAM
from handlers.messages import t
from handlers.program import people, schedule_golive
from handlers.program.common import find_project, settings, stage_name, tell_merchant, tell_team
from handlers.program.plan import replan
from handlers.program.settings import STAGES, next_stage
from handlers.program.view import detail, signable
from handlers.render import age
from handlers.turn import Turn
from storage.program_models import Project

USAGE = {
    "projects": "projects [stage]",
    "project": "project PRJ-3",
    "accept": "accept PRJ-3",
    "take": "take PRJ-3",
    "reply": "reply PRJ-3 <text>",
    "note": "note PRJ-3 <text>",
    "owner": "owner PRJ-3 <member>",
    "check": "check PRJ-3 <n>",
    "advance": "advance PRJ-3 [note] | advance PRJ-3 force <reason>",
    "uatcase": "uatcase PRJ-3 add <title>",
    "confirm": "confirm PRJ-3",
    "golive": "golive PRJ-3 YYYY-MM-DD HH:MM",
    "link": people.LINK_USAGE,
    "unlink": people.UNLINK_USAGE,
}
COMMANDS = PROGRAM_TEAM
# Ticket commands that act on a project when given a project reference.
SHARED = ("take", "reply", "note")


async def run(turn: Turn, command: str, args: str) -> None:
    if not turn.is_team:
        turn.say(t("team.refused"))
        return
    if command == "projects":
        await list_projects(turn, args)
        return
    word, _, text = args.strip().partition(" ")
    project = await find_project(turn, word, USAGE[command])
    if project is None:
        return
    await ACTIONS[command](turn, project, text.strip())


def stalled(turn: Turn, project: Project) -> bool:
    program = settings(turn)
    if project.stage == "live":
        return False
    return program.calendar.elapsed(project.stage_entered_at, turn.now) >= program.stall_after()


async def list_projects(turn: Turn, args: str) -> None:
    wanted = args.strip().lower()
    if wanted and wanted not in STAGES:
        turn.say(t("prj.bad_stage", stage=wanted[:40], stages=", ".join(STAGES)))
        return
    stages = [wanted] if wanted else [s for s in STAGES if s != "live"]
    projects = list(await turn.tx.projects.search(stages))
    if not projects:
        turn.say(t("prj.list.none"))
        return
    projects.sort(key=lambda p: (not stalled(turn, p), p.stage_entered_at))
    lines = [t("prj.list.header", count=len(projects))]
    for p in projects[:50]:
        merchant = await turn.tx.projects.merchant(p.merchant_id)
        lines.append(
            t(
                "prj.list.line",
                reference=p.reference,
                name=merchant.name if merchant else "?",
                stage=stage_name(p.stage),
                age=age(p.stage_entered_at, turn.now),
                owner=p.owner_name or "—",
                stalled=t("prj.list.stalled") if stalled(turn, p) else "",
            )
        )
    turn.say("\n".join(lines))


async def show(turn: Turn, project: Project, _text: str) -> None:
    await detail(turn, project)


async def moved(turn: Turn, project: Project, old: str, note: str) -> None:
    """After a stage change won: plan the next scheduled work, tell both sides, one event."""
    await replan(turn.tx, project, settings(turn))
    turn.tx.projects.record(project, turn.actor, "stage", f"{old} -> {project.stage}", turn.now)
    await tell_merchant(
        turn,
        project,
        lambda: t(
            "prj.notify.stage",
            reference=project.reference,
            stage=stage_name(project.stage),
            note=f"\n{note}" if note else "",
        ),
    )
    tell_team(
        turn,
        project,
        lambda: t(
            "prj.team.stage",
            reference=project.reference,
            stage=stage_name(project.stage),
            actor=turn.actor_name,
        ),
    )


async def accept(turn: Turn, project: Project, _text: str) -> None:
    if project.stage != "requested":
        turn.say(
            t(
                "prj.accept.not_requested",
                reference=project.reference,
                stage=stage_name(project.stage),
            )
        )
        return
    if not await turn.tx.projects.move(project, "scope", turn.actor_name, "", turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    # Accepting is the team's word that the request is complete: its checklist is done.
    for item in await turn.tx.projects.checks(project, "requested"):
        if item.done_at is None:
            await turn.tx.projects.check(item, turn.actor_name, turn.now)
    await moved(turn, project, "requested", "")
    turn.say(t("prj.accepted", reference=project.reference, stage=stage_name("scope")))


async def _set_owner(turn: Turn, project: Project, member: str, name: str) -> None:
    if project.owner == member:
        turn.say(t("prj.owner.already", reference=project.reference, owner=name))
        return
    if not await turn.tx.projects.take(project, member, name, turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    turn.tx.projects.record(project, turn.actor, "owner", member, turn.now)
    await tell_merchant(
        turn, project, lambda: t("prj.notify.owner", reference=project.reference, owner=name)
    )
    turn.say(t("prj.owner.set", reference=project.reference, owner=name))


async def take(turn: Turn, project: Project, _text: str) -> None:
    await _set_owner(turn, project, turn.actor, turn.actor_name)


async def owner(turn: Turn, project: Project, text: str) -> None:
    wanted = text.split()[0] if text.split() else ""
    if not wanted:
        turn.say(t("team.usage", usage=USAGE["owner"]))
        return
    members = turn.desk.settings.members
    matches = [m for m in members if wanted.lower() in (m.lower(), m.split(":", 1)[1].lower())]
    if len(matches) != 1:
        turn.say(t("team.unknown_member", member=wanted[:60], members=", ".join(sorted(members))))
        return
    await _set_owner(turn, project, matches[0], matches[0].split(":", 1)[1])


async def reply(turn: Turn, project: Project, text: str) -> None:
    if not text:
        turn.say(t("prj.text_missing", usage=f"reply {project.reference} <text>"))
        return
    turn.tx.projects.record(project, turn.actor, "reply", text, turn.now)
    await tell_merchant(
        turn, project, lambda: t("prj.notify.reply", reference=project.reference, text=text)
    )
    turn.say(t("prj.replied", reference=project.reference))


async def note(turn: Turn, project: Project, text: str) -> None:
    if not text:
        turn.say(t("prj.text_missing", usage=f"note {project.reference} <text>"))
        return
    turn.tx.projects.record(project, turn.actor, "note", text, turn.now)
    turn.say(t("prj.noted", reference=project.reference))


async def check(turn: Turn, project: Project, text: str) -> None:
    items = await turn.tx.projects.checks(project, project.stage)
    number = text.split()[0] if text.split() else ""
    item = next((i for i in items if number.isdigit() and i.position == int(number)), None)
    if item is None:
        turn.say(
            t(
                "prj.check.no_item",
                n=number[:10] or "?",
                stage=stage_name(project.stage),
                count=len(items),
            )
        )
        return
    if item.done_at is not None or not await turn.tx.projects.check(
        item, turn.actor_name, turn.now
    ):
        turn.say(t("prj.check.already", n=item.position, item=item.item))
        return
    turn.tx.projects.record(
        project, turn.actor, "check", f"{project.stage} {item.position}", turn.now
    )
    remaining = sum(1 for i in items if i.done_at is None)
    turn.say(
        t(
            "prj.check.done",
            reference=project.reference,
            n=item.position,
            item=item.item,
            remaining=remaining,
        )
    )


async def advance(turn: Turn, project: Project, text: str) -> None:
    following = next_stage(project.stage)
    if following is None:
        turn.say(t("prj.advance.live", reference=project.reference))
        return
    words = text.split(maxsplit=1)
    forced = bool(words) and words[0].lower() == "force"
    note = (words[1].strip() if len(words) > 1 else "") if forced else text
    if forced and not note:
        turn.say(t("prj.advance.force_reason", reference=project.reference))
        return
    if project.stage == "uat" and (
        project.merchant_signoff_at is None or project.team_signoff_at is None
    ):
        turn.say(t("prj.advance.signoffs", reference=project.reference))
        return
    open_items = [
        i for i in await turn.tx.projects.checks(project, project.stage) if i.done_at is None
    ]
    if open_items and not forced:
        names = "; ".join(f"{i.position}. {i.item}" for i in open_items)
        turn.say(t("prj.advance.open_items", reference=project.reference, items=names))
        return
    old = project.stage
    if forced:
        note = t("prj.advance.forced_note", reason=note)
    if not await turn.tx.projects.move(project, following, turn.actor_name, note, turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    await moved(turn, project, old, note)
    turn.say(t("prj.advanced", reference=project.reference, stage=stage_name(following)))


async def uatcase(turn: Turn, project: Project, text: str) -> None:
    verb, _, title = text.partition(" ")
    title = title.strip()
    if verb.lower() != "add" or not title:
        turn.say(t("team.usage", usage=USAGE["uatcase"]))
        return
    if len(title) > 200:
        turn.say(t("report.too_long", length=len(title), limit=200))
        return
    if project.merchant_signoff_at is not None or project.stage in ("go_live", "live"):
        turn.say(t("prj.uatcase.closed", reference=project.reference))
        return
    case = await turn.tx.projects.add_case(project, title)
    turn.tx.projects.record(project, turn.actor, "uatcase", f"{case.number} {title}", turn.now)
    turn.say(t("prj.uatcase.added", reference=project.reference, n=case.number, title=title))


async def confirm(turn: Turn, project: Project, _text: str) -> None:
    if project.stage != "uat":
        turn.say(
            t("prj.uat.not_open", reference=project.reference, stage=stage_name(project.stage))
        )
        return
    if project.team_signoff_at is not None:
        turn.say(
            t("prj.confirm.already", reference=project.reference, actor=project.team_signoff_by)
        )
        return
    if not signable(turn, await turn.tx.projects.cases(project)):
        return
    if not await turn.tx.projects.sign_off(project, "team", turn.actor_name, turn.now):
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    turn.tx.projects.record(project, turn.actor, "team_signoff", "", turn.now)
    await tell_merchant(
        turn, project, lambda: t("prj.notify.team_signed", reference=project.reference)
    )
    turn.say(t("prj.confirmed", reference=project.reference))


async def golive(turn: Turn, project: Project, text: str) -> None:
    await schedule_golive.run(turn, project, text)


ACTIONS: dict[str, Callable[[Turn, Project, str], Awaitable[None]]] = {
    "project": show,
    "accept": accept,
    "take": take,
    "owner": owner,
    "reply": reply,
    "note": note,
    "check": check,
    "advance": advance,
    "uatcase": uatcase,
    "confirm": confirm,
    "golive": golive,
    "link": people.link,
    "unlink": people.unlink,
}
