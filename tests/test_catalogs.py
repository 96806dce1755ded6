"""The gettext catalogs: complete, in step with the code, same placeholders as the English."""

from __future__ import annotations

import string

import pytest
from babel.messages.catalog import Catalog as PoCatalog

from handlers.i18n import extract
from handlers.i18n.catalogs import LANGUAGES, SOURCE_LANGUAGE, translations
from handlers.messages import EN, SEVERITY_DEFINITIONS, speaking, t, translate

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def test_the_committed_catalogs_have_no_problems() -> None:
    # Fails when a message lacks a translation, is fuzzy, has other placeholders than the
    # English, or when the .pot/.po are out of date with handlers/texts/.
    assert extract.problems() == []


def test_refreshing_the_committed_catalogs_changes_nothing() -> None:
    for path, content in extract.refreshed().items():
        assert path.read_bytes() == content, f"{path} is stale: run ./scripts/catalogs"


def test_the_template_holds_every_english_message_keyed_by_context() -> None:
    pot = extract.template()
    assert {(m.context, m.id) for m in pot if m.id} == set(EN.items())


def _pot(**messages: str) -> PoCatalog:
    pot = PoCatalog()
    for key, text in messages.items():
        pot.add(text, context=key)
    return pot


def test_a_missing_translation_is_a_problem() -> None:
    pot = _pot(greet="Hello {name}", bye="Bye")
    po = PoCatalog(locale="sw")
    po.add("Hello {name}", "Habari {name}", context="greet")
    assert extract.translation_problems("sw", pot, po) == [
        "sw: 'bye' is not in the .po (or its English changed): run the refresh"
    ]
    po.add("Bye", "", context="bye")
    assert extract.translation_problems("sw", pot, po) == ["sw: 'bye' has no translation"]


def test_different_placeholders_are_a_problem() -> None:
    pot = _pot(greet="Hello {name}")
    po = PoCatalog(locale="sw")
    po.add("Hello {name}", "Habari {jina}", context="greet")
    [problem] = extract.translation_problems("sw", pot, po)
    assert "placeholders differ" in problem and "['jina']" in problem


def test_a_broken_template_and_a_fuzzy_translation_are_problems() -> None:
    pot = _pot(greet="Hello {name}", bye="Bye")
    po = PoCatalog(locale="sw")
    po.add("Hello {name}", "Habari {name", context="greet")
    po.add("Bye", "Kwaheri", context="bye", flags=("fuzzy",))
    problems = extract.translation_problems("sw", pot, po)
    assert problems == [
        "sw: 'greet' is not a valid template (a lone { or }?)",
        "sw: 'bye' is marked fuzzy: check the translation, then drop the flag",
    ]


def test_a_changed_english_text_makes_the_old_translation_stale() -> None:
    pot = _pot(greet="Hello there {name}")
    po = PoCatalog(locale="sw")
    po.add("Hello {name}", "Habari {name}", context="greet")
    problems = extract.translation_problems("sw", pot, po)
    assert any("'greet' is not in the .po" in p for p in problems)
    assert any("stale" in p for p in problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_renders_in_every_language(language: str) -> None:
    for key, english in EN.items():
        names = {n for _, n, _, _ in string.Formatter().parse(english) if n is not None}
        values = {name: f"<{name}>" for name in names}
        with speaking(language):
            text = t(key, **values)
        for name in names:
            assert f"<{name}>" in text, (key, text)


def test_swahili_texts_come_from_the_catalog() -> None:
    catalog = translations("sw")
    with speaking("sw"):
        assert t("report.confirm") == "Thibitisha"
        assert t.word("severity", "critical") == "Hatari"
        assert t("ask.helped") == catalog.pgettext("ask.helped", EN["ask.helped"])
        assert SEVERITY_DEFINITIONS["critical"] == translate("sw", "definition.critical")
        assert t("report.severity", **SEVERITY_DEFINITIONS).startswith("Tatizo lina uzito gani?")
    # Outside the block the turn's language is back.
    assert t("report.confirm") == "Confirm"
    assert SEVERITY_DEFINITIONS["critical"] == EN["definition.critical"]


def test_most_swahili_texts_differ_from_the_english() -> None:
    # Catches a catalog filled by copying the English over: only pure templates (references,
    # separators, placeholders) may read the same in both languages.
    same = [key for key in EN if translate("sw", key) == EN[key]]
    assert len(same) <= 10, same
