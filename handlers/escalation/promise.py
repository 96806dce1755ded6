"""What a reporter is told about paging when a Critical ticket is filed: exactly what the
policy will do (how many more pages, over how long, who gets the last one), never "until
someone acknowledges" when the pages stop after a set number."""

from __future__ import annotations

from datetime import timedelta

from handlers.escalation.durations import humanize
from handlers.escalation.planner import Planner
from handlers.escalation.policy import EscalationPolicy
from handlers.messages import t


def paging_promise(policy: EscalationPolicy, severity: str, leads: bool) -> str | None:
    """The sentences for a ticket of `severity`, in the current language; None when that
    severity pages nobody (the reporter is told the team was notified, as for any ticket).
    `leads`: whether the desk has leads to page (the last page also goes to them)."""
    planner = Planner(policy)
    total = planner.total_steps(severity)
    if total == 0:
        return None
    sev = policy.for_severity(severity)
    parts = [t("paging.now")]
    if total > 1:
        first = sev.levels[0].after
        last = sev.levels[-1].after
        if sev.repeat_every and sev.max_repeats:
            last += sev.repeat_every * sev.max_repeats
        span = humanize(max(last - first, timedelta(0)))
        key = "paging.repeats_business" if sev.business_hours_only else "paging.repeats"
        parts.append(t(key, count=total - 1, span=span))
        if leads:
            parts.append(t("paging.leads_last"))
    elif leads and "leads" in sev.levels[0].notify:
        parts.append(t("paging.leads_once"))
    parts.append(t("paging.then"))
    return " ".join(parts)
