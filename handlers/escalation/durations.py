"""Durations as operators write them in config: `90s`, `15m`, `4h`, `2d`."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)


class DurationError(ValueError):
    """A duration string could not be read; the message says what is expected."""


def parse_duration(text: object) -> timedelta:
    """Read `"<number><unit>"` with unit s, m, h or d; anything else is a `DurationError`."""
    if not isinstance(text, str):
        raise DurationError(
            f"expected a duration string like '90s', '15m', '4h' or '2d', got {text!r}"
        )
    match = _PATTERN.match(text)
    if match is None:
        raise DurationError(
            f"{text!r} is not a duration: write a whole number followed by s, m, h or d "
            "(e.g. '90s', '15m', '4h', '2d')"
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    return timedelta(seconds=amount * _UNITS[unit])


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling of a duration in the config's own units (round-trips)."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        raise DurationError("durations are never negative")
    for unit in ("d", "h", "m"):
        size = _UNITS[unit]
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def humanize(delta: timedelta) -> str:
    """An age for people to read: `3d 4h`, `2h 5m`, `12m`, `40s`."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"
