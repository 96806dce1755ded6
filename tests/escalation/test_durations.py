from datetime import timedelta

import pytest

from handlers.escalation.durations import DurationError, format_duration, humanize, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("0s", timedelta(0)),
        (" 30M ", timedelta(minutes=30)),
    ],
)
def test_parses_each_unit(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "m", "1.5h", "-5m", "15 minutes", "4w", "15m30s"])
def test_rejects_with_a_message_naming_the_format(text: str) -> None:
    with pytest.raises(DurationError, match="'90s', '15m', '4h', '2d'"):
        parse_duration(text)


@pytest.mark.parametrize("value", [15, None, 1.5, ["15m"]])
def test_rejects_non_strings(value: object) -> None:
    with pytest.raises(DurationError, match="expected a duration string"):
        parse_duration(value)


@pytest.mark.parametrize("text", ["90s", "15m", "4h", "2d", "0s", "61m"])
def test_format_round_trips(text: str) -> None:
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)


def test_format_picks_the_largest_exact_unit() -> None:
    assert format_duration(timedelta(hours=48)) == "2d"
    assert format_duration(timedelta(seconds=90)) == "90s"


def test_humanize() -> None:
    assert humanize(timedelta(seconds=40)) == "40s"
    assert humanize(timedelta(minutes=12, seconds=5)) == "12m"
    assert humanize(timedelta(hours=2, minutes=5)) == "2h 5m"
    assert humanize(timedelta(days=3, hours=4, minutes=9)) == "3d 4h"
    assert humanize(timedelta(days=1)) == "1d"
    assert humanize(timedelta(seconds=-5)) == "0s"
