"""The program's stages (the program document's order), objectives, and the default checklists
and UAT cases, written from the program document and ClickPesa's public API facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from handlers.escalation.business_hours import BusinessCalendar
from handlers.escalation.policy import EscalationPolicy

STAGES = (
    "requested",
    "scope",
    "documentation",
    "data_mapping",
    "security",
    "staging",
    "uat",
    "go_live",
    "live",
)
ACTIVE = STAGES[:-1]
OBJECTIVES = ("ussd_push", "card", "payout", "billpay", "checkout", "other")

DEFAULT_CHECKLISTS: dict[str, tuple[str, ...]] = {
    "requested": (
        "Active merchant account confirmed",
        "Project overview, objectives and systems received",
    ),
    "scope": (
        "Integration scope agreed: data flows, functionalities and desired outcomes",
        "Payment methods and currencies confirmed (USSD push is TZS only, cards USD only)",
        "Technical contacts named on both sides",
    ),
    "documentation": (
        "System documentation, APIs or data schemas shared",
        "Integration interfaces designed together",
        "Data transformation and mapping requirements defined",
    ),
    "data_mapping": (
        "Order references agreed: alphanumeric and unique per request",
        "Phone numbers sent as 255712345678 (no +)",
        "Payment and payout statuses mapped to the merchant's own states",
    ),
    "security": (
        "API keys created for the application and stored safely (they are shown only once)",
        "Checksum on, verified with the checksum key (HMAC-SHA256)",
        "IP whitelist agreed (once one IP is listed, all others are blocked)",
        "Encryption, access controls and data privacy reviewed",
    ),
    "staging": (
        "Staging set up with the Integration Team",
        "Token generation works (the token already starts with Bearer)",
        "Webhook endpoint reachable and answering 2xx",
    ),
    "uat": ("UAT cases reviewed with the merchant",),
    "go_live": (
        "KYC approved (lifts the 100 calls a day and TZS 100,000 limits)",
        "Production keys and webhook URLs in place",
        "First production transaction confirmed",
    ),
    "live": (),
}


@dataclass(frozen=True, slots=True)
class UatTemplate:
    title: str
    required: bool = True
    # Objectives the case applies to; empty means every project.
    objectives: tuple[str, ...] = ()


_COLLECT = ("ussd_push", "card", "checkout", "billpay")
DEFAULT_UAT: tuple[UatTemplate, ...] = (
    UatTemplate("Generate a token with client-id and api-key and call the API with it"),
    UatTemplate("USSD push succeeds: preview, initiate, customer enters PIN", True, ("ussd_push",)),
    UatTemplate("USSD push fails (customer cancels): FAILED status handled", True, ("ussd_push",)),
    UatTemplate("Payment webhook received and its checksum verified", True, _COLLECT),
    UatTemplate("Payment status queried by order reference", True, _COLLECT),
    UatTemplate("Duplicate order reference refused (409) and handled", True, _COLLECT),
    UatTemplate(
        "Invalid phone number refused with a clear message", False, ("ussd_push", "payout")
    ),
    UatTemplate("Card payment link created (USD) and paid", True, ("card",)),
    UatTemplate("Checkout link created and paid", True, ("checkout",)),
    UatTemplate("Payout to mobile money and its status", True, ("payout",)),
    UatTemplate("Payout to a bank account and its status", False, ("payout",)),
    UatTemplate("Reversed or refunded payout handled (webhook)", True, ("payout",)),
    UatTemplate("BillPay control number created and paid", True, ("billpay",)),
)


def _calendar() -> BusinessCalendar:
    return EscalationPolicy().calendar()


@dataclass(frozen=True)
class ProgramSettings:
    reference_prefix: str = "PRJ"
    # A project with no stage change for this many business days is stalled.
    stall_after_days: int = 5
    checklists: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_CHECKLISTS))
    uat_cases: tuple[UatTemplate, ...] = DEFAULT_UAT
    # Business hours, holidays and time zone: the escalation calendar ([escalation]).
    calendar: BusinessCalendar = field(default_factory=_calendar)

    def stall_after(self) -> timedelta:
        hours = self.calendar.hours
        day = timedelta(hours=hours.end.hour - hours.start.hour) + timedelta(
            minutes=hours.end.minute - hours.start.minute
        )
        return day * self.stall_after_days

    def cases_for(self, objectives: list[str]) -> list[UatTemplate]:
        return [
            c for c in self.uat_cases if not c.objectives or set(c.objectives) & set(objectives)
        ]


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None
