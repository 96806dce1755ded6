"""The sentences escalation adds: pages, merchant notices, SLA words. Plain text, user content
verbatim; adapters escape for their markup."""

from __future__ import annotations

from typing import Any

EN: dict[str, str] = {
    "page": (
        "🚨 Level {level} page{repeat}: {reference} ({severity}) is not acknowledged\n"
        "Title: {title}\n"
        "Open for {age} · Reporter: {reporter}\n"
        "Press Acknowledge or type: ack {reference}"
    ),
    "page.repeat": " (repeat {repeat} of {max_repeats})",
    "page.acknowledge": "Acknowledge",
    "notify.paged": (
        "The integration team has been paged about your critical ticket {reference}. "
        "I'll tell you as soon as someone acknowledges it."
    ),
    "sla.breached": "{clock} SLA breached on {reference} (was due {due})",
    "sla.acknowledge": "Acknowledge",
    "sla.resolve": "Resolve",
}


def text(key: str, **values: Any) -> str:
    template = EN[key]
    return template.format(**values) if values else template
