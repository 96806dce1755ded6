"""The `[attachments]` config table: how large a file may be, where files are kept, how many
one ticket may have. A wrong value stops start-up with the key named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.config_error import ConfigError
from handlers.attaching import AttachmentSettings

# Slack takes files up to 1 GB; past 100 MB a chat is the wrong way to hand over a file.
_MAX_BYTES = (1, 100 * 1024 * 1024)
_MAX_PER_TICKET = (1, 1000)


def _whole(raw: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"attachments.{key}", f"must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"attachments.{key}", f"must be between {low} and {high}, got {value}")
    return value


def parse_attachments(raw: Any) -> AttachmentSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError("attachments", "must be a table")
    for key in raw:
        if key not in ("max_bytes", "path", "max_per_ticket"):
            raise ConfigError(f"attachments.{key}", "unknown key (see config.example.toml)")
    defaults = AttachmentSettings()
    path = raw.get("path", defaults.path)
    if not isinstance(path, str) or not path.strip() or "\x00" in path:
        raise ConfigError("attachments.path", f"must be a folder path, got {path!r}")
    return AttachmentSettings(
        max_bytes=_whole(raw, "max_bytes", defaults.max_bytes, *_MAX_BYTES),
        path=path,
        max_per_ticket=_whole(raw, "max_per_ticket", defaults.max_per_ticket, *_MAX_PER_TICKET),
    )
