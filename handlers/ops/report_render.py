"""A report as text (chat and terminal), JSON (every figure, durations in seconds) and CSV (one
row per severity, per channel and the total)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.escalation.durations import humanize
from handlers.messages import t
from handlers.ops.figures import Group, Report, Spread

CSV_COLUMNS = (
    "group_by",
    "group",
    "opened",
    "acknowledged",
    "resolved",
    "mtta_median_s",
    "mtta_p90_s",
    "mttr_median_s",
    "mttr_p90_s",
    "ack_sla_met",
    "ack_sla_breached",
    "ack_sla_attainment",
    "resolve_sla_met",
    "resolve_sla_breached",
    "resolve_sla_attainment",
    "business_hours",
)


def _percent(share: float | None) -> str:
    return t("report.na") if share is None else f"{share * 100:.0f}%"


def _duration(seconds: float | None) -> str:
    return t("report.na") if seconds is None else humanize(timedelta(seconds=round(seconds)))


def _spread(spread: Spread) -> str:
    if not spread.count:
        return t("report.na")
    return t("report.median_p90", median=_duration(spread.median), p90=_duration(spread.p90))


def _sla(met: int, breached: int, share: float | None) -> str:
    if not met + breached:
        return t("report.na")
    return t("report.sla", met=met, decided=met + breached, percent=_percent(share))


def _group_line(group: Group, label: str) -> str:
    return t(
        "report.group",
        name=label,
        opened=group.opened,
        mtta=_spread(group.mtta),
        mttr=_spread(group.mttr),
        ack=_sla(group.ack_met, group.ack_breached, group.ack_attainment),
        resolve=_sla(group.resolve_met, group.resolve_breached, group.resolve_attainment),
        business=t("report.business") if group.business_hours else "",
    )


def _label(name: str) -> str:
    if name == "question":
        return "Question"
    return t.word("severity", name)


def period_text(report: Report) -> tuple[str, str]:
    zone = ZoneInfo(report.zone)
    since = report.since.astimezone(zone)
    until = report.until.astimezone(zone)
    return f"{since:%Y-%m-%d %H:%M}", f"{until:%Y-%m-%d %H:%M}"


def to_text(report: Report) -> str:
    since, until = period_text(report)
    # The zone's abbreviation (EAT) with its name, which says where the day boundaries are.
    abbreviation = report.until.astimezone(ZoneInfo(report.zone)).tzname()
    lines = [
        t("report.title_line", since=since, until=until, zone=f"{abbreviation}, {report.zone}")
    ]
    if not report.total.opened:
        lines.append(t("report.none"))
    else:
        counts = ", ".join(
            f"{_label(g.name).lower()} {g.opened}" for g in report.by_severity if g.opened
        )
        lines.append(t("report.opened", count=report.total.opened, counts=counts))
        lines.append(t("report.by_severity"))
        lines += [_group_line(g, _label(g.name)) for g in report.by_severity if g.opened]
        lines.append(t("report.by_channel"))
        lines += [_group_line(g, g.name) for g in report.by_channel]
        items = ", ".join(
            f"{b.reference} {b.severity} ({t('digest.clock_and').join(b.clocks)})"
            for b in report.breaches
        ) or t("digest.none")  # fmt: skip
        lines.append(t("report.breaches", count=len(report.breaches), items=items))
    kb = report.kb
    lines.append(
        t(
            "report.kb",
            asked=kb.asked,
            answered=kb.answered,
            helpful_rate=_percent(kb.helpful_rate),
            helpful=kb.helpful,
            rated=kb.rated,
            deflection=_percent(kb.deflection),
            deflected=kb.deflected,
        )
    )
    lines += [f"{e.label}: {e.value}" for e in report.extras]
    return "\n".join(lines)


def _spread_json(spread: Spread) -> dict[str, Any]:
    return {"count": spread.count, "median_seconds": spread.median, "p90_seconds": spread.p90}


def _group_json(group: Group) -> dict[str, Any]:
    return {
        "name": group.name,
        "opened": group.opened,
        "acknowledged": group.acknowledged,
        "resolved": group.resolved,
        "mtta": _spread_json(group.mtta),
        "mttr": _spread_json(group.mttr),
        "sla": {
            "acknowledge": {
                "met": group.ack_met,
                "breached": group.ack_breached,
                "attainment": group.ack_attainment,
            },
            "resolve": {
                "met": group.resolve_met,
                "breached": group.resolve_breached,
                "attainment": group.resolve_attainment,
            },
        },
        "business_hours": group.business_hours,
    }


def to_dict(report: Report) -> dict[str, Any]:
    kb = report.kb
    return {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "timezone": report.zone,
        "generated_at": report.generated_at.isoformat(),
        "total": _group_json(report.total),
        "by_severity": [_group_json(g) for g in report.by_severity],
        "by_channel": [_group_json(g) for g in report.by_channel],
        "breaches": [
            {"reference": b.reference, "severity": b.severity, "clocks": list(b.clocks)}
            for b in report.breaches
        ],
        "kb": {
            "questions": kb.asked,
            "answered": kb.answered,
            "helpful": kb.helpful,
            "not_helpful": kb.not_helpful,
            "no_answer": kb.no_answer,
            "helpful_rate": kb.helpful_rate,
            "deflected": kb.deflected,
            "deflection": kb.deflection,
        },
        "weeks": [
            {
                "start": w.start.isoformat(),
                "opened": w.opened,
                "mtta_median_seconds": w.mtta_median,
                "mttr_median_seconds": w.mttr_median,
            }
            for w in report.weeks
        ],
        "extras": {e.key: e.data if e.data is not None else e.value for e in report.extras},
    }


def to_json(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)


def _cell(value: float | None) -> str:
    """Exact: whole seconds print as integers, anything else in full."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = [("all", report.total)]
    rows += [("severity", g) for g in report.by_severity]
    rows += [("channel", g) for g in report.by_channel]
    for kind, g in rows:
        writer.writerow(
            [
                kind,
                g.name,
                g.opened,
                g.acknowledged,
                g.resolved,
                _cell(g.mtta.median),
                _cell(g.mtta.p90),
                _cell(g.mttr.median),
                _cell(g.mttr.p90),
                g.ack_met,
                g.ack_breached,
                _cell(g.ack_attainment),
                g.resolve_met,
                g.resolve_breached,
                _cell(g.resolve_attainment),
                "yes" if g.business_hours else "no",
            ]
        )
    return out.getvalue()
