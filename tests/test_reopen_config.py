"""`[desk] reopen_within`: documented default, a duration, a clear error naming the key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import desk_settings
from bot.config import load_config, parse_config
from bot.config_error import ConfigError

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_the_default_is_seven_days_and_the_example_says_so() -> None:
    assert parse_config({}, {}).desk.reopen_within == timedelta(days=7)
    assert load_config(EXAMPLE, {}).desk.reopen_within == timedelta(days=7)
    config = parse_config({"desk": {"reopen_within": "36h"}}, {})
    assert desk_settings(config).reopen_within == timedelta(hours=36)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("soon", "is not a duration"),
        (7, "must be a str"),
        ("0m", "must be between 1m and 365d"),
        ("400d", "must be between 1m and 365d"),
    ],
)
def test_a_wrong_value_names_the_key(value: object, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"desk": {"reopen_within": value}}, {})
    assert "desk.reopen_within" in str(caught.value) and problem in str(caught.value)
