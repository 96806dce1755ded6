"""`deskbot kb stats` counts the answers marked No and the low-margin answers (storage side, on
both databases; tests/test_cli_kb.py runs the command)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from handlers.desk import Desk, DeskSettings
from handlers.knowledge import KnowledgeBase
from storage import Store
from storage.kb_log import Outcome, Shown
from tests.support import Chat

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


async def test_marked_no_and_low_margin_answers_are_counted(store: Store) -> None:
    async with store.transaction() as tx:
        log = tx.kb_log
        # A clear answer: far ahead of the runner-up and of the threshold.
        log.record("console", "a", "token?", Outcome.answered, NOW, "api-token", 3.2, None, 0.4)
        # Barely over the threshold (0.5): the "any update??" -> "I lost my API key" kind.
        log.record("console", "b", "any update??", Outcome.answered, NOW, "api-key-lost", 0.62)
        log.record("console", "b", "any update??", Outcome.not_helpful, NOW, "api-key-lost")
        # Close behind the runner-up although well over the threshold.
        log.record("console", "c", "payout vs webhook", Outcome.answered, NOW, "payouts", 2.0,
                   None, 1.9)  # fmt: skip
        log.record("console", "d", "Any update?", Outcome.not_helpful, NOW, "api-key-lost")
    async with store.transaction() as tx:
        stats = await tx.kb_log.stats(min_score=0.5, margin=0.25)
    assert (stats.answered, stats.not_helpful, stats.low_margin) == (3, 2, 2)
    assert stats.marked_no == [Shown("any update??", "api-key-lost", 2)]
    assert [(s.question, s.entry_id) for s in stats.low_margin_answers] == [
        ("payout vs webhook", "payouts"),  # lead 0.1
        ("any update??", "api-key-lost"),  # lead 0.12
    ]
    async with store.transaction() as tx:
        stricter = await tx.kb_log.stats(min_score=0.5, margin=0.11)
    assert stricter.low_margin == 1


async def test_the_runner_up_is_logged_with_each_answer_shown(store: Store) -> None:
    desk = Desk(store, DeskSettings(), knowledge=KnowledgeBase.load(ROOT / "kb"))
    await Chat(desk, "alice").say("ask what do the payment statuses mean")
    async with store.transaction() as tx:
        stats = await tx.kb_log.stats(min_score=0.5, margin=1000.0)
    (shown,) = stats.low_margin_answers
    assert shown.entry_id == "payment-status"
    assert shown.runner_up is not None and shown.score is not None
    assert 0 < shown.runner_up < shown.score
