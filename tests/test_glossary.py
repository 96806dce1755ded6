"""The Swahili glossary parses, agrees with the program document, and its check finds departures."""

from __future__ import annotations

import pytest

from handlers import glossary
from handlers.messages import SEVERITY_DEFINITIONS

REQUIRED = (
    "ticket", "severity", "critical", "major", "minor", "staging", "production", "acknowledge",
    "resolve", "assign", "integration", "integration-team", "test-case", "uat", "sign-off",
    "go-live", "merchant", "report-issue", "question", "status", "follow-up", "reference",
    "environment", "page", "business-hours",
)  # fmt: skip


@pytest.fixture(scope="module")
def gloss() -> glossary.Glossary:
    return glossary.load()


def test_the_glossary_names_every_recurring_concept(gloss: glossary.Glossary) -> None:
    keys = {term.key for term in gloss.terms}
    assert set(REQUIRED) <= keys
    assert {"API", "webhook", "token", "checksum", "USSD push"} <= set(gloss.kept)
    assert gloss.term("staging").swahili == "Majaribio (Staging)"
    assert gloss.term("ticket").swahili == "tiketi"


def test_severity_definitions_are_the_program_documents(gloss: glossary.Glossary) -> None:
    assert {key: english for key, (english, _) in gloss.severity.items()} == SEVERITY_DEFINITIONS
    assert all(swahili and swahili != english for english, swahili in gloss.severity.values())


def test_each_term_is_consistent_with_itself(gloss: glossary.Glossary) -> None:
    for term in gloss.terms:
        assert any(form.lower() in term.swahili.lower() for form in term.forms), term.key
        for word in term.avoid:
            assert not any(word.lower() in form.lower() for form in term.forms), term.key


def test_a_faithful_translation_has_no_problems(gloss: glossary.Glossary) -> None:
    english = "Your ticket {reference} ({title}) was acknowledged by the integration team."
    swahili = "Tiketi yako {reference} ({title}) imepokelewa na Timu ya Muunganisho."
    assert gloss.problems(english, swahili) == []


def test_a_missing_term_is_reported_with_the_glossary_word(gloss: glossary.Glossary) -> None:
    problems = gloss.problems("Your ticket was resolved.", "Tiketi yako imekamilika.")
    assert [p.term for p in problems] == ["resolve"]
    assert "tatua" in problems[0].message


def test_an_avoided_synonym_is_reported(gloss: glossary.Glossary) -> None:
    problems = gloss.problems("Your ticket", "Tikiti yako")
    assert {p.term for p in problems} == {"ticket"}
    assert "tiketi" in str(problems[0])


def test_placeholders_and_code_are_not_words(gloss: glossary.Glossary) -> None:
    # "{reference}" and `orderReference` are copied verbatim, not the word "reference".
    assert gloss.problems("Added to {reference}.", "Imeongezwa kwenye {reference}.") == []
    assert gloss.problems("Send `reference` now", "Tuma `reference` sasa") == []


def test_terms_kept_in_english_must_stay(gloss: glossary.Glossary) -> None:
    assert gloss.problems("Check the webhooks", "Kagua webhook zako") == []
    problems = gloss.problems("Check the checksum", "Kagua jumla ya uthibitisho")
    assert [p.term for p in problems] == ["checksum"]


def test_severity_definitions_must_be_used_word_for_word(gloss: glossary.Glossary) -> None:
    english = f"Critical: {SEVERITY_DEFINITIONS['critical']}"
    good = f"Hatari: {gloss.severity['critical'][1]}"
    assert gloss.problems(english, good) == []
    problems = gloss.problems(english, "Hatari: Mfumo umekufa.")
    assert [p.term for p in problems] == ["severity-critical"]


def test_a_caller_can_exempt_a_term_for_one_text(gloss: glossary.Glossary) -> None:
    english = "Team commands: resolve REF"
    swahili = "Amri za timu: resolve REF"
    assert [p.term for p in gloss.problems(english, swahili)] == ["resolve"]
    assert gloss.problems(english, swahili, exempt={"resolve"}) == []


_ROW = "| ticket | ticket | tiketi | tiketi | | yes | |\n"
_TERMS = "## Terms\n| k | e | s | f | a | s | n |\n|---|\n" + _ROW
_REST = (
    "## Kept in English\n| Term | Notes |\n|---|---|\n| API | |\n"
    "## Severity definitions\n| k | e | s |\n|---|---|---|\n"
    "| critical | a | b |\n| major | a | b |\n| minor | a | b |\n"
)


def test_a_minimal_glossary_parses() -> None:
    parsed = glossary.parse(_TERMS + _REST)
    assert parsed.term("ticket").forms == ("tiketi",)
    assert parsed.kept == ("API",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("## Terms\n| a |\n|---|\n| x |\n" + _REST, "7 cells"),
        (_TERMS.replace("| yes |", "| maybe |") + _REST, "Strict must be yes or no"),
        (_TERMS + _ROW + _REST, "listed twice"),
        ("## Kept in English\n| a |\n", "'## Terms'"),
    ],
)
def test_a_malformed_glossary_is_refused(text: str, problem: str) -> None:
    with pytest.raises(glossary.GlossaryError, match=problem):
        glossary.parse(text)
