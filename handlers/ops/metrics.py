"""The desk's Prometheus metrics.

Counters and histograms count what *this process* did (messages handled, tickets it opened, pages
it sent, 429s it met): they live in one registry for the process, so every part of the desk can
count without being handed an object, and `rate()` works across restarts as Prometheus expects.
Figures that describe the shared database (outbox backlog, projects per stage) are gauges set
from a storage query right before each scrape (see handlers/ops/health.py).

The registry is the desk's own, not prometheus_client's global default, so importing the desk
into another program never collides with that program's metrics.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

MESSAGES = Counter(
    "deskbot_messages_handled",
    "Incoming messages and button presses handled by the engine.",
    ["channel"],
    registry=REGISTRY,
)
HANDLING = Histogram(
    "deskbot_message_handling_seconds",
    "Time the engine spent on one incoming message, database included.",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
TICKETS = Counter(
    "deskbot_tickets_opened",
    "Tickets opened, by severity (questions: 'question') and the reporter's channel.",
    ["severity", "channel"],
    registry=REGISTRY,
)
PAGES = Counter(
    "deskbot_pages_sent",
    "Escalation pages written to the outbox, by severity.",
    ["severity"],
    registry=REGISTRY,
)
PAGE_LATENESS = Histogram(
    "deskbot_page_lateness_seconds",
    "How long after its due time a page was written (sweep and wake-up delay).",
    buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "deskbot_platform_rate_limited",
    "HTTP 429 answers from a platform's API.",
    ["channel"],
    registry=REGISTRY,
)
KB_ANSWERS = Counter(
    "deskbot_kb_outcomes",
    "Knowledge-base outcomes: answered, related, helpful, not_helpful, no_answer.",
    ["outcome"],
    registry=REGISTRY,
)
DEAD_LETTERED = Counter(
    "deskbot_updates_dead_lettered",
    "Incoming updates given up on after every attempt failed (logged at ERROR with the cause).",
    ["channel"],
    registry=REGISTRY,
)
LIMIT_HITS = Counter(
    "deskbot_reporter_limit_hits",
    "Times one reporter hit a per-reporter limit, by limit.",
    ["limit"],
    registry=REGISTRY,
)
REDACTIONS = Counter(
    "deskbot_redactions",
    "Messages a secret was hidden from before storing, by kind of secret.",
    ["kind"],
    registry=REGISTRY,
)
OUTBOX_PENDING = Gauge(
    "deskbot_outbox_pending",
    "Outbox messages not yet delivered, per channel (read from the database at scrape).",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX_OLDEST = Gauge(
    "deskbot_outbox_oldest_pending_seconds",
    "Age of the oldest undelivered outbox message, per channel (0 when none).",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX_RETRYING = Gauge(
    "deskbot_outbox_retrying",
    "Undelivered outbox messages that have failed at least once, per channel.",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX_FAILED = Gauge(
    "deskbot_outbox_failed",
    "Outbox messages given up on (the platform refused them for good), per channel.",
    ["channel"],
    registry=REGISTRY,
)
ALARM = Gauge(
    "deskbot_delivery_alarm",
    "1 while a channel's delivery alarm is raised, else 0.",
    ["channel"],
    registry=REGISTRY,
)
PROJECTS = Gauge(
    "deskbot_projects",
    "Integration projects per stage (read from the database at scrape).",
    ["stage"],
    registry=REGISTRY,
)
READY = Gauge(
    "deskbot_ready",
    "1 when the last readiness check passed, else 0.",
    registry=REGISTRY,
)


def ticket_opened(severity: str | None, channel: str) -> None:
    TICKETS.labels(severity or "question", channel).inc()


def page_sent(severity: str | None, lateness_seconds: float) -> None:
    PAGES.labels(severity or "unknown").inc()
    PAGE_LATENESS.observe(max(0.0, lateness_seconds))


def rate_limited(channel: str) -> None:
    RATE_LIMITED.labels(channel).inc()


def kb_outcome(outcome: str) -> None:
    KB_ANSWERS.labels(outcome).inc()


def limit_hit(limit: str) -> None:
    LIMIT_HITS.labels(limit).inc()


def redacted(kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        REDACTIONS.labels(kind).inc()
