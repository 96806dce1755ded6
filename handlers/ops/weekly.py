"""The weekly report: the last seven days as text, with the chart of the last `chart_weeks`
weeks, posted to every team chat through the outbox (Slack: a file uploaded into the team
channel; Telegram: a photo in the team group; console: the text and the chart's size).

Each post has a deterministic outbox key per week and place, so two processes (or a restart
within the cron's grace time) post it once.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from handlers.clock import Clock
from handlers.escalation.policy import EscalationPolicy
from handlers.notify import Target
from handlers.ops.chart import render_chart
from handlers.ops.report import build_report
from handlers.ops.report_render import to_text
from storage.store import Store

log = logging.getLogger(__name__)

REPORT = "report"  # outbox kind: text plus a PNG chart (`image_png`, base64)
WEEK = timedelta(days=7)


class WeeklyReport:
    def __init__(
        self,
        store: Store,
        policy: EscalationPolicy,
        clock: Clock,
        team_targets: Sequence[Target],
        chart_weeks: int = 8,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.team_targets = tuple(team_targets)
        self.chart_weeks = chart_weeks
        self.on_outbox = on_outbox

    async def post(self) -> int:
        """Queue this week's report for every team chat; returns how many posts were queued
        (0 when another process queued them already)."""
        now = self.clock.now()
        report = await build_report(self.store, self.policy, now - WEEK, now, now)
        trend = await build_report(self.store, self.policy, now - WEEK * self.chart_weeks, now, now)
        png = await asyncio.to_thread(render_chart, trend)
        text = to_text(report)
        local = now.astimezone(self.policy.zone)
        year, week, _ = local.isocalendar()
        filename = f"deskbot-report-{year}-W{week:02d}.png"
        body = {
            "text": text,
            "choices": [],
            "title": text.splitlines()[0],
            "filename": filename,
            "image_png": base64.b64encode(png).decode("ascii"),
        }
        try:
            async with self.store.transaction() as tx:
                for target in self.team_targets:
                    tx.outbox.add(
                        key=f"{REPORT}:{year}-W{week:02d}:{target.channel}:{target.chat_id}",
                        channel=target.channel,
                        chat_id=target.chat_id,
                        kind=REPORT,
                        payload=body,
                        now=now,
                    )
        except IntegrityError:
            log.info("weekly report %s-W%02d was queued by another process", year, week)
            return 0
        if self.team_targets and self.on_outbox is not None:
            self.on_outbox()
        log.info("weekly report %s queued for %d team chats", filename, len(self.team_targets))
        return len(self.team_targets)
