"""The knowledge-base answer log: each answer shown and how it was received, for deflection
stats (`deskbot kb stats`) and for finding the questions the knowledge base cannot answer yet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import KbLog


class Outcome(StrEnum):
    answered = "answered"  # the best entry was shown for a question
    related = "related"  # the user opened a related entry offered with an answer
    helpful = "helpful"  # "Yes, this answered my question"
    not_helpful = "not_helpful"  # "No": a question ticket was opened
    no_answer = "no_answer"  # nothing cleared the threshold: a question ticket was opened


@dataclass(frozen=True, slots=True)
class Shown:
    """An answer worth a second look: the entry shown for a question, and how many times."""

    question: str
    entry_id: str
    count: int
    score: float | None = None
    runner_up: float | None = None


@dataclass(frozen=True, slots=True)
class KbStats:
    answered: int = 0
    helpful: int = 0
    not_helpful: int = 0
    no_answer: int = 0
    # (question, how many times it was asked), most asked first
    unanswered: list[tuple[str, int]] = field(default_factory=list)
    # Answers the asker marked No: the entry shown and the question, most frequent first.
    marked_no: list[Shown] = field(default_factory=list)
    # Answers shown whose lead over the runner-up entry or over the threshold was small: the
    # likeliest wrong matches, smallest lead first.
    low_margin: int = 0
    low_margin_answers: list[Shown] = field(default_factory=list)

    @property
    def escalated(self) -> int:
        """Questions handed to the team: the answer did not help, or there was none."""
        return self.not_helpful + self.no_answer


class KbLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        channel: str,
        user_id: str,
        question: str,
        outcome: Outcome,
        now: datetime,
        entry_id: str | None = None,
        score: float | None = None,
        ticket_reference: str | None = None,
        runner_up: float | None = None,
    ) -> None:
        self.session.add(
            KbLog(
                created_at=now,
                channel=channel,
                user_id=user_id,
                question=question,
                entry_id=entry_id,
                score=score,
                outcome=str(outcome),
                ticket_reference=ticket_reference,
                runner_up=runner_up,
            )
        )

    async def stats(
        self,
        since: datetime | None = None,
        unanswered_limit: int = 20,
        min_score: float | None = None,
        margin: float = 0.25,
    ) -> KbStats:
        """`margin`: an answer leading the runner-up entry, or `min_score` (the threshold it
        was shown against), by less than this counts as low-margin."""
        counts_query = select(KbLog.outcome, func.count()).group_by(KbLog.outcome)
        if since is not None:
            counts_query = counts_query.where(col(KbLog.created_at) >= since)
        counts = dict((await self.session.exec(counts_query)).all())
        questions_query = select(KbLog.question).where(KbLog.outcome == Outcome.no_answer)
        if since is not None:
            questions_query = questions_query.where(col(KbLog.created_at) >= since)
        # Folded so "How do I X?" and "how do i x" count as one question to write an entry for.
        asked: Counter[str] = Counter()
        first_form: dict[str, str] = {}
        for question in (await self.session.exec(questions_query)).all():
            key = _folded(question)
            first_form.setdefault(key, question)
            asked[key] += 1
        unanswered = [(first_form[k], n) for k, n in asked.most_common(unanswered_limit)]
        marked_no = await self._marked_no(since, unanswered_limit)
        low = await self._low_margin(since, min_score, margin)
        return KbStats(
            marked_no=marked_no,
            low_margin=len(low),
            low_margin_answers=low[:unanswered_limit],
            answered=counts.get(Outcome.answered, 0),
            helpful=counts.get(Outcome.helpful, 0),
            not_helpful=counts.get(Outcome.not_helpful, 0),
            no_answer=counts.get(Outcome.no_answer, 0),
            unanswered=unanswered,
        )

    async def _marked_no(self, since: datetime | None, limit: int) -> list[Shown]:
        query = select(KbLog.question, KbLog.entry_id).where(
            KbLog.outcome == Outcome.not_helpful, col(KbLog.entry_id).is_not(None)
        )
        if since is not None:
            query = query.where(col(KbLog.created_at) >= since)
        seen: Counter[tuple[str, str]] = Counter()
        first_form: dict[tuple[str, str], str] = {}
        for question, entry_id in (await self.session.exec(query)).all():
            key = (_folded(question), str(entry_id))
            first_form.setdefault(key, question)
            seen[key] += 1
        return [Shown(first_form[key], key[1], count) for key, count in seen.most_common(limit)]

    async def _low_margin(
        self, since: datetime | None, min_score: float | None, margin: float
    ) -> list[Shown]:
        query = select(KbLog.question, KbLog.entry_id, KbLog.score, KbLog.runner_up).where(
            KbLog.outcome == Outcome.answered, col(KbLog.score).is_not(None)
        )
        if since is not None:
            query = query.where(col(KbLog.created_at) >= since)
        found: list[tuple[float, Shown]] = []
        for question, entry_id, score, runner_up in (await self.session.exec(query)).all():
            assert score is not None
            leads = [score - runner_up] if runner_up is not None else []
            if min_score is not None:
                leads.append(score - min_score)
            if leads and min(leads) < margin:
                found.append((min(leads), Shown(question, str(entry_id), 1, score, runner_up)))
        found.sort(key=lambda pair: pair[0])
        return [shown for _, shown in found]


def _folded(question: str) -> str:
    return " ".join(question.lower().split()).rstrip("?!. ")
