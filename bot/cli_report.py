"""`deskbot report`: MTTA, MTTR, SLA attainment, breaches and knowledge-base figures for a
period, as text, JSON or CSV, with an optional PNG chart."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.config_escalation import parse_escalation
from handlers.clock import Clock, SystemClock
from handlers.ops.report import build_report
from handlers.ops.report_render import to_csv, to_json, to_text
from storage import Database, Store

DEFAULT_DAYS = 7


@dataclass(frozen=True, slots=True)
class When:
    """A --since/--until value: a date (a whole day in the desk's zone) or an exact instant."""

    text: str
    day: date | None = None
    instant: datetime | None = None

    def start(self, zone: ZoneInfo) -> datetime:
        if self.instant is not None:
            return self.instant
        assert self.day is not None
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=zone).astimezone(UTC)

    def end(self, zone: ZoneInfo) -> datetime:
        """`--until 2026-11-30` includes that whole day."""
        if self.instant is not None:
            return self.instant
        assert self.day is not None
        following = self.day + timedelta(days=1)
        return datetime(following.year, following.month, following.day, tzinfo=zone).astimezone(UTC)


def when(text: str) -> When:
    value = text.strip()
    try:
        if len(value) == 10:
            return When(value, day=date.fromisoformat(value))
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or a time with its offset "
            "(2026-11-30T08:00+03:00)"
        ) from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. +03:00")
    return When(value, instant=instant.astimezone(UTC))


def add_report_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    report = sub.add_parser(
        "report",
        parents=[common],
        help="MTTA/MTTR, SLA attainment, breaches and knowledge-base figures",
    )
    report.add_argument(
        "--since", type=when, help="first day (YYYY-MM-DD, desk time zone); default 7 days ago"
    )
    report.add_argument("--until", type=when, help="last day, included; default now")
    report.add_argument("--format", choices=["text", "json", "csv"], default="text")
    report.add_argument("--chart", type=Path, help="also draw the chart into this PNG file")


async def run(args: argparse.Namespace, config: Config, clock: Clock | None = None) -> int:
    policy = parse_escalation(config.escalation)
    zone = policy.zone
    now = (clock or SystemClock()).now()
    until = args.until.end(zone) if args.until else now
    since = args.since.start(zone) if args.since else until - timedelta(days=DEFAULT_DAYS)
    if since >= until:
        print("report: --since must be before --until")
        return 2
    async with Database(config.desk.database_url) as database:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        report = await build_report(store, policy, since, until, now)
    render = {"text": to_text, "json": to_json, "csv": to_csv}[args.format]
    print(render(report), end="" if args.format == "csv" else "\n")
    if args.chart is not None:
        from handlers.ops.chart import render_chart

        args.chart.write_bytes(render_chart(report))
    return 0
