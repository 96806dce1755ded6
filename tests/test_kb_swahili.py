"""The Swahili knowledge-base answers follow the glossary (docs/glossary-sw.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers import glossary
from handlers.knowledge import Entry, load_entries

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = load_entries(ROOT / "kb")

# (entry id, term key): why the English word there is not the glossary's concept.
EXEMPT = {
    ("eligibility", "ask"): "'ask for an integration' is requesting (kuomba), not a question",
    ("documentation", "reference"): "'API reference' is documentation, not a reference number",
    ("security-compliance", "limit"): "'limit who can access' is a verb (kudhibiti)",
}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_swahili_answers_use_the_glossary_terms(entry: Entry) -> None:
    swahili = entry.in_language("sw")
    assert swahili.language == "sw"
    exempt = {term for (entry_id, term) in EXEMPT if entry_id == entry.id}
    problems = glossary.load().problems(
        f"{entry.title}\n{entry.body}", f"{swahili.title}\n{swahili.body}", exempt=exempt
    )
    assert [str(p) for p in problems] == []


def test_every_exemption_is_still_needed() -> None:
    gloss = glossary.load()
    by_id = {entry.id: entry for entry in ENTRIES}
    for entry_id, term in EXEMPT:
        entry = by_id[entry_id]
        swahili = entry.in_language("sw")
        problems = gloss.problems(
            f"{entry.title}\n{entry.body}", f"{swahili.title}\n{swahili.body}"
        )
        assert term in {p.term for p in problems}, (entry_id, term)


def test_the_check_catches_a_swahili_answer_that_drifts() -> None:
    entry = next(e for e in ENTRIES if e.id == "reporting-issues")
    swahili = entry.in_language("sw")
    drifted = swahili.body.replace("tiketi", "tikiti").replace("uzito", "ukali")
    problems = glossary.load().problems(entry.body, drifted)
    assert {p.term for p in problems} >= {"ticket", "severity"}
