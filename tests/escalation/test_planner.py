from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.escalation.planner import Planner
from handlers.escalation.policy import EscalationPolicy

EAT = ZoneInfo("Africa/Dar_es_Salaam")
CREATED = datetime(2026, 11, 24, 10, 0, tzinfo=EAT)  # a Tuesday


def minutes(n: float) -> datetime:
    return CREATED + timedelta(minutes=n)


def test_critical_schedule_levels_then_repeats_up_to_max() -> None:
    planner = Planner(EscalationPolicy())
    assert planner.total_steps("critical") == 3 + 8
    pages = [planner.page(CREATED, "critical", step) for step in range(11)]
    assert [p.due_at for p in pages if p] == [minutes(m) for m in (0, 15, 30, *range(45, 151, 15))]
    assert [p.level for p in pages if p] == [1, 2, 3] + [3] * 8
    assert [p.repeat for p in pages if p] == [0, 0, 0, *range(1, 9)]
    assert pages[0] and pages[0].notify == ("team",) and not pages[0].mention_everyone
    assert pages[1] and pages[1].mention_everyone
    assert pages[2] and pages[2].notify == ("team", "leads")
    assert planner.page(CREATED, "critical", 11) is None
    assert planner.due_at(CREATED, "critical", 11) is None


def test_catch_up_sends_only_the_latest_overdue_page() -> None:
    planner = Planner(EscalationPolicy())
    # Level 1 went out, then the bot was down until minute 40: levels 2 and 3 are both overdue.
    result = planner.catch_up(CREATED, "critical", 1, minutes(40))
    assert result.page is not None
    assert (result.page.level, result.page.step) == (3, 2)
    assert result.next_step == 3
    assert result.next_due_at == minutes(45)


def test_catch_up_before_due_sends_nothing_and_reports_when() -> None:
    planner = Planner(EscalationPolicy())
    result = planner.catch_up(CREATED, "critical", 1, minutes(14))
    assert result.page is None
    assert result.next_step == 1
    assert result.next_due_at == minutes(15)


def test_catch_up_after_the_last_repeat_sends_one_and_stops() -> None:
    planner = Planner(EscalationPolicy())
    result = planner.catch_up(CREATED, "critical", 0, minutes(24 * 60))
    assert result.page is not None and result.page.repeat == 8
    assert result.next_due_at is None


def test_major_waits_four_business_hours_and_skips_a_holiday() -> None:
    friday = datetime(2026, 11, 27, 16, 30, tzinfo=EAT)
    planner = Planner(EscalationPolicy())
    page = planner.page(friday, "major", 0)
    assert page is not None and page.due_at == datetime(2026, 11, 30, 11, 30, tzinfo=EAT)
    assert planner.page(friday, "major", 1) is None
    holiday = Planner(EscalationPolicy(holidays=frozenset({date(2026, 11, 30)})))
    assert holiday.due_at(friday, "major", 0) == datetime(2026, 12, 1, 11, 30, tzinfo=EAT)


def test_minor_never_pages() -> None:
    planner = Planner(EscalationPolicy())
    assert planner.total_steps("minor") == 0
    assert planner.due_at(CREATED, "minor", 0) is None
    assert planner.catch_up(CREATED, "minor", 0, minutes(10_000)).page is None


def test_sla_deadlines() -> None:
    planner = Planner(EscalationPolicy())
    assert planner.acknowledge_deadline(CREATED, "critical") == minutes(15)
    assert planner.resolve_deadline(CREATED, "critical") == minutes(240)
    friday = datetime(2026, 11, 27, 16, 30, tzinfo=EAT)
    assert planner.acknowledge_deadline(friday, "major") == datetime(
        2026, 11, 30, 11, 30, tzinfo=EAT
    )
