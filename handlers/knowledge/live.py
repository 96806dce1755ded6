"""A knowledge base that follows its files: edited, added or removed files are picked up on the
next question, without a restart.

Checking costs one directory listing and a stat per file (microseconds for a handful of files),
so it is done on every use rather than on a timer: no background task, no stale window. A broken
edit does not take the bot down: the last good index keeps answering and the problems are logged
once, until the files change again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from handlers.knowledge.entries import KnowledgeBaseError, kb_files
from handlers.knowledge.search import DEFAULT_MIN_SCORE, Answer, Hit, KnowledgeBase

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


def signature(path: Path) -> Signature:
    """What identifies the current state of the files: name, modification time, size."""
    state: list[tuple[str, int, int]] = []
    for file in kb_files(path):
        try:
            info = file.stat()
        except OSError:
            continue
        state.append((str(file), info.st_mtime_ns, info.st_size))
    return tuple(state)


class LiveKnowledgeBase:
    """Loads `path` now (raising KnowledgeBaseError if it is broken) and reloads on change."""

    def __init__(self, path: str | Path, min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.path = Path(path)
        self.min_score = min_score
        self._signature = signature(self.path)
        self._kb = KnowledgeBase.load(self.path, min_score)
        self.problems: list[str] = []

    def current(self) -> KnowledgeBase:
        """The index for the files as they are now (or the last good one if they are broken)."""
        now = signature(self.path)
        if now != self._signature:
            self._signature = now
            try:
                self._kb = KnowledgeBase.load(self.path, self.min_score)
                self.problems = []
                count = len(self._kb.entries)
                log.info("knowledge base reloaded from %s: %d entries", self.path, count)
            except KnowledgeBaseError as exc:
                self.problems = exc.problems
                log.warning(
                    "knowledge base at %s is broken, answering from the previous version:\n%s",
                    self.path,
                    "\n".join(exc.problems),
                )
        return self._kb

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        return self.current().search(question, limit)

    def answer(self, question: str) -> Answer | None:
        return self.current().answer(question)
