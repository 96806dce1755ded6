"""Logging set-up. Libraries log request URLs (httpx logs `.../bot<token>/getUpdates` at INFO),
so every record passes through a filter that blanks out the configured secrets, whatever their
length, and whatever merchants' secrets handlers/redaction.py recognises (API keys, tokens,
cards...), should a library or a traceback quote a text before the engine redacted it.
Log lines carry text from the outside (user messages, request fields): the formatter escapes CR,
LF and other control characters in the message, and indents traceback lines, so nobody can
forge a log line or send escape sequences to the operator's terminal.

`[desk] log_format = "json"` writes one JSON object per line for log collectors: time, level,
logger, message, and where known the channel, chat, ticket reference and platform update id
(from handlers/log_context.py, or a record's `extra=`), plus the traceback when there is one.
JSON lines are ASCII with every control character escaped, so they cannot be forged either.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import quote

from handlers.log_context import FIELDS, current
from handlers.redaction import redact as redact_user_secrets

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Every physical line a record adds after its first starts with this, so a line starting with a
# timestamp is always a record's own first line.
CONTINUATION = "  | "


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def one_line(text: str) -> str:
    """`text` with every control character escaped: one physical line."""
    return _CONTROL.sub(_escape, text)


def indented(text: str) -> str:
    """A traceback: its own line breaks kept, each line marked as a continuation."""
    lines = _CONTROL_BUT_NEWLINE.sub(_escape, text).split("\n")
    return "\n".join(CONTINUATION + line for line in lines)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = {s for s in secrets if s} | {quote(s, safe="") for s in secrets if s}
        # Longest first, so a secret containing another is blanked whole.
        self.secrets = sorted(forms, key=len, reverse=True)
        self._formatter = logging.Formatter()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return redact_user_secrets(text, "en").text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        # A traceback can carry a secret too (an HTTP error quoting the request URL, a database
        # error quoting its parameters); formatted here, the handler prints this text instead.
        if record.exc_info:
            record.exc_text = self.redact(self._formatter.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record. The record was redacted by the handler's filter already;
    the finished line passes `redact` once more, so nothing added here can carry a secret."""

    def __init__(self, redact: RedactSecrets | None = None) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = current()
        for name in FIELDS:
            value = getattr(record, name, None) or context.get(name)
            if value is not None:
                line[name] = str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = record.stack_info
        # ASCII only: C1 controls (a terminal reads \x9b as an escape) are escaped as well.
        text = json.dumps(line, ensure_ascii=True)
        return self._redact.redact(text) if self._redact is not None else text


class SafeFormatter(logging.Formatter):
    """One record starts one line: the message is escaped, tracebacks are indented."""

    def format(self, record: logging.LogRecord) -> str:
        saved = (record.msg, record.args, record.exc_text, record.stack_info)
        try:
            record.msg, record.args = one_line(record.getMessage()), None
            if record.exc_info and not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = indented(record.exc_text)
            if record.stack_info:
                record.stack_info = indented(record.stack_info)
            return super().format(record)
        finally:
            record.msg, record.args, record.exc_text, record.stack_info = saved


class Throttle:
    """At most one line per `every` seconds for one kind of event (unauthenticated requests,
    malformed updates): someone hammering an endpoint cannot grow the log. The next line says
    how many were left out."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._monotonic = clock
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def warning(self, logger: logging.Logger, key: str, message: str) -> None:
        now = self._monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.every:
            self._skipped[key] = self._skipped.get(key, 0) + 1
            return
        if len(self._last) > 1000:
            self._last.clear()
            self._skipped.clear()
        self._last[key] = now
        skipped = self._skipped.pop(key, 0)
        more = f" ({skipped} more like it not logged)" if skipped else ""
        logger.warning("%s%s", message, more)


def setup_logging(level: str, secrets: Iterable[str], log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    redact = RedactSecrets(secrets)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(redact))
    else:
        handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx, APScheduler and Alembic are chatty at INFO; their warnings still show.
    for name in ("httpx", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    sys.excepthook = _log_uncaught


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    """An exception nobody caught is printed through the log handler, redacted like the rest,
    instead of by Python's default hook straight to stderr."""
    logging.getLogger("deskbot").critical("stopped by an error", exc_info=(kind, error, traceback))
