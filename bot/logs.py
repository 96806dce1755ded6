"""Logging set-up. Libraries log request URLs (httpx logs `.../bot<token>/getUpdates` at INFO),
so every record passes through a filter that blanks out the configured secrets.

`[desk] log_format = "json"` writes one JSON object per line for log collectors: time, level,
logger, message, and where known the channel, chat, ticket reference and platform update id
(from handlers/log_context.py, or a record's `extra=`), plus the traceback when there is one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from handlers.log_context import FIELDS, current


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)
        self._formatter = logging.Formatter()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self.redact(record.getMessage())
            record.args = None
            # A traceback can carry a secret too (an HTTP error quoting the request URL);
            # formatted here, the handler prints this text instead of formatting its own.
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
        text = json.dumps(line, ensure_ascii=False)
        return self._redact.redact(text) if self._redact is not None else text


def setup_logging(level: str, secrets: Iterable[str], log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    redact = RedactSecrets(secrets)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(redact))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx, APScheduler and Alembic are chatty at INFO; their warnings still show.
    for name in ("httpx", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
