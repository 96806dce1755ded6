"""Typo matching stays bounded whatever the question (issue 13, item 1).

Time is measured by benchmarks/kb_search_time.py; here the work is counted: which words reach the
deletion index and how many, since that is what grew as L^3 per word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from handlers.knowledge import KnowledgeBase, fuzzy
from handlers.knowledge.fuzzy import FuzzyVocabulary
from handlers.knowledge.search import MAX_FUZZY_TERMS
from tests.databases import database_url_for
from tests.slack.harness import MERCHANT, running_slack

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(ROOT / "kb")


@pytest.fixture
def expanded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The words whose deletions are enumerated from now on."""
    words: list[str] = []
    original = fuzzy.deletions

    def counting(word: str, depth: int) -> set[str]:
        words.append(word)
        return original(word, depth)

    monkeypatch.setattr(fuzzy, "deletions", counting)
    return words


def test_words_longer_than_any_term_plus_two_skip_typo_matching(expanded: list[str]) -> None:
    vocabulary = FuzzyVocabulary({"settlement", "webhook"})
    assert vocabulary.longest == 10
    expanded.clear()
    assert vocabulary.closest("settlemenntt") == "settlement"  # 12 letters: two extra
    assert vocabulary.closest("settlemennttt") is None  # 13: out of reach
    assert vocabulary.closest("abcdefghijklmnopqrstuvwxyz" * 40) is None
    assert [len(w) for w in expanded] == [12]


def test_a_long_made_up_word_is_not_expanded(kb: KnowledgeBase, expanded: list[str]) -> None:
    word = "".join(chr(ord("a") + (i * 7) % 26) for i in range(3990))
    assert kb.answer(f"how {word}?") is None
    longest = max(len(term) for term in kb._vocabulary)
    assert all(len(w) <= longest + 2 for w in expanded)


def test_the_number_of_words_typo_matched_is_capped(kb: KnowledgeBase, expanded: list[str]) -> None:
    # 300 distinct misspellings of "settlement" ("settlemeXt"), each within reach.
    words = [f"settleme{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(300)]
    kb.answer(" ".join(words))
    assert 0 < len(expanded) <= MAX_FUZZY_TERMS
    # Real typos in a normal question are still corrected.
    found = kb.answer("how do I get an acess tokken")
    assert found is not None and found.best.entry.id == "api-token"


def test_kb_search_refuses_a_question_over_the_length_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[desk]\ndatabase_url = "{database_url_for(tmp_path)}"\nmax_details_length = 200\n',
        "utf-8",
    )
    status = main(["kb", "search", "how " + "x" * 3990 + "?", "--config", str(cfg)])
    err = capsys.readouterr().err
    assert status == 2
    assert "3995 characters" in err and "max_details_length" in err


async def test_slack_desk_ask_over_the_limit_is_refused_in_the_ack(tmp_path: Path) -> None:
    async with running_slack(tmp_path, knowledge=True) as slack:
        question = "how " + "x" * 4000 + "?"
        status, body = await slack.command(MERCHANT, f"ask {question}", work=False)
        assert status == 200
        assert "4005 characters" in body and "4000" in body
        async with slack.store.transaction() as tx:
            assert await tx.tickets.count() == 0
        assert not [c for c in slack.fake.calls if c.method == "chat.postMessage"]
