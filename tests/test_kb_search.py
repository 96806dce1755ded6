"""Ranking, tolerance and the confidence threshold of the knowledge-base search."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from handlers.knowledge import KnowledgeBase, KnowledgeBaseError, LiveKnowledgeBase
from handlers.knowledge.fuzzy import FuzzyVocabulary, distance
from handlers.knowledge.text import analyze, stem

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(ROOT / "kb")


def best(kb: KnowledgeBase, question: str) -> str | None:
    found = kb.answer(question)
    return None if found is None else found.best.entry.id


def test_hits_are_ranked_best_first_and_limited(kb: KnowledgeBase) -> None:
    hits = kb.search("how do I get an access token", limit=3)
    assert len(hits) == 3
    assert hits[0].entry.id == "api-token"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert kb.search("token", limit=0) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("WEBHOOKS???", "webhooks"),  # case, punctuation, plural
        ("web hook not arriving", "webhooks"),  # split compound
        ("checksums", "checksum"),
        ("chekcsum mismatch", "checksum"),  # transposed letters
        ("insuficient balance on payout", "payouts"),  # missing letter
        ("Malipo yamekwama", "ussd-push-pending"),  # Swahili: payment stuck
        ("malipo ya mteja imekwama, hajaweka pini", "ussd-push-pending"),
        ("Nimepoteza ufunguo wangu", "api-key-lost"),
        ("Tokeni", "api-token"),
        ("M-Pesa", "payment-methods"),
    ],
)
def test_tolerates_case_plurals_typos_and_swahili(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    assert best(kb, question) == expected


@pytest.mark.parametrize(
    "question", ["", "   ", "?!?", "hello", "What's the weather today?", "Hali ya hewa leo?"]
)
def test_nothing_confident_means_no_answer(kb: KnowledgeBase, question: str) -> None:
    assert kb.answer(question) is None


def test_answer_offers_at_most_two_related_entries(kb: KnowledgeBase) -> None:
    found = kb.answer("payment stuck in processing, what do the payment statuses mean?")
    assert found is not None
    assert found.best.score >= kb.min_score
    assert len(found.related) <= 2
    ids = {found.best.entry.id, *(h.entry.id for h in found.related)}
    assert {"payment-status", "ussd-push-pending"} <= ids


def test_threshold_is_configurable(kb: KnowledgeBase) -> None:
    strict = KnowledgeBase(kb.entries, min_score=1000.0)
    assert strict.answer("how do I get an access token") is None
    assert strict.search("how do I get an access token")[0].entry.id == "api-token"


def test_swahili_verb_prefixes_meet_on_the_root() -> None:
    assert stem("imekwama") == stem("limekwama") == stem("kukwama") == "kwama"
    assert stem("hairuhusiwi") == "ruhusiwa"
    assert analyze("Malipo yamekwama") == ["payment", "stuck"]


def test_english_plurals_and_endings_share_a_stem() -> None:
    assert stem("payments") == stem("payment")
    assert stem("received") == stem("receiving") == stem("receive")
    assert stem("currencies") == stem("currency")
    assert stem("status") == "status"


def test_fuzzy_distance_and_vocabulary() -> None:
    assert distance("token", "tokne", 2) == 1
    assert distance("abc", "xyz", 1) == 2
    vocabulary = FuzzyVocabulary({"checksum", "webhook", "live", "token"})
    assert vocabulary.closest("chekcsum") == "checksum"
    assert vocabulary.closest("webhok") == "webhook"
    assert vocabulary.closest("tokn") == "token"
    assert vocabulary.closest("love") is None  # a replaced letter in a 4-letter word is too far
    assert vocabulary.closest("pizza") is None


ENTRY = "## {title}\nid: {id}\nkeywords: {keywords}\nsource: https://e.com/{id}\n\n{body}\n"


def write_entry(file: Path, id_: str, title: str, keywords: str, body: str, stamp: int) -> None:
    file.write_text(ENTRY.format(id=id_, title=title, keywords=keywords, body=body), "utf-8")
    # Explicit, distinct mtimes: two writes within one clock tick must still count as a change.
    os.utime(file, ns=(stamp, stamp))


def test_live_knowledge_base_reloads_changed_added_and_broken_files(tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    write_entry(first, "giraffe", "Giraffes", "giraffe, twiga", "Tall animals.", 1_000)
    live = LiveKnowledgeBase(tmp_path, min_score=0.0)
    assert live.answer("twiga") is not None

    write_entry(first, "zebra", "Zebras", "zebra, punda milia", "Striped animals.", 2_000)
    assert live.answer("twiga") is None
    found = live.answer("zebra")
    assert found is not None and found.best.entry.id == "zebra"

    write_entry(tmp_path / "b.md", "lion", "Lions", "lion, simba", "Big cats.", 3_000)
    found = live.answer("simba")
    assert found is not None and found.best.entry.id == "lion"

    # A broken edit keeps the previous index answering and records what is wrong.
    (tmp_path / "b.md").write_text("## Lions\nid: lion\n\nno keywords\n", "utf-8")
    os.utime(tmp_path / "b.md", ns=(4_000, 4_000))
    found = live.answer("simba")
    assert found is not None and found.best.entry.id == "lion"
    assert any("missing 'keywords:'" in p for p in live.problems)


def test_live_knowledge_base_refuses_to_start_broken(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("## T\n\nno metadata\n", "utf-8")
    with pytest.raises(KnowledgeBaseError):
        LiveKnowledgeBase(tmp_path)
