"""The daily digest text: open tickets by severity, SLA trouble, the oldest unacknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.escalation.durations import humanize
from handlers.escalation.policy import SEVERITIES
from handlers.escalation.sla import Clock, SlaStatus

# Past this many per severity the digest says "and N more": it is a summary, the list is in
# `deskbot tickets list`.
PER_SEVERITY = 10


@dataclass(frozen=True, slots=True)
class DigestLine:
    reference: str
    severity: str
    title: str
    status: str
    created_at: datetime
    acknowledged: bool
    sla: SlaStatus


def _short(title: str, limit: int = 60) -> str:
    flat = " ".join(title.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _clocks(sla: SlaStatus, wanted: Clock) -> str:
    names = [
        name
        for name, state in (("acknowledge", sla.acknowledge), ("resolve", sla.resolve))
        if state is wanted
    ]
    return " and ".join(names)


def compose_digest(lines: Sequence[DigestLine], now: datetime, zone: ZoneInfo) -> str:
    local = now.astimezone(zone)
    out = [f"Daily digest for {local:%a %d %b %Y} ({local:%H:%M} {local.tzname()})"]
    if not lines:
        out.append("No open tickets. 🎉")
        return "\n".join(out)
    by_severity = {sev: [ln for ln in lines if ln.severity == sev] for sev in SEVERITIES}
    unrated = [ln for ln in lines if ln.severity not in SEVERITIES]
    counts = ", ".join(f"{sev} {len(items)}" for sev, items in by_severity.items())
    out.append(f"Open tickets: {len(lines)} ({counts})")
    for sev, items in [*by_severity.items(), ("no severity", unrated)]:
        if not items:
            continue
        out.append("")
        out.append(f"{sev.capitalize()} ({len(items)}):")
        ordered = sorted(items, key=lambda ln: ln.created_at)
        for line in ordered[:PER_SEVERITY]:
            state = "acknowledged" if line.acknowledged else "not acknowledged"
            age = humanize(now - line.created_at)
            out.append(f"• {line.reference} {_short(line.title)} ({age} old, {state})")
        if len(ordered) > PER_SEVERITY:
            out.append(f"  … and {len(ordered) - PER_SEVERITY} more")
    breached = [ln for ln in lines if ln.sla.breached]
    at_risk = [ln for ln in lines if ln.sla.at_risk]
    out.append("")
    if breached:
        items = ", ".join(f"{ln.reference} ({_clocks(ln.sla, Clock.breached)})" for ln in breached)
        out.append(f"SLA breached: {items}")
    else:
        out.append("SLA breached: none")
    if at_risk:
        items = ", ".join(f"{ln.reference} ({_clocks(ln.sla, Clock.at_risk)})" for ln in at_risk)
        out.append(f"SLA at risk: {items}")
    else:
        out.append("SLA at risk: none")
    waiting = [ln for ln in lines if not ln.acknowledged]
    if waiting:
        oldest = min(waiting, key=lambda ln: ln.created_at)
        out.append(
            f"Oldest unacknowledged: {oldest.reference} [{oldest.severity}] "
            f"{_short(oldest.title)} ({humanize(now - oldest.created_at)} old)"
        )
    else:
        out.append("Oldest unacknowledged: none, everything is acknowledged")
    return "\n".join(out)
