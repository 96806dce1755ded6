"""`link PRJ-3 <identity>` / `unlink PRJ-3 <identity>`: the team names who speaks for a merchant.

The person who requested the integration is linked when the project is created; colleagues of
theirs (a developer on Slack, an owner on Telegram) are linked by the team, so that their tickets
are linked to the merchant and its project and they can follow `progress` and run `uat`."""

from __future__ import annotations

import re

from handlers.messages import t
from handlers.program.common import tell_team
from handlers.turn import Turn
from storage.program_models import Project

# The shapes of the identities the channels give people: Telegram's numeric user ids, Slack's
# user ids (U…, or W… on Enterprise Grid), console names.
_IDENTITY = re.compile(r"(telegram:[1-9][0-9]{0,19}|slack:[UW][A-Z0-9]{2,20}|console:[\w.-]{1,64})")

LINK_USAGE = "link PRJ-3 telegram:<id>|slack:<id>"
UNLINK_USAGE = "unlink PRJ-3 telegram:<id>|slack:<id>"


def parse_identity(text: str) -> str | None:
    word = text.split()[0] if text.split() else ""
    channel, _, user = word.partition(":")
    candidate = f"{channel.lower()}:{user.upper() if channel.lower() == 'slack' else user}"
    return candidate if _IDENTITY.fullmatch(candidate) else None


async def _identity_or_usage(turn: Turn, text: str, usage: str) -> str | None:
    if not text.strip():
        turn.say(t("team.usage", usage=usage))
        return None
    identity = parse_identity(text)
    if identity is None:
        turn.say(t("prj.link.bad_identity", identity=text.split()[0][:60]))
    return identity


async def link(turn: Turn, project: Project, text: str) -> None:
    identity = await _identity_or_usage(turn, text, LINK_USAGE)
    if identity is None:
        return
    projects = turn.tx.projects
    merchant = await projects.merchant(project.merchant_id)
    assert merchant is not None and merchant.id is not None
    owner_id = await projects.link(merchant.id, identity, turn.now)
    if owner_id != merchant.id:
        other = await projects.merchant(owner_id)
        name = other.name if other else "?"
        turn.say(t("prj.link.elsewhere", identity=identity, name=name))
        return
    projects.record(project, turn.actor, "link", identity, turn.now)
    turn.say(t("prj.link.done", identity=identity, name=merchant.name, reference=project.reference))
    tell_team(
        turn,
        project,
        lambda: t("prj.team.linked", identity=identity, name=merchant.name, actor=turn.actor_name),
    )


async def unlink(turn: Turn, project: Project, text: str) -> None:
    identity = await _identity_or_usage(turn, text, UNLINK_USAGE)
    if identity is None:
        return
    merchant = await turn.tx.projects.merchant(project.merchant_id)
    assert merchant is not None and merchant.id is not None
    outcome = await turn.tx.projects.unlink(merchant.id, identity)
    if outcome == "removed":
        turn.tx.projects.record(project, turn.actor, "unlink", identity, turn.now)
    turn.say(t(f"prj.unlink.{outcome}", identity=identity, name=merchant.name))
