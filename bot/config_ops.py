"""The `[ops]` and `[reports]` tables: the metrics and health listener, the delivery alarm, and
the weekly report. Checked at start-up like every other table; a wrong value names its key."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from bot.config_error import ConfigError
from handlers.escalation.business_hours import DAY_NAMES
from handlers.escalation.durations import DurationError, parse_duration

_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}$")
_WEEKLY = re.compile(r"^([A-Za-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OpsConfig:
    listen: str = "127.0.0.1"
    # None: no metrics or health listener.
    metrics_port: int | None = None
    delivery_alarm_after: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class WeeklyAt:
    weekday: int  # 0 = Monday
    at: time

    def describe(self) -> str:
        return f"{DAY_NAMES[self.weekday].capitalize()} {self.at:%H:%M}"


@dataclass(frozen=True)
class ReportsConfig:
    # None: no weekly post.
    weekly_at: WeeklyAt | None = WeeklyAt(0, time(8, 0))
    chart_weeks: int = 8


def _table(raw: Any, name: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(name, "must be a table")
    unknown = sorted(set(raw) - set(keys))
    if unknown:
        raise ConfigError(f"{name}.{unknown[0]}", "unknown key (see config.example.toml)")
    return raw


def parse_ops(raw: Any) -> OpsConfig:
    table = _table(raw, "ops", ("listen", "metrics_port", "delivery_alarm_after"))
    listen = table.get("listen", OpsConfig.listen)
    if not isinstance(listen, str) or not listen.strip():
        raise ConfigError("ops.listen", f"must be an address such as 127.0.0.1, got {listen!r}")
    listen = listen.strip()
    try:
        ipaddress.ip_address(listen)
    except ValueError:
        if not _HOSTNAME.match(listen):
            raise ConfigError("ops.listen", f"{listen!r} is not an address or host name") from None
    port = table.get("metrics_port", "")
    if port == "":
        metrics_port = None
    elif isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        metrics_port = port
    else:
        raise ConfigError("ops.metrics_port", f'must be 1-65535, or "" for off, got {port!r}')
    after = table.get("delivery_alarm_after", "2m")
    try:
        alarm_after = parse_duration(after)
    except DurationError as exc:
        raise ConfigError("ops.delivery_alarm_after", str(exc)) from None
    if alarm_after <= timedelta(0):
        raise ConfigError("ops.delivery_alarm_after", "must be longer than 0s")
    return OpsConfig(listen, metrics_port, alarm_after)


def parse_weekly_at(value: Any) -> WeeklyAt | None:
    if value == "":
        return None
    match = _WEEKLY.match(value.strip()) if isinstance(value, str) else None
    if match is not None:
        day, hour, minute = match.group(1).lower(), int(match.group(2)), int(match.group(3))
        if day in DAY_NAMES and hour < 24 and minute < 60:
            return WeeklyAt(DAY_NAMES.index(day), time(hour, minute))
    raise ConfigError(
        "reports.weekly_at", f'must be a weekday and a time like "Mon 08:00", or "", got {value!r}'
    )


def parse_reports(raw: Any) -> ReportsConfig:
    table = _table(raw, "reports", ("weekly_at", "chart_weeks"))
    weekly = parse_weekly_at(table.get("weekly_at", "Mon 08:00"))
    weeks = table.get("chart_weeks", ReportsConfig.chart_weeks)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise ConfigError("reports.chart_weeks", f"must be a whole number 1-52, got {weeks!r}")
    return ReportsConfig(weekly, weeks)
