"""The Kiswahili catalog uses the glossary's terms (docs/glossary-sw.md) consistently."""

from __future__ import annotations

import pytest

from handlers import glossary
from handlers.messages import EN, translate

# Messages where an English glossary word is not the concept, so the term is not required.
EXEMPT = {
    # `list [open|critical|major|minor]`: the filters are English command arguments.
    "menu.team": ("critical", "major", "minor"),
}
# Labels (buttons, fields, statuses) are the glossary's word itself.
LABELS = {
    "report.environment.staging": "staging",
    "report.environment.production": "production",
    "environment.staging": "staging",
    "environment.production": "production",
    "report.severity.critical": "critical",
    "report.severity.major": "major",
    "report.severity.minor": "minor",
    "severity.critical": "critical",
    "severity.major": "major",
    "severity.minor": "minor",
    "report.confirm": "confirm",
    "report.cancel": "cancel",
    "slack.modal.cancel": "cancel",
    "ask.yes": "yes",
    "ask.no": "no",
    "status.in_progress": "in-progress",
    "status.open": "open",
    "status.closed": "closed",
    "slack.report.field.title": "title",
    "slack.report.field.environment": "environment",
    "slack.report.field.severity": "severity",
}


@pytest.fixture(scope="module")
def gloss() -> glossary.Glossary:
    return glossary.load()


def test_every_swahili_message_follows_the_glossary(gloss: glossary.Glossary) -> None:
    problems = [
        f"{key}: {problem}"
        for key, english in EN.items()
        for problem in gloss.problems(english, translate("sw", key), exempt=EXEMPT.get(key, ()))
    ]
    assert problems == []


def test_labels_are_the_glossary_terms(gloss: glossary.Glossary) -> None:
    for key, term in LABELS.items():
        word = gloss.term(term).swahili
        label = translate("sw", key)
        # The glossary may add the English in brackets ("Hatari (Critical)"); a label may drop it.
        assert label.lower() in (word.lower(), word.split(" (")[0].lower()), (key, label, word)


def test_severity_definitions_are_the_glossarys(gloss: glossary.Glossary) -> None:
    for severity, (english, swahili) in gloss.severity.items():
        assert EN[f"definition.{severity}"] == english
        assert translate("sw", f"definition.{severity}") == swahili


def test_the_check_catches_a_departure(gloss: glossary.Glossary) -> None:
    # The same check on a wrong rendering: "tikiti" for ticket, English "staging" dropped.
    problems = gloss.problems("Your ticket is on staging.", "Tikiti yako iko kwenye mazingira.")
    assert {p.term for p in problems} >= {"ticket", "staging"}
