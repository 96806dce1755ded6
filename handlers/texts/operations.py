"""Operations (delivery alarm, reports) and the program document's severity definitions.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # Operations: the delivery alarm and the reports (team-facing)
    "ops.alarm": (
        "⚠️ {channel} has refused the desk's messages for {duration}: {waiting}. "
        "They are kept and will be sent when {channel} takes them again."
    ),
    "ops.alarm.pages": (
        "{count} messages waiting, {pages} of them pages, oldest page {reference} Level {level}"
    ),
    "ops.alarm.messages": "{count} messages waiting",
    "ops.recovered": (
        "✅ {channel} is taking the desk's messages again (refused for {duration}); "
        "the waiting messages are being delivered."
    ),
    "ops.channel.console": "Console",
    "report.usage": "Usage: report [days], e.g. report 7 (1-366 days).",
    "report.title_line": "Desk report {since} – {until} ({zone})",
    "report.opened": "Tickets opened: {count} ({counts})",
    "report.none": "No tickets were opened in this period.",
    "report.by_severity": "By severity",
    "report.by_channel": "By channel",
    "report.group": (
        "• {name}: {opened} opened · MTTA {mtta} · MTTR {mttr} · SLA ack {ack} · "
        "resolve {resolve}{business}"
    ),
    "report.business": " (business hours)",
    "report.median_p90": "{median} median, {p90} p90",
    "report.na": "n/a",
    "report.sla": "{met}/{decided} met ({percent})",
    "report.breaches": "SLA breaches ({count}): {items}",
    "report.kb": (
        "Knowledge base: {asked} questions, {answered} answered, helpful {helpful_rate} "
        "({helpful} of {rated} rated), deflection {deflection} ({deflected} without a ticket)"
    ),
    "report.projects": "Integration projects per stage",
    "report.stage_days": "Median days per stage (stages finished in the period)",
    "report.chart_title": "Desk report {since} – {until}",
    "report.chart_tickets": "Tickets opened per week",
    "report.chart_times": "Median time per week (hours)",
    # The program document's own severity definitions.
    "definition.critical": "System is unusable or data integrity is compromised.",
    "definition.major": "Significant issues affecting performance or functionality.",
    "definition.minor": "Non-critical issues causing inconvenience but not system failure.",
}
