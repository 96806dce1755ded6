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
class KbStats:
    answered: int = 0
    helpful: int = 0
    not_helpful: int = 0
    no_answer: int = 0
    # (question, how many times it was asked), most asked first
    unanswered: list[tuple[str, int]] = field(default_factory=list)

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
            )
        )

    async def stats(self, since: datetime | None = None, unanswered_limit: int = 20) -> KbStats:
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
            key = " ".join(question.lower().split()).rstrip("?!. ")
            first_form.setdefault(key, question)
            asked[key] += 1
        unanswered = [(first_form[k], n) for k, n in asked.most_common(unanswered_limit)]
        return KbStats(
            answered=counts.get(Outcome.answered, 0),
            helpful=counts.get(Outcome.helpful, 0),
            not_helpful=counts.get(Outcome.not_helpful, 0),
            no_answer=counts.get(Outcome.no_answer, 0),
            unanswered=unanswered,
        )
