"""Escalation on the ticket rows: the lifecycle hooks that set its clocks, and the sweep.

State is on the ticket: `escalation_level` and `escalation_repeats` (how far its page sequence
went), `next_escalation_at` (the earliest of the next page and any SLA deadline not yet passed),
the SLA due times and the moments they were breached. `next_escalation_at` is the one indexed
column the sweep reads, so a sweep over a million tickets touches only the due ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from handlers.clock import Clock
from handlers.escalation.paging import Audience, write_page
from handlers.escalation.planner import Planner
from handlers.escalation.policy import SEVERITIES, EscalationPolicy
from handlers.messages import t
from handlers.notify import Notifier
from handlers.ops import metrics
from storage.database import after_commit
from storage.escalations import EscalationRepository, Snapshot
from storage.models import Kind, Severity, Status, Ticket
from storage.store import Store, Transaction

log = logging.getLogger(__name__)

ACTOR = "deskbot"
# Claims per transaction: large enough that a burst of due tickets costs few commits, small
# enough that a transaction never holds SQLite's write lock for long.
BATCH = 200
# A safety bound on batches per sweep; anything left is picked up by the next one.
MAX_BATCHES = 50

Wake = Callable[[datetime], None]


def started(ticket: Ticket) -> datetime:
    """Where the ticket's page sequence counts from: its filing, or its last reopening."""
    return ticket.reopened_at or ticket.created_at


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


