"""`block <identity> [hours]` and `unblock <identity>`: the team stops (or lets back) a reporter
who floods the desk. Blocks are rows, so they hold across restarts and processes."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.i18n.dates import short_when
from handlers.messages import t
from handlers.turn import Turn

COMMANDS = ("block", "unblock")
DEFAULT_HOURS = 24
MAX_HOURS = 24 * 365
_IDENTITY = re.compile(r"^(telegram|slack|console):(\S{1,200})$")


async def run(turn: Turn, command: str, args: str) -> None:
    if not turn.is_team:
        turn.say(t("team.refused"))
        return
    words = args.split()
    usage = "block <channel:id> [hours]" if command == "block" else "unblock <channel:id>"
    if not words or len(words) > (2 if command == "block" else 1):
        turn.say(t("team.usage", usage=usage))
        return
    identity = _IDENTITY.match(words[0])
    if identity is None:
        turn.say(t("team.block.bad_identity", identity=words[0][:60]))
        return
    channel, user_id = identity.groups()
    who = f"{channel}:{user_id}"
    if command == "unblock":
        lifted = await turn.tx.reporters.unblock(channel, user_id, turn.now)
        turn.say(t("team.unblocked" if lifted else "team.not_blocked", identity=who))
        return
    if who in turn.desk.settings.members:
        turn.say(t("team.block.member", identity=who))
        return
    hours = _hours(words[1]) if len(words) > 1 else DEFAULT_HOURS
    if hours is None:
        turn.say(t("team.block.bad_hours", max=MAX_HOURS))
        return
    until = turn.now + timedelta(hours=hours)
    await turn.tx.reporters.block(channel, user_id, until, turn.actor)
    shown = short_when(until, t.language, turn.desk.settings.timezone)
    turn.say(t("team.blocked", identity=who, until=shown))


def _hours(word: str) -> int | None:
    if not word.isdigit() or not 1 <= int(word) <= MAX_HOURS:
        return None
    return int(word)
