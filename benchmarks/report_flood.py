"""One merchant floods the desk with Critical reports; how much reaches the team, and how long
does a genuine Critical report from another merchant wait behind it?

    python benchmarks/report_flood.py [--spam 100] [--before 30] [--rate 2] [--horizon 120]

Issue 13, item 2. On SQLite, in simulated time (a FakeClock; the run takes seconds):

- `--spam` Critical reports from one merchant ("amina") arrive within half a second (one every
  5 ms, each filed in one step as Slack's report form files it); after the first `--before` of
  them, another merchant ("baraka") files one genuine Critical report.
- Escalation runs with short timers (pages at 0 s, 3 s and 6 s with @everyone, then every 3 s).
- The team chat accepts `--rate` messages a second (Telegram's group limit is about 20 a minute;
  the issue measured 2 a second); a message sent sooner is refused like a 429 with
  `retry_after`, and the outbox tries again.

Printed: tickets filed, alerts and pages queued for the team in the first 9 s, and when (and as
which team-chat message) baraka's alert reached the team. It runs against any checkout: one
from before `[limits]` simply has none.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config_escalation import parse_escalation
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher, SendError
from handlers.desk import Desk, DeskSettings
from handlers.escalation.escalator import Escalator
from handlers.escalation.paging import Audience
from handlers.events import Incoming
from handlers.notify import ALERT, PAGE, Target
from handlers.tickets import Draft
from storage import Database, Store
from storage.outbox import Delivery

TEAM = Target("console", "team")
SHORT_TIMERS = {
    "critical": {
        "acknowledge_within": "15m",
        "resolve_within": "4h",
        "business_hours_only": False,
        "levels": [
            {"after": "0s", "notify": ["team"]},
            {"after": "3s", "notify": ["team"], "mention": "everyone"},
            {"after": "6s", "notify": ["team", "leads"], "mention": "everyone"},
        ],
        "repeat_every": "3s",
        "max_repeats": 8,
    }
}


class TeamChat:
    """The team chat at `rate` messages a second; everything else is delivered at once."""

    def __init__(self, clock: FakeClock, rate: float, start: datetime) -> None:
        self.clock = clock
        self.gap = timedelta(seconds=1 / rate)
        self.start = start
        self.next_free = start
        self.received: list[tuple[float, Delivery]] = []

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        now = self.clock.now()
        if item.chat_id != TEAM.chat_id:
            return f"m{item.id}"
        if now < self.next_free:
            raise SendError("429", retry_after=(self.next_free - now).total_seconds())
        self.next_free = now + self.gap
        self.received.append(((now - self.start).total_seconds(), item))
        return f"m{item.id}"


def settings(limits: bool) -> DeskSettings:
    # The default limits, or none in a checkout from before they existed.
    if limits:
        return DeskSettings(members=frozenset({"console:lead"}))
    from handlers.limits import Limits  # --no-limits: the ordering of the outbox alone

    off = Limits(open_tickets=0, tickets_per_hour=0, critical_per_hour=0, messages_per_minute=0)
    return DeskSettings(members=frozenset({"console:lead"}), limits=off)


async def run(
    spam: int, before: int, rate: float, horizon: float, limits: bool = True
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'flood.db'}")
        await database.upgrade()
        store = Store(database)
        clock = FakeClock()
        start = clock.now()
        chat = TeamChat(clock, rate, start)
        dispatcher = OutboxDispatcher(store, {"console": chat}, clock)
        desk = Desk(store, settings(limits), team_targets=[TEAM], clock=clock)
        audience = Audience(team=(TEAM,), leads=("console:lead",), members=("console:lead",))
        escalator = Escalator(store, parse_escalation(SHORT_TIMERS), clock, desk.notifier, audience)
        desk.observers.append(escalator)

        def report(user: str, title: str) -> Any:
            incoming = Incoming("console", user, user, user.title(), text="")
            draft = Draft(title, "Everything fails", severity="critical", environment="production")
            return desk.submit_report(incoming, draft)

        for n in range(spam):
            if n == before:
                await report("baraka", "GENUINE: payouts down for every customer")
            await report("amina", f"URGENT!!! {n}")
            clock.advance(0.005)
        genuine: tuple[float, int] | None = None
        queued_9s: dict[str, int] = {}
        step = timedelta(seconds=1 / rate / 2)
        while (clock.now() - start).total_seconds() < horizon:
            await escalator.sweep()
            await dispatcher.deliver_due()
            elapsed = (clock.now() - start).total_seconds()
            if elapsed <= 9:
                async with store.transaction() as tx:
                    items = await tx.outbox.items()
                queued_9s = {
                    "alerts": sum(1 for i in items if i.kind == ALERT),
                    "pages": sum(1 for i in items if i.kind == PAGE),
                    "pages_everyone": sum(
                        1 for i in items if i.kind == PAGE and '"everyone"' in i.payload
                    ),
                }
            for number, (at, item) in enumerate(chat.received, start=1):
                if item.kind == ALERT and "GENUINE" in str(item.payload.get("text")):
                    genuine = (at, number)
            if genuine is not None and elapsed > 9:
                break
            clock.advance(step)
        async with store.transaction() as tx:
            filed = await tx.tickets.count()
        refused = spam + 1 - filed
        await database.close()
        return {"filed": filed, "refused": refused, "genuine": genuine, **queued_9s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spam", type=int, default=100)
    parser.add_argument("--before", type=int, default=30)
    parser.add_argument("--rate", type=float, default=2.0, help="team-chat messages a second")
    parser.add_argument("--horizon", type=float, default=120.0, help="simulated seconds, at most")
    parser.add_argument(
        "--no-limits", action="store_true", help="switch the [limits] off (outbox order alone)"
    )
    args = parser.parse_args()
    result = asyncio.run(
        run(args.spam, args.before, args.rate, args.horizon, limits=not args.no_limits)
    )
    print(
        f"{args.spam} Critical reports from one merchant in {args.spam * 5} ms, a genuine one "
        f"after {args.before}; team chat {args.rate:g} msg/s"
    )
    print(f"  tickets filed: {result['filed']} (refused: {result['refused']})")
    print(
        f"  queued for the team in the first 9 s: {result['alerts']} alerts, {result['pages']} "
        f"pages ({result['pages_everyone']} @everyone)"
    )
    if result["genuine"] is None:
        print(f"  the genuine alert had not reached the team after {args.horizon:g} s")
        return 1
    at, number = result["genuine"]
    print(f"  the genuine Critical alert reached the team after {at:.1f} s (message #{number})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
