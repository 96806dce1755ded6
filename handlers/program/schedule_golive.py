"""`golive PRJ-3 YYYY-MM-DD HH:MM`: the go-live moment, in the desk's time zone, once both sides
signed UAT off. The reminders and the move to go_live follow from the row (see plan.py)."""

from __future__ import annotations

from datetime import datetime

from handlers.messages import t
from handlers.program.common import settings, shown_time, stage_name, tell_merchant, tell_team
from handlers.program.plan import replan
from handlers.turn import Turn
from storage.program_models import Project


def parse_moment(text: str, turn: Turn) -> datetime | None:
    try:
        naive = datetime.strptime(" ".join(text.split()[:2]), "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return naive.replace(tzinfo=settings(turn).calendar.zone)


async def run(turn: Turn, project: Project, text: str) -> None:
    moment = parse_moment(text, turn)
    if moment is None:
        turn.say(t("prj.golive.bad", text=text[:40], reference=project.reference))
        return
    if moment <= turn.now:
        turn.say(t("prj.golive.past", at=shown_time(moment, settings(turn).calendar.zone)))
        return
    if project.stage != "uat":
        turn.say(
            t("prj.golive.stage", reference=project.reference, stage=stage_name(project.stage))
        )
        return
    if project.merchant_signoff_at is None or project.team_signoff_at is None:
        turn.say(t("prj.advance.signoffs", reference=project.reference))
        return
    won = await turn.tx.projects.change(
        project,
        {"stage": "uat", "go_live_at": project.go_live_at},
        go_live_at=moment,
        reminded_day_before=False,
        reminded_hour_before=False,
        updated_at=turn.now,
    )
    if not won:
        turn.say(t("prj.changed_meanwhile", reference=project.reference))
        return
    await replan(turn.tx, project, settings(turn))
    zone = settings(turn).calendar.zone
    turn.tx.projects.record(project, turn.actor, "golive", moment.isoformat(), turn.now)
    await tell_merchant(
        turn,
        project,
        lambda: t("prj.notify.golive", reference=project.reference, at=shown_time(moment, zone)),
    )
    tell_team(
        turn,
        project,
        lambda: t(
            "prj.team.golive",
            reference=project.reference,
            at=shown_time(moment, zone),
            actor=turn.actor_name,
        ),
    )
    turn.say(t("prj.golive.set", reference=project.reference, at=shown_time(moment, zone)))
