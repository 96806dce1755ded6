from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.escalation.digest import PER_SEVERITY, DigestLine, compose_digest
from handlers.escalation.sla import Clock, SlaStatus

EAT = ZoneInfo("Africa/Dar_es_Salaam")
NOW = datetime(2026, 11, 30, 5, 30, tzinfo=UTC)  # Monday 08:30 EAT
OK = SlaStatus(Clock.ok, Clock.ok)


def line(ref: str, sev: str, hours: float, ack: bool = False, sla: SlaStatus = OK) -> DigestLine:
    return DigestLine(
        reference=ref,
        severity=sev,
        title=f"Problem {ref}",
        status="acknowledged" if ack else "open",
        created_at=NOW - timedelta(hours=hours),
        acknowledged=ack,
        sla=sla,
    )


def test_digest_lists_counts_breaches_risks_and_oldest_unacknowledged() -> None:
    text = compose_digest(
        [
            line("INT-1", "critical", 2, ack=True, sla=SlaStatus(Clock.met, Clock.at_risk)),
            line("INT-2", "major", 70, sla=SlaStatus(Clock.breached, Clock.breached)),
            line("INT-3", "major", 1),
            line("INT-4", "minor", 5, ack=True),
        ],
        NOW,
        EAT,
    )
    assert text.splitlines()[0] == "Daily digest for Mon 30 Nov 2026 (08:30 EAT)"
    assert "Open tickets: 4 (critical 1, major 2, minor 1)" in text
    assert "• INT-1 Problem INT-1 (2h old, acknowledged)" in text
    assert "• INT-2 Problem INT-2 (2d 22h old, not acknowledged)" in text
    assert "SLA breached: INT-2 (acknowledge and resolve)" in text
    assert "SLA at risk: INT-1 (resolve)" in text
    assert "Oldest unacknowledged: INT-2 [major] Problem INT-2 (2d 22h old)" in text
    # oldest first within a severity
    assert text.index("INT-2 Problem") < text.index("INT-3 Problem")


def test_empty_digest() -> None:
    text = compose_digest([], NOW, EAT)
    assert "No open tickets" in text


def test_long_lists_are_cut() -> None:
    lines = [line(f"INT-{n}", "minor", n) for n in range(1, PER_SEVERITY + 4)]
    text = compose_digest(lines, NOW, EAT)
    assert "… and 3 more" in text
    assert "SLA breached: none" in text and "SLA at risk: none" in text


def test_the_digest_names_a_merchants_language_other_than_the_teams() -> None:
    from dataclasses import replace

    from handlers.messages import speaking

    swahili = replace(line("INT-5", "major", 3), language="sw")
    english = replace(line("INT-6", "major", 4), language="en")
    text = compose_digest([swahili, english], NOW, EAT)
    assert "• INT-5 Problem INT-5 (3h old, not acknowledged, writes in Kiswahili)" in text
    assert "• INT-6 Problem INT-6 (4h old, not acknowledged)" in text
    with speaking("sw"):  # a team that reads Swahili
        text = compose_digest([swahili, english], NOW, EAT)
    assert text.splitlines()[0] == "Muhtasari wa siku wa Jumatatu 30 Nov 2026 (08:30 EAT)"
    assert "• INT-5 Problem INT-5 (umri 3h, haijapokelewa)" in text
    assert "• INT-6 Problem INT-6 (umri 4h, haijapokelewa, anaandika kwa English)" in text
