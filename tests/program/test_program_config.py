"""`[program]`: defaults, overrides, and a wrong value naming its key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from bot.config_escalation import parse_escalation
from bot.config_program import parse_program
from handlers.program.settings import DEFAULT_CHECKLISTS, DEFAULT_UAT

ROOT = Path(__file__).parent.parent.parent


def test_defaults_and_example() -> None:
    program = parse_program({}, parse_escalation({}))
    assert program.reference_prefix == "PRJ" and program.stall_after_days == 5
    assert program.checklists == DEFAULT_CHECKLISTS and program.uat_cases == DEFAULT_UAT
    example = tomllib.loads((ROOT / "config.example.toml").read_text())
    assert parse_program(example["program"], parse_escalation({})).reference_prefix == "PRJ"


def test_default_uat_cases_cover_the_api_facts() -> None:
    ussd = [c.title for c in parse_program({}, parse_escalation({})).cases_for(["ussd_push"])]
    assert len(ussd) >= 7
    everything = parse_program({}, parse_escalation({})).cases_for(["ussd_push", "payout"])
    assert len(everything) >= 8
    assert any("Payout" in c.title for c in everything)


def test_overrides() -> None:
    program = parse_program(
        {
            "reference_prefix": "ONB",
            "stall_after": 3,
            "checklists": {"security": ["Keys in a vault"]},
            "uat_cases": [{"title": "Token", "objectives": ["card"], "required": False}],
        },
        parse_escalation({"timezone": "UTC"}),
    )
    assert program.reference_prefix == "ONB" and program.stall_after_days == 3
    assert program.checklists["security"] == ("Keys in a vault",)
    assert program.checklists["scope"] == DEFAULT_CHECKLISTS["scope"]
    assert program.cases_for(["ussd_push"]) == []
    assert program.cases_for(["card"])[0].required is False


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"reference_prefix": "prj"}, "program.reference_prefix"),
        ({"reference_prefix": "INT"}, "program.reference_prefix"),
        ({"stall_after": "5d"}, "program.stall_after"),
        ({"stall_after": 0}, "program.stall_after"),
        ({"checklists": {"launch": ["x"]}}, "program.checklists.launch"),
        ({"checklists": {"scope": "x"}}, "program.checklists.scope"),
        ({"uat_cases": [{"title": ""}]}, "program.uat_cases[0].title"),
        (
            {"uat_cases": [{"title": "x", "objectives": ["crypto"]}]},
            "program.uat_cases[0].objectives",
        ),
        ({"uat_cases": [{"title": "x", "colour": "red"}]}, "program.uat_cases[0].colour"),
        ({"colour": 1}, "program.colour"),
    ],
)
def test_wrong_values_name_the_key(raw: dict, key: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as caught:
        parse_config({"program": raw}, {})
    assert caught.value.key == key
