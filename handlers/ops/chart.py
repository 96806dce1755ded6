"""The report's chart: tickets opened per week by severity (stacked bars) above the weekly median
time to acknowledge and to resolve (lines), as PNG bytes.

matplotlib is imported here, on first use, never at start-up: it costs about half a second, and a
desk that never draws a chart should not pay it. The Figure is built directly on the Agg canvas,
without pyplot's global state, so it needs no display and is safe beside the event loop (callers
run it in a worker thread).
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from handlers.messages import t
from handlers.ops.figures import GROUP_ORDER, Report
from handlers.ops.report_render import period_text

COLOURS = {"critical": "#c0392b", "major": "#e67e22", "minor": "#f1c40f", "question": "#7f8c8d"}


def render_chart(report: Report) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    zone = ZoneInfo(report.zone)
    labels = [f"{w.start.astimezone(zone):%d %b}" for w in report.weeks]
    positions = list(range(len(labels)))
    figure = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(figure)
    tickets, times = figure.subplots(2, 1, sharex=True)
    bottom = [0] * len(labels)
    for group in GROUP_ORDER:
        counts = [w.opened.get(group, 0) for w in report.weeks]
        label = "Question" if group == "question" else t.word("severity", group)
        tickets.bar(positions, counts, bottom=bottom, label=label, color=COLOURS[group])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    tickets.set_title(t("report.chart_tickets"))
    tickets.legend(loc="upper left", fontsize="small")
    tickets.yaxis.get_major_locator().set_params(integer=True)
    for name, values in (
        ("MTTA", [w.mtta_median for w in report.weeks]),
        ("MTTR", [w.mttr_median for w in report.weeks]),
    ):
        hours = [None if v is None else v / 3600 for v in values]
        points = [(p, h) for p, h in zip(positions, hours, strict=True) if h is not None]
        if points:
            times.plot([p for p, _ in points], [h for _, h in points], marker="o", label=name)
    times.set_title(t("report.chart_times"))
    if times.get_legend_handles_labels()[0]:
        times.legend(loc="upper left", fontsize="small")
    times.set_xticks(positions, labels)
    since, until = period_text(report)
    figure.suptitle(t("report.chart_title", since=since, until=until))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
