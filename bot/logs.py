"""Logging set-up. Libraries log request URLs (httpx logs `.../bot<token>/getUpdates` at INFO),
so every record passes through a filter that blanks out the configured secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterable


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


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx, APScheduler and Alembic are chatty at INFO; their warnings still show.
    for name in ("httpx", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
