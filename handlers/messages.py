"""The `t` that speaks the current turn's language, over the English source texts of
`handlers/texts/` (one module per part of the product).

Texts are `str.format` templates with named placeholders. User content is inserted verbatim;
channel adapters escape the finished text for their markup. Translations live in gettext
catalogs (`handlers/locales/<language>/LC_MESSAGES/deskbot.po`), keyed by these keys; the README
section "Languages" says how to add a message and its translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from handlers.i18n.catalogs import SOURCE_LANGUAGE, translations
from handlers.texts import english_table

EN: dict[str, str] = english_table()

# The language of what is being written right now: set for each turn to the person's language,
# and around team-facing texts to the team's. Flows never pass a language around.
_language: ContextVar[str] = ContextVar("deskbot_language", default=SOURCE_LANGUAGE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Render every `t(...)` inside the block in `language`."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def set_language(language: str) -> None:
    """Switch the current context's language until the enclosing `speaking` block ends."""
    _language.set(language)


def translate(language: str, key: str) -> str:
    """The template for `key` in `language`; English when the catalog has no translation."""
    english = EN[key]
    if language == SOURCE_LANGUAGE:
        return english
    return translations(language).pgettext(key, english)


class Catalog:
    """`t(key, **values)`: the message in the current language, placeholders filled in."""

    @property
    def language(self) -> str:
        return _language.get()

    def __call__(self, key: str, **values: Any) -> str:
        template = translate(_language.get(), key)
        return template.format(**values) if values else template

    def word(self, group: str, value: str | None) -> str:
        """A stored enum value (status, severity...) as shown to people."""
        if value is None:
            return self("none")
        key = f"{group}.{value}"
        return self(key) if key in EN else value


class _Definitions(Mapping[str, str]):
    """The severity definitions in the current language (`**SEVERITY_DEFINITIONS` works)."""

    def __getitem__(self, severity: str) -> str:
        return t(f"definition.{severity}")

    def __iter__(self) -> Iterator[str]:
        return iter(("critical", "major", "minor"))

    def __len__(self) -> int:
        return 3


t = Catalog()
SEVERITY_DEFINITIONS: Mapping[str, str] = _Definitions()
