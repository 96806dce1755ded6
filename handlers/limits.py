"""Per-reporter limits, so one merchant cannot flood the team or slow the desk for others.

Ticket limits (open tickets, tickets and Critical tickets per hour) are counted from the
tickets themselves, so they hold across processes and restarts; a reporter's tickets are
created one at a time (`ReporterRepository.lock`). Blocks set by the team are rows too. The
message rate is counted in memory, per process: it guards this process's work, and a restart
forgetting the last minute costs nothing.

Whoever goes over a limit gets a clear answer; the team is told once an hour per reporter.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from handlers.i18n.dates import short_when
from handlers.messages import t
from handlers.notify import Target
from handlers.ops import metrics
from handlers.turn import Turn
from storage.models import Severity

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
# Reporters whose recent messages are remembered; the least recently seen are forgotten first.
TRACKED_REPORTERS = 10_000


@dataclass(frozen=True)
class Limits:
    """`[limits]` in the config; 0 switches a limit off."""

    open_tickets: int = 10
    tickets_per_hour: int = 10
    critical_per_hour: int = 3
    messages_per_minute: int = 30
    max_followup_length: int = 4000


class MessageRate:
    """Sliding one-minute window of each reporter's messages, and when each was last told
    to slow down (told once per minute; further messages in that minute are dropped quietly).

    Idempotent per delivery: a turn run again (another turn of the same person committed first,
    ConversationChanged) is not counted a second time, and is told again if its discarded run
    was the one told (that answer was discarded with it). `key` names the delivery: the
    platform's delivery id, else the incoming event itself (the same object on a rerun)."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, deque[tuple[datetime, object]]] = OrderedDict()
        self._told: dict[str, tuple[datetime, object]] = {}

    def admit(self, who: str, now: datetime, per_minute: int, key: object = None) -> bool:
        if per_minute <= 0:
            return True
        window = self._seen.pop(who, None) or deque()
        self._seen[who] = window
        while window and window[0][0] <= now - MINUTE:
            window.popleft()
        if len(self._seen) > TRACKED_REPORTERS:
            forgotten, _ = self._seen.popitem(last=False)
            self._told.pop(forgotten, None)
        if key is not None and any(_same(seen, key) for _, seen in window):
            return True  # counted when this delivery's earlier run got in
        if len(window) >= per_minute:
            return False
        window.append((now, key))
        return True

    def should_tell(self, who: str, now: datetime, key: object = None) -> bool:
        told = self._told.get(who)
        if told is not None and told[0] > now - MINUTE:
            # Unless this delivery's earlier run was the one told (that answer was discarded).
            return key is not None and _same(told[1], key)
        self._told[who] = (now, key)
        return True


def _same(seen: object, key: object) -> bool:
    # Delivery ids compare by value; an event without one, by identity (two messages alike in
    # every field are still two messages).
    return seen is key or (isinstance(seen, str) and seen == key)


async def admit(turn: Turn) -> bool:
    """Whether the desk reads this message. A blocked reporter, or one over the message rate,
    is answered (at most once a minute) and the message is not read."""
    if turn.is_team:
        return True
    incoming, desk = turn.incoming, turn.desk
    who = incoming.member_id
    key = incoming.delivery_id or incoming
    until = await turn.tx.reporters.blocked_until(incoming.channel, incoming.user_id, turn.now)
    if until is not None:
        metrics.limit_hit("blocked")
        if desk.message_rate.should_tell(who, turn.now, key):
            until_text = short_when(until, t.language, desk.settings.timezone)
            turn.say(t("limits.blocked", until=until_text))
        return False
    per_minute = desk.settings.limits.messages_per_minute
    if desk.message_rate.admit(who, turn.now, per_minute, key):
        return True
    metrics.limit_hit("messages_per_minute")
    if desk.message_rate.should_tell(who, turn.now, key):
        turn.say(t("limits.messages", limit=per_minute))
        await tell_team_once(turn, lambda: t("limits.reason.messages", limit=per_minute))
    return False


@dataclass(frozen=True, slots=True)
class Refusal:
    text: str
    critical: bool = False  # only the Critical limit: the same report may go as Major


async def ticket_refusal(turn: Turn, severity: str | None, *, lock: bool = True) -> Refusal | None:
    """Why this reporter may not file a ticket (of `severity`) now, or None when they may.
    Call it in the transaction that files the ticket: it holds the reporter's lock. `lock=False`
    for an early warning that files nothing (a report's first step)."""
    if turn.is_team:
        return None
    incoming, limits, tx = turn.incoming, turn.desk.settings.limits, turn.tx
    channel, user_id = incoming.channel, incoming.user_id
    if lock:
        await tx.reporters.lock(channel, user_id)
    critical = severity == Severity.critical and limits.critical_per_hour
    if not (limits.open_tickets or limits.tickets_per_hour or critical):
        return None
    standing = await tx.reporters.standing(channel, user_id, turn.now - HOUR)
    if limits.open_tickets and standing.open >= limits.open_tickets:
        count = standing.open
        metrics.limit_hit("open_tickets")
        await tell_team_once(turn, lambda: t("limits.reason.open", count=count))
        return Refusal(t("limits.open_tickets", count=count))
    checks = [
        (
            limits.tickets_per_hour,
            standing.recent,
            standing.recent_oldest,
            False,
            "limits.tickets_per_hour",
            "limits.reason.hour",
        )
    ]
    if severity == Severity.critical:
        checks.append(
            (
                limits.critical_per_hour,
                standing.critical,
                standing.critical_oldest,
                True,
                "limits.critical_per_hour",
                "limits.reason.critical",
            )
        )
    for limit, count, oldest, only_critical, answer, reason in checks:
        if limit and count >= limit:
            metrics.limit_hit(answer.removeprefix("limits."))
            await tell_team_once(turn, partial(t, reason, count=count))
            minutes = _minutes_until(oldest, turn.now)
            return Refusal(t(answer, count=count, minutes=minutes), only_critical)
    return None


def _minutes_until(oldest: datetime | None, now: datetime) -> int:
    """Minutes until the oldest ticket in the window leaves it, i.e. until one more fits."""
    if oldest is None:
        return 1
    return max(1, math.ceil((oldest + HOUR - now).total_seconds() / 60))


async def tell_team_once(turn: Turn, reason: Callable[[], str]) -> None:
    """ "amina is over the report limit", once an hour per reporter, in every team place, in
    the team's language (`reason` is written in it too)."""
    incoming = turn.incoming
    if not await turn.tx.reporters.claim_notice(incoming.channel, incoming.user_id, turn.now, HOUR):
        return
    notifier = turn.desk.notifier
    with notifier.for_team():
        text = t(
            "limits.team_notice",
            name=turn.actor_name,
            identity=incoming.member_id,
            reason=reason(),
        )
    for target in turn.desk.team_targets:
        notifier.to_team(turn.tx, Target(target.channel, target.chat_id), text, turn.now)
