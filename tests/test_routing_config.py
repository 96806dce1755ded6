"""`[desk] followup_window`: read as a duration, a wrong value names the key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import desk_settings
from bot.config import parse_config
from bot.config_error import ConfigError


def test_followup_window_defaults_to_a_day_and_reaches_the_desk() -> None:
    assert parse_config({}, env={}).desk.followup_window == timedelta(hours=24)
    config = parse_config({"desk": {"followup_window": "90m"}}, env={})
    assert desk_settings(config).followup_window == timedelta(minutes=90)


@pytest.mark.parametrize("value", ["soon", 24, "0m", "31d"])
def test_a_wrong_followup_window_names_the_key(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"desk": {"followup_window": value}}, env={})
    assert "desk.followup_window" in str(caught.value)
