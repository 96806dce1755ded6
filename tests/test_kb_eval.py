"""The labelled questions meet the accuracy targets (speed is measured by the benchmark)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from kb_eval import evaluate  # noqa: E402

from handlers.knowledge import KnowledgeBase  # noqa: E402

QUESTIONS = ROOT / "tests" / "kb_questions.toml"


def test_labelled_set_has_the_required_shape() -> None:
    data = tomllib.loads(QUESTIONS.read_text("utf-8"))
    questions = data["question"]
    assert len(questions) >= 80
    assert sum(q["lang"] == "sw" for q in questions) * 4 >= len(questions) + len(data["off_topic"])
    assert any(q.get("typo") for q in questions)
    assert len(data["off_topic"]) >= 10
    kb = KnowledgeBase.load(ROOT / "kb")
    assert {q["id"] for q in questions} == {e.id for e in kb.entries}


def test_accuracy_targets_are_met() -> None:
    report = evaluate(KnowledgeBase.load(ROOT / "kb"), QUESTIONS)
    assert report.top1_rate >= 0.85, report.misses
    assert report.top3_rate >= 0.95, report.misses
    assert report.off_topic_rejected == report.off_topic, report.leaks


def test_untuned_developer_set_has_the_required_shape() -> None:
    # Accuracy on it is reported by benchmarks/kb_eval.py, never asserted: a test would turn the
    # set into one the ranker is tuned on.
    data = tomllib.loads((ROOT / "tests" / "kb_questions_dev.toml").read_text("utf-8"))
    questions = data["question"]
    assert len(questions) >= 40
    ids = {e.id for e in KnowledgeBase.load(ROOT / "kb").entries}
    assert {q["id"] for q in questions} <= ids
    texts = [q["q"] for q in questions]
    assert sum('"errorMessage"' in t or '"message"' in t for t in texts) >= 5
    assert sum(len(t) > 150 for t in texts) >= 20  # context around the question
