"""The daily digest text: open tickets by severity, SLA trouble, the oldest unacknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.escalation.durations import humanize
from handlers.escalation.policy import SEVERITIES
from handlers.escalation.sla import Clock, SlaStatus
from handlers.i18n.dates import day
from handlers.messages import t
from handlers.render import language_name

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
    # The reporter's language, named when it is not the team's.
    language: str | None = None


def _short(title: str, limit: int = 60) -> str:
    flat = " ".join(title.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _clocks(sla: SlaStatus, wanted: Clock) -> str:
    names = [
        t(f"digest.clock.{name}")
        for name, state in (("acknowledge", sla.acknowledge), ("resolve", sla.resolve))
        if state is wanted
    ]
    return t("digest.clock_and").join(names)


def _sla_items(lines: Sequence[DigestLine], wanted: Clock) -> str:
    items = [
        t("digest.sla_item", reference=ln.reference, clocks=_clocks(ln.sla, wanted))
        for ln in lines
        if wanted in (ln.sla.acknowledge, ln.sla.resolve)
    ]
    return ", ".join(items) or t("digest.none")


def compose_digest(lines: Sequence[DigestLine], now: datetime, zone: ZoneInfo) -> str:
    local = now.astimezone(zone)
    date, time = day(local, t.language), f"{local:%H:%M}"
    out = [t("digest.title", date=date, time=time, zone=local.tzname())]
    if not lines:
        out.append(t("digest.empty"))
        return "\n".join(out)
    by_severity = {sev: [ln for ln in lines if ln.severity == sev] for sev in SEVERITIES}
    unrated = [ln for ln in lines if ln.severity not in SEVERITIES]
    counts = ", ".join(f"{sev} {len(items)}" for sev, items in by_severity.items())
    out.append(t("digest.open", count=len(lines), counts=counts))
    groups = [(t.word("severity", sev), items) for sev, items in by_severity.items()]
    for label, items in [*groups, (t("digest.unrated"), unrated)]:
        if not items:
            continue
        out.append("")
        out.append(t("digest.severity", severity=label, count=len(items)))
        ordered = sorted(items, key=lambda ln: ln.created_at)
        for line in ordered[:PER_SEVERITY]:
            state = t("digest.acknowledged" if line.acknowledged else "digest.unacknowledged")
            if line.language and line.language != t.language:
                state = t(
                    "digest.state_language", state=state, language=language_name(line.language)
                )
            age = humanize(now - line.created_at)
            out.append(
                t("digest.line", reference=line.reference, title=_short(line.title), age=age,
                  state=state)
            )  # fmt: skip
        if len(ordered) > PER_SEVERITY:
            out.append(t("digest.more", count=len(ordered) - PER_SEVERITY))
    out.append("")
    out.append(t("digest.breached", items=_sla_items(lines, Clock.breached)))
    out.append(t("digest.at_risk", items=_sla_items(lines, Clock.at_risk)))
    waiting = [ln for ln in lines if not ln.acknowledged]
    if waiting:
        oldest = min(waiting, key=lambda ln: ln.created_at)
        out.append(
            t(
                "digest.oldest",
                reference=oldest.reference,
                severity=oldest.severity,
                title=_short(oldest.title),
                age=humanize(now - oldest.created_at),
            )
        )
    else:
        out.append(t("digest.oldest_none"))
    return "\n".join(out)
