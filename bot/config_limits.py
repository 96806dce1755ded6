"""The `[limits]` config table: how much one reporter may ask of the desk (handlers/limits.py).

Every key is a whole number; 0 switches that limit off. A wrong value stops start-up with the
key named, like every other config error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.config_error import ConfigError
from handlers.limits import Limits

# key: (lowest, highest); 0 is always allowed (off) except for the follow-up length.
_RANGES = {
    "open_tickets": (1, 10_000),
    "tickets_per_hour": (1, 10_000),
    "critical_per_hour": (1, 10_000),
    "messages_per_minute": (1, 10_000),
    "max_followup_length": (100, 20_000),
}


def parse_limits(raw: Any, max_details_length: int) -> Limits:
    """`max_details_length` is the follow-up length when `max_followup_length` is not set."""
    if not isinstance(raw, Mapping):
        raise ConfigError("limits", "must be a table")
    for key in raw:
        if key not in _RANGES:
            raise ConfigError(f"limits.{key}", "unknown key (see config.example.toml)")
    values: dict[str, int] = {}
    for key, (low, high) in _RANGES.items():
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"limits.{key}", f"must be a whole number, got {value!r}")
        off_allowed = key != "max_followup_length"
        if not (low <= value <= high or (off_allowed and value == 0)):
            lowest = 0 if off_allowed else low
            raise ConfigError(f"limits.{key}", f"must be between {lowest} and {high}, got {value}")
        values[key] = value
    values.setdefault("max_followup_length", max_details_length)
    return Limits(**values)
