"""The translated catalogs, read from their `.po` sources and compiled when first used.

English is the source language: its texts live in `handlers.messages.EN` and are the msgids.
Each message's key is its gettext context (msgctxt), so two messages with the same English text
("Cancel") can be translated differently. A message a catalog lacks, or has marked fuzzy, is
shown in English rather than wrong.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "deskbot"
SOURCE_LANGUAGE = "en"
# Every language the desk speaks, with its name in itself (shown on the language buttons and,
# to the team, as the merchant's language).
LANGUAGE_NAMES = {"en": "English", "sw": "Kiswahili"}
LANGUAGES = tuple(LANGUAGE_NAMES)
# Babel locale of each language, for dates.
LOCALE_IDS = {"en": "en", "sw": "sw_TZ"}


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def pot_path() -> Path:
    return LOCALES / f"{DOMAIN}.pot"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog for `language` (compiled once per process from its `.po`)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with po_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


# What people type to name a language ("lugha kiswahili", "language english").
_NAMES = {
    "en": "en", "english": "en", "kiingereza": "en", "eng": "en",
    "sw": "sw", "swahili": "sw", "kiswahili": "sw", "swa": "sw",
}  # fmt: skip


def parse_language(text: str) -> str | None:
    """The language a person named, or None."""
    return _NAMES.get(text.strip().lower().rstrip(".!"))


def normalise_language(value: str | None) -> str | None:
    """A supported language from a platform's tag ("sw", "sw-TZ", "en_US"), else None."""
    if not value:
        return None
    base = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGE_NAMES else None
