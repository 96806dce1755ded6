from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.escalation.business_hours import (
    BusinessCalendar,
    BusinessHoursError,
    parse_business_hours,
    parse_clock_time,
    parse_holiday,
)

EAT = ZoneInfo("Africa/Dar_es_Salaam")
HOURS = parse_business_hours("Mon-Fri 08:00-17:00")


def eat(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=EAT)


def test_parse_weekday_range_and_window() -> None:
    assert HOURS.days == frozenset(range(5))
    assert (HOURS.start, HOURS.end) == (time(8), time(17))
    assert HOURS.describe() == "Mon,Tue,Wed,Thu,Fri 08:00-17:00"


def test_parse_day_lists_and_wrapping_ranges() -> None:
    assert parse_business_hours("Mon,Wed,Sat 09:00-13:00").days == frozenset({0, 2, 5})
    assert parse_business_hours("Fri-Mon 09:00-13:00").days == frozenset({4, 5, 6, 0})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Mon-Fri", "expected business hours"),
        ("Mon-Fro 08:00-17:00", "not a weekday"),
        ("Mon-Fri 8-17", "not a time window"),
        ("Mon-Fri 17:00-08:00", "end after it starts"),
        ("Mon-Fri 08:00-25:00", "hour must be"),
        (None, "expected business hours"),
    ],
)
def test_parse_errors_are_clear(text: object, fragment: str) -> None:
    with pytest.raises(BusinessHoursError, match=fragment):
        parse_business_hours(text)


def test_parse_clock_time_and_holiday() -> None:
    assert parse_clock_time("08:30") == time(8, 30)
    assert parse_holiday("2026-12-25") == date(2026, 12, 25)
    assert parse_holiday(date(2026, 12, 26)) == date(2026, 12, 26)
    with pytest.raises(BusinessHoursError):
        parse_clock_time("8.30")
    with pytest.raises(BusinessHoursError):
        parse_clock_time("24:00")
    with pytest.raises(BusinessHoursError):
        parse_holiday("25/12/2026")


def test_friday_1630_plus_four_business_hours_is_monday_1130_eat() -> None:
    cal = BusinessCalendar(HOURS, EAT)
    friday = eat(2026, 11, 27, 16, 30)
    assert friday.weekday() == 4
    assert cal.add(friday, timedelta(hours=4)) == eat(2026, 11, 30, 11, 30)


def test_holiday_is_skipped() -> None:
    cal = BusinessCalendar(HOURS, EAT, holidays=[date(2026, 11, 30)])
    friday = eat(2026, 11, 27, 16, 30)
    assert cal.add(friday, timedelta(hours=4)) == eat(2026, 12, 1, 11, 30)


def test_add_within_one_day_and_before_opening() -> None:
    cal = BusinessCalendar(HOURS, EAT)
    assert cal.add(eat(2026, 11, 24, 9), timedelta(hours=2)) == eat(2026, 11, 24, 11)
    assert cal.add(eat(2026, 11, 24, 6), timedelta(hours=1)) == eat(2026, 11, 24, 9)
    # Saturday night: counting starts Monday morning
    assert cal.add(eat(2026, 11, 28, 22), timedelta(minutes=30)) == eat(2026, 11, 30, 8, 30)


def test_zero_duration_outside_hours_waits_for_opening() -> None:
    cal = BusinessCalendar(HOURS, EAT)
    assert cal.add(eat(2026, 11, 24, 20), timedelta(0)) == eat(2026, 11, 25, 8)
    assert cal.add(eat(2026, 11, 24, 10), timedelta(0)) == eat(2026, 11, 24, 10)


def test_result_is_utc_and_accepts_any_zone_input() -> None:
    cal = BusinessCalendar(HOURS, EAT)
    result = cal.add(datetime(2026, 11, 27, 13, 30, tzinfo=UTC), timedelta(hours=4))
    assert result.tzinfo is UTC
    assert result == eat(2026, 11, 30, 11, 30)


def test_multi_day_durations() -> None:
    cal = BusinessCalendar(HOURS, EAT)
    # 2 business days of 9 hours = 18 business hours from Monday 08:00 ends Tuesday 17:00
    assert cal.add(eat(2026, 11, 23, 8), timedelta(hours=18)) == eat(2026, 11, 24, 17)


def test_elapsed_is_the_inverse_of_add() -> None:
    cal = BusinessCalendar(HOURS, EAT, holidays=[date(2026, 11, 30)])
    start = eat(2026, 11, 27, 16, 30)
    for hours in (0.5, 1, 4, 9, 20, 40):
        end = cal.add(start, timedelta(hours=hours))
        assert cal.elapsed(start, end) == timedelta(hours=hours)
    assert cal.elapsed(end, start) == timedelta(0)


def test_dst_zone_counts_real_hours() -> None:
    # Europe/London springs forward on 2026-03-29 (a Sunday); a Saturday-Sunday calendar
    # shows the 23-hour day does not shift the window.
    zone = ZoneInfo("Europe/London")
    hours = parse_business_hours("Sat-Sun 00:30-03:30")
    cal = BusinessCalendar(hours, zone)
    sunday_open = datetime(2026, 3, 29, 0, 30, tzinfo=zone)
    # 00:30 GMT to 03:30 BST is 2 real hours, not 3
    assert cal.elapsed(sunday_open, datetime(2026, 3, 29, 4, 0, tzinfo=zone)) == timedelta(hours=2)


def test_calendar_without_days_is_rejected() -> None:
    from handlers.escalation.business_hours import BusinessHours

    with pytest.raises(BusinessHoursError):
        BusinessCalendar(BusinessHours(frozenset(), time(8), time(17)), EAT)


def test_calendar_of_only_holidays_errors_instead_of_looping() -> None:
    hours = parse_business_hours("Mon 08:00-17:00")
    mondays = [date(2026, 11, 30) + timedelta(weeks=w) for w in range(600)]
    cal = BusinessCalendar(hours, EAT, holidays=mondays)
    with pytest.raises(BusinessHoursError, match="no business time"):
        cal.add(eat(2026, 11, 27, 9), timedelta(hours=1))
