"""Answering integration questions from a Markdown knowledge base (format: kb/README.md)."""

from handlers.knowledge.entries import (
    Entry,
    KnowledgeBaseError,
    Translation,
    check,
    language_code,
    load_entries,
)
from handlers.knowledge.live import LiveKnowledgeBase
from handlers.knowledge.search import (
    DEFAULT_MIN_SCORE,
    Answer,
    Hit,
    KnowledgeBase,
    KnowledgeSource,
)

__all__ = [
    "DEFAULT_MIN_SCORE",
    "Answer",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeSource",
    "LiveKnowledgeBase",
    "Translation",
    "check",
    "language_code",
    "load_entries",
]
