"""The daily digest job: read open tickets, compose, queue one digest per team target.

The cron fires on business weekdays; holidays are skipped here. The outbox key names the local
date, so if two processes both run the cron the second insert collides and nothing is doubled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from handlers.clock import Clock
from handlers.escalation.digest import DigestLine, compose_digest
from handlers.escalation.policy import EscalationPolicy
from handlers.escalation.sla import ticket_sla
from handlers.events import Message
from handlers.notify import DIGEST, Notifier, payload
from storage.escalations import EscalationRepository
from storage.models import Ticket
from storage.store import Store, Transaction

log = logging.getLogger(__name__)

Section = Callable[[Transaction, datetime], Awaitable[str]]


def digest_lines(tickets: list[Ticket], policy: EscalationPolicy, clock: Clock) -> list[DigestLine]:
    calendar, now = policy.calendar(), clock.now()
    return [
        DigestLine(
            reference=t.reference,
            severity=t.severity or "",
            title=t.title,
            status=t.status,
            created_at=t.created_at,
            acknowledged=t.acknowledged_at is not None,
            sla=ticket_sla(t, policy, calendar, now),
            language=t.reporter_language,
        )
        for t in tickets
    ]


class DigestJob:
    def __init__(
        self,
        store: Store,
        policy: EscalationPolicy,
        clock: Clock,
        notifier: Notifier,
        extra: Section | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.notifier = notifier
        # Another domain's part of the digest (stalled integration projects), read in the
        # same transaction; "" adds nothing.
        self.extra = extra

    async def __call__(self) -> str | None:
        """Queue today's digest; returns its text, or None on a holiday or when already queued."""
        now = self.clock.now()
        calendar = self.policy.calendar()
        today = calendar.local_date(now)
        if not calendar.is_business_day(today):
            log.info("no digest today (%s is not a business day)", today)
            return None
        try:
            async with self.store.transaction() as tx:
                tickets = list(await EscalationRepository(tx.session).open_tickets())
                with self.notifier.for_team():
                    body = compose_digest(
                        digest_lines(tickets, self.policy, self.clock), now, self.policy.zone
                    )
                    if self.extra is not None and (section := await self.extra(tx, now)):
                        body += "\n" + section
                for target in self.notifier.team_targets:
                    tx.outbox.add(
                        key=f"{DIGEST}:{today.isoformat()}:{target.channel}:{target.chat_id}",
                        channel=target.channel,
                        chat_id=target.chat_id,
                        kind=DIGEST,
                        payload=payload(Message(body)),
                        now=now,
                    )
                await tx.session.flush()
        except IntegrityError:
            log.info("today's digest was already queued (another process)")
            return None
        return body
