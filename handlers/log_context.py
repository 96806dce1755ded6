"""What a log line is about (channel, chat, ticket, platform update id), carried in context
variables so every line logged while one message is handled says so, without passing it around.
The JSON log format (bot/logs.py) prints them; the text format leaves them out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("channel", "chat", "ticket", "update_id")
_CONTEXT: ContextVar[dict[str, str]] = ContextVar("deskbot_log_context", default={})  # noqa: B039


@contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Adds the given fields (None ones are skipped) for the duration of the block."""
    merged = {**_CONTEXT.get(), **{k: str(v) for k, v in values.items() if v is not None}}
    token = _CONTEXT.set(merged)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def current() -> dict[str, str]:
    return _CONTEXT.get()