class Escalator:
    """Implements the core's TicketObserver hooks and the sweep the scheduler runs."""

    def __init__(
        self,
        store: Store,
        policy: EscalationPolicy,
        clock: Clock,
        notifier: Notifier,
        audience: Audience,
        wake: Wake | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.planner = Planner(policy)
        self.clock = clock
        self.notifier = notifier
        self.audience = audience
        self.wake = wake
        # Counters for logs, tests and the benchmark.
        self.pages_sent = 0
        self.claims_lost = 0

    def _tracked(self, ticket: Ticket) -> bool:
        return ticket.kind == Kind.issue and ticket.severity in SEVERITIES

    def _wake_after_commit(self, tx: Transaction, due: datetime | None) -> None:
        if due is not None and self.wake is not None:
            wake = self.wake
            after_commit(tx.session, lambda: wake(due))

    # Lifecycle hooks, called by the engine inside its transaction.

    async def created(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        if not self._tracked(ticket):
            return
        severity = str(ticket.severity)
        ticket.acknowledge_due_at = self.planner.acknowledge_deadline(ticket.created_at, severity)
        ticket.resolve_due_at = self.planner.resolve_deadline(ticket.created_at, severity)
        ticket.next_escalation_at = _earliest(
            self.planner.due_at(ticket.created_at, severity, 0),
            ticket.acknowledge_due_at,
            ticket.resolve_due_at,
        )
        tx.session.add(ticket)
        self._wake_after_commit(tx, ticket.next_escalation_at)

    def _record_breach(self, tx: Transaction, ticket: Ticket, clock: str, now: datetime) -> None:
        due = getattr(ticket, f"{clock}_due_at")
        setattr(ticket, f"{clock}_breached_at", due)
        tx.tickets.record(ticket, ACTOR, "sla_breached", now, field=clock, new=due.isoformat())

    async def acknowledged(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        if not self._tracked(ticket):
            return
        due = ticket.acknowledge_due_at
        if due is not None and now > due and ticket.acknowledge_breached_at is None:
            self._record_breach(tx, ticket, "acknowledge", now)
        # Paging stops here; only the resolve clock is left to watch.
        ticket.next_escalation_at = (
            ticket.resolve_due_at if ticket.resolve_breached_at is None else None
        )
        tx.session.add(ticket)

    async def reopened(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        """Paging starts over from the reopen moment, as for a new ticket of its severity. An
        SLA clock breached before stays breached (the record keeps it); one that was met runs
        again from the reopen."""
        if not self._tracked(ticket):
            return
        severity, start = str(ticket.severity), started(ticket)
        if ticket.acknowledge_breached_at is None:
            ticket.acknowledge_due_at = self.planner.acknowledge_deadline(start, severity)
        if ticket.resolve_breached_at is None:
            ticket.resolve_due_at = self.planner.resolve_deadline(start, severity)
        ticket.next_escalation_at = _earliest(
            self.planner.due_at(start, severity, 0),
            ticket.acknowledge_due_at if ticket.acknowledge_breached_at is None else None,
            ticket.resolve_due_at if ticket.resolve_breached_at is None else None,
        )
        tx.session.add(ticket)
        self._wake_after_commit(tx, ticket.next_escalation_at)

    async def resolved(self, tx: Transaction, ticket: Ticket, now: datetime) -> None:
        if not self._tracked(ticket):
            return
        for clock in ("acknowledge", "resolve"):
            due = getattr(ticket, f"{clock}_due_at")
            breached = getattr(ticket, f"{clock}_breached_at")
            done = ticket.acknowledged_at if clock == "acknowledge" else now
            if due is not None and breached is None and (done or now) > due:
                self._record_breach(tx, ticket, clock, now)
        ticket.next_escalation_at = None
        tx.session.add(ticket)

    # The sweep.

    async def sweep(self) -> datetime | None:
        """Send every due page once, record passed SLA deadlines; return the next due moment."""
        now = self.clock.now()
        for _ in range(MAX_BATCHES):
            async with self.store.transaction() as tx:
                repo = EscalationRepository(tx.session)
                due = await repo.due(now, BATCH)
                for ticket in due:
                    await self._escalate(tx, repo, ticket, now)
            if len(due) < BATCH:
                break
        async with self.store.transaction() as tx:
            return await EscalationRepository(tx.session).next_due()

    async def _escalate(
        self, tx: Transaction, repo: EscalationRepository, ticket: Ticket, now: datetime
    ) -> bool:
        assert ticket.id is not None and ticket.next_escalation_at is not None
        acknowledged = ticket.acknowledged_at is not None
        snapshot = Snapshot(
            ticket_id=ticket.id,
            next_escalation_at=ticket.next_escalation_at,
            level=ticket.escalation_level,
            repeats=ticket.escalation_repeats,
            acknowledged=acknowledged,
        )
        if not self._tracked(ticket) or ticket.status not in (
            Status.open,
            Status.acknowledged,
            Status.in_progress,
        ):
            return await repo.claim(snapshot, next_escalation_at=None)
        severity = str(ticket.severity)
        sev = self.policy.for_severity(severity)
        values: dict[str, object] = {}
        breaches: list[str] = []
        ack_due, resolve_due = ticket.acknowledge_due_at, ticket.resolve_due_at
        ack_open = (
            not acknowledged and ack_due is not None and ticket.acknowledge_breached_at is None
        )
        if ack_open and ack_due is not None and ack_due <= now:
            values["acknowledge_breached_at"] = ack_due
            breaches.append("acknowledge")
            ack_open = False
        res_open = resolve_due is not None and ticket.resolve_breached_at is None
        if res_open and resolve_due is not None and resolve_due <= now:
            values["resolve_breached_at"] = resolve_due
            breaches.append("resolve")
            res_open = False
        page = None
        next_page_at = None
        if not acknowledged:
            step = ticket.escalation_level + ticket.escalation_repeats
            plan = self.planner.catch_up(started(ticket), severity, step, now)
            page, next_page_at = plan.page, plan.next_due_at
            if page is not None:
                values["escalation_level"] = page.level
                values["escalation_repeats"] = page.repeat
        values["next_escalation_at"] = _earliest(
            next_page_at, ack_due if ack_open else None, resolve_due if res_open else None
        )
        if not await repo.claim(snapshot, **values):
            self.claims_lost += 1  # another process got there first, or someone acknowledged
            return False
        for clock in breaches:
            due = values[f"{clock}_breached_at"]
            assert isinstance(due, datetime)
            tx.tickets.record(ticket, ACTOR, "sla_breached", now, field=clock, new=due.isoformat())
        if page is not None:
            with self.notifier.for_team():
                # A sequence of one page (Major's single reminder) has no "last" to announce.
                total = self.planner.total_steps(severity)
                last = total > 1 and page.step == total - 1
                targets = write_page(tx, ticket, page, sev, self.audience, now, last=last)
            repo.add_page(ticket.id, page.level, page.repeat, page.due_at, now, targets)
            self.pages_sent += 1
            lateness, paged = (now - page.due_at).total_seconds(), ticket.severity
            after_commit(tx.session, lambda: metrics.page_sent(paged, lateness))
            tx.tickets.record(
                ticket, ACTOR, "paged", now, field="level", new=f"{page.level}/{page.repeat}"
            )
            first = snapshot.level == 0 and snapshot.repeats == 0
            if first and ticket.severity == Severity.critical:
                with self.notifier.for_reporter(ticket):
                    notice = t("notify.paged", reference=ticket.reference)
                self.notifier.to_reporter(tx, ticket, notice, now)
            log.info(
                "paged %s level %d repeat %d (%.1fs after due) to %s",
                ticket.reference,
                page.level,
                page.repeat,
                (now - page.due_at).total_seconds(),
                ", ".join(targets) or "nobody",
            )
        return True
