"""Reads one table of the config file with typed getters; every error names its dotted key."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from bot.config_error import ConfigError
from bot.database_url import masked

_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]{0,62}"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


class Section:
    """Reads one TOML table, remembering which keys were used so leftovers can be reported."""

    def __init__(self, name: str, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            raise ConfigError(name, "must be a table")
        self.name = name
        self.raw = raw
        self.used: set[str] = set()

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def get(self, key: str, default: Any, kind: type) -> Any:
        self.used.add(key)
        if key not in self.raw:
            return default
        value = self.raw[key]
        if kind is int and isinstance(value, bool):
            raise ConfigError(self.key(key), "must be a whole number")
        if not isinstance(value, kind):
            raise ConfigError(self.key(key), f"must be a {kind.__name__}, got {value!r}")
        return value

    def string(self, key: str, default: str = "") -> str:
        return str(self.get(key, default, str)).strip()

    def boolean(self, key: str, default: bool) -> bool:
        return bool(self.get(key, default, bool))

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value: int = self.get(key, default, int)
        if not low <= value <= high:
            raise ConfigError(self.key(key), f"must be between {low} and {high}, got {value}")
        return value

    def one_of(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.string(key, default)
        if value not in allowed:
            raise ConfigError(self.key(key), f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    def url(self, key: str, default: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
        value = self.string(key, default)
        if value:
            parsed = urlparse(value)
            if parsed.scheme not in schemes or not parsed.netloc:
                raise ConfigError(
                    self.key(key), f"must be a {'/'.join(schemes)} URL, got {masked(value)!r}"
                )
        return value

    def address(self, key: str, default: str) -> str:
        """Where a server binds: an IP address or a host name (127.0.0.1 keeps it private to
        this machine, behind the TLS proxy; 0.0.0.0 or :: listens on every interface)."""
        value = self.string(key, default)
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not _HOST.match(value):
                raise ConfigError(
                    self.key(key), f"must be an IP address or host name, got {value!r}"
                ) from None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [], list)
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(self.key(key), "must be a list of strings")
        return tuple(item.strip() for item in value)

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            raise ConfigError(self.key(unknown[0]), "unknown key (see config.example.toml)")


def secret(section: Section, key: str, env: Mapping[str, str], variable: str) -> str:
    from_file = section.string(key)
    return env.get(variable, "").strip() or from_file
