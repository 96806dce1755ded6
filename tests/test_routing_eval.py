"""The labelled routing messages meet the accuracy floor (benchmarks/routing_eval.py prints the
figures per label)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from routing_eval import evaluate, load  # noqa: E402

from handlers.knowledge import KnowledgeBase  # noqa: E402
from handlers.routing import Label, Topic, classify  # noqa: E402

KB = KnowledgeBase.load(ROOT / "kb")
SETS = ("tuned", "holdout", "holdout2")


def test_the_labelled_sets_have_the_required_shape() -> None:
    samples = [s for name in SETS for s in load(name)]
    assert len(samples) >= 150
    assert {s.label for s in samples} == set(Label)
    with_tickets = [s for s in samples if s.tickets]
    assert 40 <= len(with_tickets) <= len(samples) - 40
    swahili = ("habari", "bado", "haraka", "tatizo", "malipo", "kuna", "tiketi", "sana")
    assert sum(any(w in s.text.lower() for w in swahili) for s in samples) >= 30


def test_accuracy_floor_overall_and_on_held_out_messages() -> None:
    reports = {name: evaluate(load(name), KB) for name in SETS}
    right = sum(sum(r.right.values()) for r in reports.values())
    total = sum(sum(r.total.values()) for r in reports.values())
    assert right / total >= 0.90
    # Held out (never tuned on): a lower floor, so a rule change that only fits the tuned set
    # shows here.
    held = [reports["holdout"], reports["holdout2"]]
    held_right = sum(sum(r.right.values()) for r in held)
    held_total = sum(sum(r.total.values()) for r in held)
    assert held_right / held_total >= 0.88
    assert reports["tuned"].to_unrelated_entry == []


def test_the_issue_texts_route_as_the_issue_asks() -> None:
    payouts = (Topic("Payouts failing in production", "B2C payouts return 500"),)
    assert classify("any update??", payouts) == Label.status
    assert classify("still failing, now 55 payouts REVERSED. provider side?", payouts) == (
        Label.followup
    )
    assert classify("how long will this take?", payouts) == Label.status
    for text in (
        "I keep getting 401 Unauthorized when calling the preview endpoint",
        "checksum mismatch on payout request",
        "nimepata error 401 sijaruhusiwa",
        "webhook haifiki kwenye server yetu",
    ):
        assert classify(text) == Label.new_issue, text
    urgent = "URGENT!!! payouts failing in production, customers not receiving money since 6am"
    assert classify(urgent) == Label.urgent
    for text in ("urgent", "production down", "customers not receiving money", "haraka"):
        assert classify(text) == Label.urgent, text
    assert classify("kuna habari yoyote?", payouts) == Label.status
    assert classify("bado haijatatuliwa", payouts) == Label.followup


def test_long_repetitive_text_is_classified_quickly() -> None:
    # Bounded work whatever is pasted: only the first characters are read.
    assert classify("hi " * 50_000) in (Label.greeting, Label.other)
    assert classify("a" * 100_000 + "?") in set(Label)
