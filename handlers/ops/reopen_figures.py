"""Reopening and satisfaction in the report: how many resolutions did not hold (reopens per
resolve in the period) and what the reporters answered to "Did this solve it?"."""

from __future__ import annotations

from datetime import datetime

from handlers.messages import t
from handlers.ops.figures import Extra
from storage.reopens import ReopenRepository
from storage.store import Transaction


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}"


async def reopen_extras(tx: Transaction, since: datetime, until: datetime) -> list[Extra]:
    figures = await ReopenRepository(tx.session).figures(since, until)
    extras: list[Extra] = []
    if figures.resolutions or figures.reopens:
        rate = (
            t(
                "report.reopen_rate_value",
                percent=_percent(figures.reopens, figures.resolutions),
                reopens=figures.reopens,
                resolutions=figures.resolutions,
            )
            if figures.resolutions
            else t("report.na")
        )
        data = {"reopened": figures.reopens, "resolved": figures.resolutions}
        extras.append(Extra("reopen_rate", t("report.reopen_rate"), rate, data))
    answers = figures.solved + figures.unsolved
    if answers:
        value = t(
            "report.satisfaction_value",
            percent=_percent(figures.solved, answers),
            solved=figures.solved,
            unsolved=figures.unsolved,
        )
        data = {"solved": figures.solved, "not_solved": figures.unsolved}
        extras.append(Extra("satisfaction", t("report.satisfaction"), value, data))
    return extras
