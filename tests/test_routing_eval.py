"""The labelled routing messages meet the accuracy floor (benchmarks/routing_eval.py prints the
figures per label)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from routing_eval import evaluate, load, names, train  # noqa: E402

from handlers.knowledge import KnowledgeBase  # noqa: E402
from handlers.routing import Label, Topic, classify, decide  # noqa: E402
from handlers.routing.learned import MODEL  # noqa: E402

KB = KnowledgeBase.load(ROOT / "kb")
SETS = tuple(names())
# Leave one set out (benchmarks/routing_eval.py --cross), measured when these were set: tuned
# 92.5%, holdout 95.7%, holdout2 100%, holdout3 100%, holdout4 96.2%, holdout5 96.0%, holdout6
# 96.0%, holdout7 94.2%, overall 95.7% (712/744); destination (ticket, knowledge base, Critical
# report or menu, as the expected label would) 97.8% (728/744).
# Floors a little under: a change that only fits the sets it learned from shows here.
CROSS_FLOORS = {
    "tuned": 0.90,
    "holdout": 0.94,
    "holdout2": 0.95,
    "holdout3": 0.95,
    "holdout4": 0.93,
    "holdout5": 0.92,
    "holdout6": 0.91,
    "holdout7": 0.92,
}
CROSS_OVERALL = 0.93
CROSS_DESTINATION = 0.95


def test_the_labelled_sets_have_the_required_shape() -> None:
    samples = [s for name in SETS for s in load(name)]
    assert len(samples) >= 150
    assert {s.label for s in samples} == set(Label)
    with_tickets = [s for s in samples if s.tickets]
    assert 40 <= len(with_tickets) <= len(samples) - 40
    swahili = ("habari", "bado", "haraka", "tatizo", "malipo", "kuna", "tiketi", "sana")
    assert sum(any(w in s.text.lower() for w in swahili) for s in samples) >= 30


def test_the_committed_model_is_trained_on_every_set() -> None:
    # A set added or relabelled without `routing_eval.py --write-model` would leave it stale.
    every = [s for name in SETS for s in load(name)]
    assert MODEL.read_text("utf-8") == train(every).to_json()


def test_leave_one_set_out_accuracy_floor() -> None:
    # The honest figure: each set routed by a model that never saw it.
    every = {name: load(name) for name in SETS}
    reports = {
        name: evaluate(
            samples, KB, train([s for other, v in every.items() if other != name for s in v])
        )
        for name, samples in every.items()
    }
    right = sum(r.correct for r in reports.values())
    total = sum(r.count for r in reports.values())
    assert right / total >= CROSS_OVERALL
    assert sum(r.arrived_count for r in reports.values()) / total >= CROSS_DESTINATION
    for name, report in reports.items():
        assert report.accuracy >= CROSS_FLOORS.get(name, 0.85), (name, report.misses)
        assert report.to_unrelated_entry == [], name


def test_the_committed_model_fits_its_sets_and_never_sends_a_followup_to_an_entry() -> None:
    reports = {name: evaluate(load(name), KB) for name in SETS}
    right = sum(r.correct for r in reports.values())
    assert right / sum(r.count for r in reports.values()) >= 0.97
    for name, report in reports.items():
        assert report.to_unrelated_entry == [], name


def test_a_ticket_bound_message_never_goes_straight_to_the_knowledge_base() -> None:
    # The guard, without the knowledge base: a follow-up or status message written with an
    # active ticket either reaches the ticket or is asked "About INT-4 or something new?"; read
    # as urgent, it is offered a Critical report beside its ticket, never an entry.
    for name in SETS:
        for sample in load(name):
            if sample.label in (Label.followup, Label.status) and sample.tickets:
                decision = decide(sample.text, sample.tickets)
                to_kb = decision.label in (Label.question, Label.new_issue)
                assert not to_kb or decision.confirm, (name, sample.text)


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


def test_asking_about_progress_is_status_and_handing_over_facts_is_a_followup() -> None:
    # Written for this test, in none of the sets: the forms, not the messages, are what count.
    checksum = (Topic("Checksum mismatch on payouts", "create payout rejected: checksum"),)
    for text in (
        "has the checksum bug been confirmed yet?",
        "any chance the checksum fix lands today",
        "tafadhali mtujulishe lini checksum itarekebishwa",
    ):
        assert classify(text, checksum) == Label.status, text
    for text in (
        "tested again this morning: 12 of 12 payouts rejected with checksum mismatch",
        "we rotated the key and retried 5 payouts, same checksum mismatch",
    ):
        assert classify(text, checksum) == Label.followup, text
    assert classify("is my ticket still open?") == Label.status


def test_a_question_without_a_question_mark_is_a_question() -> None:
    for text in ("je naweza kutumia sandbox bila KYC", "do I need a separate key for payouts"):
        assert classify(text) == Label.question, text
    assert classify("hodi") == Label.greeting
    # "immediately" in a question asks how soon; said of a failure it still calls for help.
    assert classify("is the refund credited immediately?") == Label.question
    assert classify("payouts failing, fix immediately") == Label.urgent


def test_long_repetitive_text_is_classified_quickly() -> None:
    # Bounded work whatever is pasted: only the first characters are read.
    assert classify("hi " * 50_000) in (Label.greeting, Label.other)
    assert classify("a" * 100_000 + "?") in set(Label)
