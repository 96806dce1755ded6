import tomllib
from datetime import date, time, timedelta
from typing import Any

import pytest

from bot.config_error import ConfigError
from bot.config_escalation import parse_escalation
from handlers.escalation.policy import DEFAULT_CRITICAL, DEFAULT_MINOR, EscalationPolicy

ISSUE_EXAMPLE = """
[escalation]
sweep_interval = "30s"
timezone = "Africa/Dar_es_Salaam"
business_hours = "Mon-Fri 08:00-17:00"
holidays = ["2026-12-25"]
digest_at = "08:30"

[escalation.critical]
acknowledge_within = "15m"
resolve_within = "4h"
business_hours_only = false
levels = [
  { after = "0s",  notify = ["team"] },
  { after = "15m", notify = ["team"], mention = "everyone" },
  { after = "30m", notify = ["team", "leads"], mention = "everyone" },
]
repeat_every = "15m"   # after the last level, repeat it until acknowledged
max_repeats = 8
"""


def test_the_issue_example_parses_to_the_defaults() -> None:
    raw = tomllib.loads(ISSUE_EXAMPLE)["escalation"]
    policy = parse_escalation(raw)
    assert policy.sweep_interval == timedelta(seconds=30)
    assert policy.timezone == "Africa/Dar_es_Salaam"
    assert policy.holidays == frozenset({date(2026, 12, 25)})
    assert policy.digest_at == time(8, 30)
    assert policy.critical == DEFAULT_CRITICAL
    assert policy == EscalationPolicy(holidays=frozenset({date(2026, 12, 25)}))


def test_missing_table_gives_defaults() -> None:
    assert parse_escalation(None) == EscalationPolicy()
    assert parse_escalation({}) == EscalationPolicy()


def test_partial_severity_keeps_other_defaults() -> None:
    policy = parse_escalation({"minor": {"acknowledge_within": "3d"}})
    assert policy.minor.acknowledge_within == timedelta(days=3)
    assert policy.minor.levels == DEFAULT_MINOR.levels


def test_seconds_timers_for_a_live_trial() -> None:
    raw = {
        "sweep_interval": "2s",
        "critical": {
            "levels": [{"after": "0s"}, {"after": "10s", "mention": "everyone"}],
            "repeat_every": "10s",
            "max_repeats": 2,
            "acknowledge_within": "",
        },
    }
    policy = parse_escalation(raw)
    assert policy.critical.levels[0].notify == ("team",)
    assert policy.critical.levels[1].after == timedelta(seconds=10)
    assert policy.critical.acknowledge_within is None


def test_toml_dates_are_accepted_for_holidays() -> None:
    raw = tomllib.loads("[escalation]\nholidays = [2026-12-25]\n")["escalation"]
    assert parse_escalation(raw).holidays == frozenset({date(2026, 12, 25)})


def _level_table(**level: Any) -> dict[str, Any]:
    return {"critical": {"levels": [{"after": "0s"}, level]}}


@pytest.mark.parametrize(
    ("raw", "key", "fragment"),
    [
        ({"sweep_interval": "soon"}, "escalation.sweep_interval", "not a duration"),
        ({"sweep_interval": "0s"}, "escalation.sweep_interval", "longer than zero"),
        ({"timezone": "Mars/Olympus"}, "escalation.timezone", "not a time zone"),
        ({"business_hours": "weekdays"}, "escalation.business_hours", "expected business hours"),
        ({"holidays": "2026-12-25"}, "escalation.holidays", "list of dates"),
        ({"holidays": ["2026-12-25", "Xmas"]}, "escalation.holidays[1]", "expected a date"),
        ({"digest_at": "8am"}, "escalation.digest_at", "time of day"),
        ({"critcal": {}}, "escalation.critcal", "unknown key"),
        ({"critical": []}, "escalation.critical", "expected a table"),
        ({"critical": {"ack": "1m"}}, "escalation.critical.ack", "unknown key"),
        ({"major": {"resolve_within": 5}}, "escalation.major.resolve_within", "duration"),
        (
            {"major": {"business_hours_only": "yes"}},
            "escalation.major.business_hours_only",
            "true or false",
        ),
        ({"critical": {"max_repeats": -1}}, "escalation.critical.max_repeats", ">= 0"),
        ({"critical": {"max_repeats": True}}, "escalation.critical.max_repeats", ">= 0"),
        ({"critical": {"levels": {}}}, "escalation.critical.levels", "list of tables"),
        (_level_table(after="5x"), "escalation.critical.levels[1].after", "not a duration"),
        (_level_table(), "escalation.critical.levels[1].after", "missing"),
        (
            _level_table(after="1m", notify=["team", "boss"]),
            "escalation.critical.levels[1].notify[1]",
            "not a target",
        ),
        (_level_table(after="1m", notify=[]), "escalation.critical.levels[1].notify", "non-empty"),
        (
            _level_table(after="1m", mention="here"),
            "escalation.critical.levels[1].mention",
            "everyone",
        ),
        (_level_table(after="1m", who="x"), "escalation.critical.levels[1].who", "unknown key"),
        (
            {"critical": {"levels": [{"after": "15m"}, {"after": "5m"}]}},
            "escalation.critical.levels[1].after",
            "in order",
        ),
    ],
)
def test_errors_name_the_dotted_key(raw: dict[str, Any], key: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_escalation(raw)
    assert caught.value.key == key
    assert fragment in caught.value.problem


def test_the_example_config_spells_out_the_defaults() -> None:
    from pathlib import Path

    from bot.config import load_config

    example = Path(__file__).parent.parent.parent / "config.example.toml"
    assert parse_escalation(load_config(example, {}).escalation) == EscalationPolicy()


def test_a_bad_policy_stops_start_up_naming_the_key(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    config = tmp_path / "bad.toml"
    config.write_text('[escalation.critical]\nlevels = [{ after = "0s" }, { after = "soon" }]\n')
    assert main(["tickets", "list", "--config", str(config)]) == 2
    assert "escalation.critical.levels[1].after" in capsys.readouterr().err
