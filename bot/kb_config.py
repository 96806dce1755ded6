"""The `[kb]` config table and opening the knowledge base it names.

Keys: `path` (file or folder of Markdown entries; default "kb"; "" turns knowledge-base answers
off), `min_score` (confidence threshold, >= 0) and `languages` (the languages every entry must
also answer in besides English, checked by `deskbot kb check`; default ["sw"]). A relative path
is looked up in the working directory first, then in the Deskbot checkout, so the shipped `kb/`
is found from anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config_error import ConfigError
from handlers.knowledge import DEFAULT_MIN_SCORE, KnowledgeBaseError, LiveKnowledgeBase

DEFAULT_KB_PATH = "kb"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGES = ("sw",)
_KEYS = ("path", "min_score", "languages")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class KbSettings:
    path: Path | None  # None: answers are off, every question goes to the team
    min_score: float = DEFAULT_MIN_SCORE
    languages: tuple[str, ...] = DEFAULT_LANGUAGES


def kb_settings(raw: Mapping[str, Any], path_override: str | None = None) -> KbSettings:
    for key in raw:
        if key not in _KEYS:
            raise ConfigError(f"kb.{key}", "unknown key (known: path, min_score, languages)")
    path = path_override if path_override is not None else raw.get("path", DEFAULT_KB_PATH)
    if not isinstance(path, str):
        raise ConfigError("kb.path", f"must be a string, got {path!r}")
    min_score = raw.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score < 0:
        raise ConfigError("kb.min_score", f"must be a number >= 0, got {min_score!r}")
    languages = raw.get("languages", list(DEFAULT_LANGUAGES))
    if not isinstance(languages, list) or not all(
        isinstance(code, str) and _LANGUAGE.match(code) and code != "en" for code in languages
    ):
        raise ConfigError(
            "kb.languages",
            f'must be a list of language codes other than "en", like ["sw"], got {languages!r}',
        )
    return KbSettings(_resolve(path) if path.strip() else None, float(min_score), tuple(languages))


def _resolve(path: str) -> Path:
    given = Path(path).expanduser()
    if given.is_absolute() or given.exists():
        return given
    shipped = PROJECT_ROOT / given
    return shipped if shipped.exists() else given


def open_knowledge(settings: KbSettings) -> LiveKnowledgeBase | None:
    """The knowledge base to answer from; a broken one stops start-up with its problems listed."""
    if settings.path is None:
        return None
    try:
        return LiveKnowledgeBase(settings.path, settings.min_score)
    except KnowledgeBaseError as exc:
        problems = "\n  ".join(exc.problems)
        raise ConfigError(
            "kb.path", f"the knowledge base at {settings.path} is not usable:\n  {problems}"
        ) from None
