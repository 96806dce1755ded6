"""The integration program in the report: projects per stage now, and the median days a stage
lasted, over the stages *left* within the report's period (a stage is left when the project
enters its next one; the stage a project is in now has not ended and is not counted)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from handlers.messages import t
from handlers.ops.figures import Extra
from handlers.program.settings import STAGES
from storage.ops import OpsRepository
from storage.store import Transaction

DAY = 86400.0


def _order(stage: str) -> tuple[int, str]:
    return (STAGES.index(stage) if stage in STAGES else len(STAGES), stage)


def stage_days(
    history: Sequence[tuple[int, str, datetime]], since: datetime, until: datetime
) -> dict[str, list[float]]:
    """Days spent in each stage, for the stays that ended in [since, until)."""
    stays: dict[str, list[float]] = {}
    for (project, stage, entered), (next_project, _, left) in pairwise(history):
        if project == next_project and since <= left < until:
            stays.setdefault(stage, []).append((left - entered).total_seconds() / DAY)
    return stays


async def program_extras(tx: Transaction, since: datetime, until: datetime) -> list[Extra]:
    repo = OpsRepository(tx.session)
    counts = await repo.projects_per_stage()
    if not counts:
        return []  # the program is not in use on this desk
    stages = sorted(counts, key=_order)
    per_stage = ", ".join(f"{stage} {counts[stage]}" for stage in stages)
    medians = {
        stage: statistics.median(days)
        for stage, days in sorted(
            stage_days(await repo.stage_history(until), since, until).items(),
            key=lambda item: _order(item[0]),
        )
    }
    days_text = ", ".join(f"{stage} {days:.1f}d" for stage, days in medians.items())
    return [
        Extra(
            "projects_per_stage", t("report.projects"), per_stage, {s: counts[s] for s in stages}
        ),
        Extra(
            "median_days_per_stage",
            t("report.stage_days"),
            days_text or t("report.na"),
            medians,
        ),
    ]
