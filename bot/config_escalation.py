"""Reads the raw `[escalation]` TOML table into an `EscalationPolicy`.

Every error names the dotted key (`escalation.critical.levels[1].after`) so the operator knows
exactly which line to fix. Keys left out take the defaults of `handlers.escalation.policy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config_error import ConfigError
from handlers.escalation.business_hours import (
    BusinessHoursError,
    parse_business_hours,
    parse_clock_time,
    parse_holiday,
)
from handlers.escalation.durations import DurationError, parse_duration
from handlers.escalation.policy import (
    DEFAULT_SEVERITIES,
    MENTIONS,
    SEVERITIES,
    TARGETS,
    EscalationPolicy,
    Level,
    SeverityPolicy,
)

_TOP_KEYS = {"sweep_interval", "timezone", "business_hours", "holidays", "digest_at", *SEVERITIES}
_SEVERITY_KEYS = {
    "acknowledge_within",
    "resolve_within",
    "business_hours_only",
    "levels",
    "repeat_every",
    "max_repeats",
}
_LEVEL_KEYS = {"after", "notify", "mention"}


def _table(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(key, f"expected a table, got {type(value).__name__}")
    return value


def _no_unknown(table: Mapping[str, Any], allowed: set[str], key: str) -> None:
    for name in table:
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise ConfigError(f"{key}.{name}", f"unknown key (known keys: {known})")


def _duration(value: object, key: str, *, positive: bool = False) -> timedelta:
    try:
        delta = parse_duration(value)
    except DurationError as exc:
        raise ConfigError(key, str(exc)) from None
    if positive and delta <= timedelta(0):
        raise ConfigError(key, "must be longer than zero")
    return delta


def _optional_duration(value: object, key: str) -> timedelta | None:
    # "" or "0s" switches an SLA clock off; TOML has no null.
    if value == "":
        return None
    delta = _duration(value, key)
    return delta or None


def _bool(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, f"expected true or false, got {value!r}")
    return value


def _level(raw: object, key: str) -> Level:
    table = _table(raw, key)
    _no_unknown(table, _LEVEL_KEYS, key)
    if "after" not in table:
        raise ConfigError(f"{key}.after", "missing: when this level is due, e.g. '15m'")
    after = _duration(table["after"], f"{key}.after")
    notify_raw = table.get("notify", ["team"])
    if not isinstance(notify_raw, list) or not notify_raw:
        raise ConfigError(f"{key}.notify", "expected a non-empty list such as ['team', 'leads']")
    for index, target in enumerate(notify_raw):
        if target not in TARGETS:
            raise ConfigError(
                f"{key}.notify[{index}]", f"{target!r} is not a target (use 'team' or 'leads')"
            )
    mention = table.get("mention")
    if mention is not None and mention not in MENTIONS:
        raise ConfigError(f"{key}.mention", f"{mention!r} is not supported (use 'everyone')")
    return Level(after=after, notify=tuple(dict.fromkeys(notify_raw)), mention=mention)


def _levels(value: object, key: str) -> tuple[Level, ...]:
    if not isinstance(value, list):
        raise ConfigError(
            key, "expected a list of tables like { after = '15m', notify = ['team'] }"
        )
    levels = tuple(_level(raw, f"{key}[{index}]") for index, raw in enumerate(value))
    for index in range(1, len(levels)):
        if levels[index].after < levels[index - 1].after:
            raise ConfigError(
                f"{key}[{index}].after", "levels must be in order: this one comes before the last"
            )
    return levels


def _severity(raw: object, name: str) -> SeverityPolicy:
    key = f"escalation.{name}"
    table = _table(raw, key)
    _no_unknown(table, _SEVERITY_KEYS, key)
    policy = DEFAULT_SEVERITIES[name]
    changes: dict[str, Any] = {}
    for field_name in ("acknowledge_within", "resolve_within"):
        if field_name in table:
            changes[field_name] = _optional_duration(table[field_name], f"{key}.{field_name}")
    if "business_hours_only" in table:
        changes["business_hours_only"] = _bool(
            table["business_hours_only"], f"{key}.business_hours_only"
        )
    if "levels" in table:
        changes["levels"] = _levels(table["levels"], f"{key}.levels")
    if "repeat_every" in table:
        changes["repeat_every"] = _optional_duration(table["repeat_every"], f"{key}.repeat_every")
    if "max_repeats" in table:
        value = table["max_repeats"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{key}.max_repeats", f"expected a whole number >= 0, got {value!r}")
        changes["max_repeats"] = value
    return replace(policy, **changes)


def _holidays(value: object) -> frozenset[date]:
    key = "escalation.holidays"
    if not isinstance(value, list):
        raise ConfigError(key, "expected a list of dates like ['2026-12-25']")
    days: set[date] = set()
    for index, raw in enumerate(value):
        try:
            days.add(parse_holiday(raw))
        except BusinessHoursError as exc:
            raise ConfigError(f"{key}[{index}]", str(exc)) from None
    return frozenset(days)


def parse_escalation(raw: Mapping[str, Any] | None) -> EscalationPolicy:
    """The policy from the `[escalation]` table (None or {} gives the defaults)."""
    table = _table(raw if raw is not None else {}, "escalation")
    _no_unknown(table, _TOP_KEYS, "escalation")
    changes: dict[str, Any] = {}
    if "sweep_interval" in table:
        changes["sweep_interval"] = _duration(
            table["sweep_interval"], "escalation.sweep_interval", positive=True
        )
    if "timezone" in table:
        zone = table["timezone"]
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                "escalation.timezone", f"{zone!r} is not a time zone (e.g. 'Africa/Dar_es_Salaam')"
            ) from None
        changes["timezone"] = str(zone)
    if "business_hours" in table:
        try:
            changes["business_hours"] = parse_business_hours(table["business_hours"])
        except BusinessHoursError as exc:
            raise ConfigError("escalation.business_hours", str(exc)) from None
    if "holidays" in table:
        changes["holidays"] = _holidays(table["holidays"])
    if "digest_at" in table:
        try:
            changes["digest_at"] = parse_clock_time(table["digest_at"])
        except BusinessHoursError as exc:
            raise ConfigError("escalation.digest_at", str(exc)) from None
    for name in SEVERITIES:
        if name in table:
            changes[name] = _severity(table[name], name)
    return replace(EscalationPolicy(), **changes)
