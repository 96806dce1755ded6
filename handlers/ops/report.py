"""Building a report from the database: the tickets created in the period, the knowledge-base
log, and the figures of other parts of the desk through `EXTRAS`.

`EXTRAS` is where the reopen rate, satisfaction and the integration program's figures slot in:
each provider reads its own rows in the report's transaction and returns `Extra` figures (or
nothing when its part of the desk keeps no data yet). Text, JSON and CSV show every extra
without further changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from handlers.escalation.policy import EscalationPolicy
from handlers.ops.figures import Extra, Report, compute
from handlers.ops.program_figures import program_extras
from handlers.ops.reopen_figures import reopen_extras
from storage.ops import OpsRepository
from storage.store import Store, Transaction

ExtraProvider = Callable[[Transaction, datetime, datetime], Awaitable[list[Extra]]]

EXTRAS: list[ExtraProvider] = [reopen_extras, program_extras]


async def report_in(
    tx: Transaction,
    policy: EscalationPolicy,
    since: datetime,
    until: datetime,
    now: datetime,
) -> Report:
    """The report, read in `tx` (a team command's own transaction: on SQLite a second one
    would wait for the write lock the first holds)."""
    repo = OpsRepository(tx.session)
    tickets = await repo.tickets_created(since, until)
    kb_counts = await repo.kb_outcomes(since, until)
    extras = [extra for provider in EXTRAS for extra in await provider(tx, since, until)]
    report = compute(tickets, kb_counts, policy, since, until, now)
    report.extras.extend(extras)
    return report


async def build_report(
    store: Store,
    policy: EscalationPolicy,
    since: datetime,
    until: datetime,
    now: datetime,
) -> Report:
    async with store.transaction() as tx:
        return await report_in(tx, policy, since, until, now)


def last_days(now: datetime, days: int) -> tuple[datetime, datetime]:
    return now - timedelta(days=days), now
