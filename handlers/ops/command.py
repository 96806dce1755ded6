"""The team command `report [days]`: the report of the last `days` days (7 by default), sent to
the asker. For a team member, `report` followed by a number is always this command; a bare
`report` is it only in a team chat, so a member can still file an issue from a direct chat."""

from __future__ import annotations

from handlers.escalation.policy import EscalationPolicy
from handlers.messages import t
from handlers.notify import Target
from handlers.ops.report import last_days, report_in
from handlers.ops.report_render import to_text
from handlers.turn import Turn

DEFAULT_DAYS = 7
MAX_DAYS = 366


def wants_team_report(turn: Turn, args: str) -> bool:
    if not turn.is_team:
        return False
    words = args.split()
    if len(words) == 1 and words[0].isdigit():
        return True
    here = Target(turn.incoming.channel, turn.incoming.chat_id)
    return not words and here in tuple(turn.desk.team_targets)


async def team_report(turn: Turn, args: str, policy: EscalationPolicy | None) -> None:
    words = args.split()
    days = int(words[0]) if words else DEFAULT_DAYS
    if not 1 <= days <= MAX_DAYS:
        turn.say(t("report.usage"))
        return
    since, until = last_days(turn.now, days)
    report = await report_in(turn.tx, policy or EscalationPolicy(), since, until, turn.now)
    turn.say(to_text(report))
