"""The delivery alarm: a channel whose outbox has held messages for longer than
`[ops] delivery_alarm_after` is said on the other configured channels (team chats and the leads'
direct messages there), once, and a recovery message follows when its backlog drains.

State is a row per channel (storage/ops.py): raising and clearing are conditional updates, so
several processes checking at once still tell the team once. The check reads the injected clock;
`deskbot run` calls it on a short interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from handlers.clock import Clock
from handlers.escalation.durations import humanize
from handlers.escalation.paging import member_target
from handlers.events import Message
from handlers.messages import t
from handlers.notify import Target, payload
from handlers.ops import metrics
from storage.ops import Backlog, OpsRepository
from storage.store import Store, Transaction

log = logging.getLogger(__name__)

ALARM = "alarm"  # outbox kind: adapters send it as a plain message


# Product names are never translated; the console is a word.
PRODUCT_NAMES = {"telegram": "Telegram", "slack": "Slack"}


def channel_label(channel: str) -> str:
    if channel == "console":
        return t("ops.channel.console")
    return PRODUCT_NAMES.get(channel, channel.capitalize())


def waiting_text(backlog: Backlog) -> str:
    if backlog.pages and backlog.oldest_page:
        return t(
            "ops.alarm.pages",
            count=backlog.pending,
            pages=backlog.pages,
            reference=backlog.oldest_page,
            level=backlog.oldest_page_level or "?",
        )
    return t("ops.alarm.messages", count=backlog.pending)


class DeliveryAlarm:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        channels: Sequence[str],
        team_targets: Sequence[Target],
        leads: Sequence[str],
        after: timedelta,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        """`channels`: the channels this process delivers to (the ones watched and told)."""
        self.store = store
        self.clock = clock
        self.channels = tuple(channels)
        self.team_targets = tuple(team_targets)
        self.leads = tuple(leads)
        self.after = after
        self.on_outbox = on_outbox

    def audience(self, failing: str) -> list[Target]:
        """Everyone to tell about `failing`, on the other channels only."""
        found: list[Target] = []
        for target in [*self.team_targets, *(member_target(m) for m in self.leads)]:
            if target is None or target.channel == failing or target in found:
                continue
            if target.channel in self.channels:
                found.append(target)
        return found

    async def check(self) -> list[str]:
        """One look at every channel's backlog; returns what changed (`raised:telegram`,
        `recovered:telegram`) for logs and tests."""
        now = self.clock.now()
        changes: list[str] = []
        queued = False
        async with self.store.transaction() as tx:
            repo = OpsRepository(tx.session)
            backlog = await repo.backlog(self.channels)
            raised = await repo.alarms()
            for channel in self.channels:
                b = backlog[channel]
                stuck = b.oldest_at is not None and now - b.oldest_at >= self.after
                if stuck and channel not in raised:
                    # Raised "since" the oldest waiting message: when the trouble began.
                    assert b.oldest_at is not None
                    if await repo.raise_alarm(channel, b.oldest_at, now):
                        queued |= self._raised(tx, b, now - b.oldest_at, now)
                        changes.append(f"raised:{channel}")
                elif not stuck and channel in raised and await repo.clear_alarm(channel, now):
                    queued |= self._recovered(tx, channel, raised[channel], now)
                    changes.append(f"recovered:{channel}")
        for channel in self.channels:
            up = (channel in raised or f"raised:{channel}" in changes) and (
                f"recovered:{channel}" not in changes
            )
            metrics.ALARM.labels(channel).set(1 if up else 0)
        if queued and self.on_outbox is not None:
            self.on_outbox()
        return changes

    def _raised(self, tx: Transaction, b: Backlog, stuck_for: timedelta, now: datetime) -> bool:
        text = t(
            "ops.alarm",
            channel=channel_label(b.channel),
            duration=humanize(stuck_for),
            waiting=waiting_text(b),
        )
        log.warning("delivery alarm: %s", text)
        return self._tell(tx, b.channel, "raised", text, now)

    def _recovered(self, tx: Transaction, channel: str, since: datetime, now: datetime) -> bool:
        text = t("ops.recovered", channel=channel_label(channel), duration=humanize(now - since))
        log.warning("delivery alarm cleared: %s", text)
        return self._tell(tx, channel, "recovered", text, now)

    def _tell(self, tx: Transaction, channel: str, what: str, text: str, now: datetime) -> bool:
        targets = self.audience(channel)
        for target in targets:
            tx.outbox.add(
                key=f"{ALARM}:{channel}:{what}:{now.isoformat()}:{target.channel}:{target.chat_id}",
                channel=target.channel,
                chat_id=target.chat_id,
                kind=ALARM,
                payload=payload(Message(text)),
                now=now,
            )
        return bool(targets)
