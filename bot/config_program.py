"""The `[program]` table: project references, the stall threshold, checklists per stage and the
UAT cases. Business hours, holidays and the time zone come from `[escalation]`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.config_error import ConfigError
from handlers.escalation.policy import EscalationPolicy
from handlers.program.settings import (
    DEFAULT_CHECKLISTS,
    DEFAULT_UAT,
    OBJECTIVES,
    STAGES,
    ProgramSettings,
    UatTemplate,
)

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_KEYS = {"reference_prefix", "stall_after", "checklists", "uat_cases"}
_CASE_KEYS = {"title", "required", "objectives"}
ITEM_LIMIT = 200


def _strings(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(key, "must be a list of non-empty strings")
    for index, item in enumerate(value):
        if len(item) > ITEM_LIMIT:
            raise ConfigError(f"{key}[{index}]", f"longer than {ITEM_LIMIT} characters")
    return tuple(v.strip() for v in value)


def _checklists(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ConfigError("program.checklists", "must be a table of stage = [items]")
    lists = dict(DEFAULT_CHECKLISTS)
    for stage, items in value.items():
        if stage not in STAGES:
            raise ConfigError(
                f"program.checklists.{stage}", f"unknown stage; stages: {', '.join(STAGES)}"
            )
        lists[stage] = _strings(items, f"program.checklists.{stage}")
    return lists


def _case(raw: object, key: str) -> UatTemplate:
    if not isinstance(raw, Mapping):
        raise ConfigError(key, "must be a table with title, required, objectives")
    unknown = sorted(set(raw) - _CASE_KEYS)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}", "unknown key (see config.example.toml)")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > ITEM_LIMIT:
        raise ConfigError(f"{key}.title", f"must be a non-empty string of at most {ITEM_LIMIT}")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise ConfigError(f"{key}.required", "must be true or false")
    objectives = (
        _strings(raw.get("objectives", []), f"{key}.objectives") if raw.get("objectives") else ()
    )
    for objective in objectives:
        if objective not in OBJECTIVES:
            raise ConfigError(
                f"{key}.objectives", f"{objective!r} is not one of {', '.join(OBJECTIVES)}"
            )
    return UatTemplate(title.strip(), required, objectives)


def parse_program(
    raw: Mapping[str, Any] | None, policy: EscalationPolicy, ticket_prefix: str = "INT"
) -> ProgramSettings:
    table = raw if raw is not None else {}
    if not isinstance(table, Mapping):
        raise ConfigError("program", "must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"program.{unknown[0]}", "unknown key (see config.example.toml)")
    prefix = table.get("reference_prefix", "PRJ")
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise ConfigError("program.reference_prefix", "must be 1-10 capital letters or digits")
    if prefix == ticket_prefix:
        raise ConfigError(
            "program.reference_prefix", f"must differ from desk.reference_prefix ({ticket_prefix})"
        )
    stall = table.get("stall_after", 5)
    if isinstance(stall, bool) or not isinstance(stall, int) or not 1 <= stall <= 60:
        raise ConfigError("program.stall_after", "must be a whole number of business days, 1-60")
    cases = DEFAULT_UAT
    if "uat_cases" in table:
        value = table["uat_cases"]
        if not isinstance(value, list):
            raise ConfigError(
                "program.uat_cases", "must be a list of tables ([[program.uat_cases]])"
            )
        cases = tuple(_case(c, f"program.uat_cases[{i}]") for i, c in enumerate(value))
    return ProgramSettings(
        reference_prefix=prefix,
        stall_after_days=stall,
        checklists=_checklists(table.get("checklists", {})),
        uat_cases=cases,
        calendar=policy.calendar(),
    )
