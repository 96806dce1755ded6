"""`/desk integrate`: the integration request as one Slack form, with the same fields as the
chat flow (active account, business name, merchant account id, overview, objectives, systems,
target go-live), read back into the answers the engine files."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from handlers.messages import t
from handlers.program.request import ACCOUNT_LIMIT, NAME_LIMIT, SYSTEMS_LIMIT
from handlers.program.settings import OBJECTIVES

from .blocks import plain
from .modals import DETAILS_LIMIT, _input, _value

INTEGRATE_CALLBACK = "desk_integrate"


def _checkboxes(options: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "checkboxes",
        "options": [{"text": plain(label, 75), "value": value} for label, value in options],
    }


def integrate_modal(origin: dict[str, str], overview_limit: int = DETAILS_LIMIT) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": INTEGRATE_CALLBACK,
        "title": plain(t("slack.integrate.modal_title"), 24),
        "submit": plain(t("slack.integrate.submit"), 24),
        "close": plain(t("slack.modal.cancel"), 24),
        "private_metadata": json.dumps(origin),
        "blocks": [
            _input(
                "account",
                t("prj.integrate.account"),
                _checkboxes([(t("slack.integrate.account_yes"), "yes")]),
            ),
            _input(
                "name",
                t("prj.integrate.name"),
                {"type": "plain_text_input", "max_length": NAME_LIMIT},
            ),
            _input(
                "account_id",
                t("prj.integrate.account_id"),
                {"type": "plain_text_input", "max_length": ACCOUNT_LIMIT},
            ),
            _input(
                "overview",
                t("prj.integrate.overview"),
                {
                    "type": "plain_text_input",
                    "multiline": True,
                    "max_length": min(overview_limit, DETAILS_LIMIT),
                },
            ),
            _input(
                "objectives",
                t("slack.integrate.objectives"),
                _checkboxes([(t.word("objective", key), key) for key in OBJECTIVES]),
            ),
            _input(
                "systems",
                t("prj.integrate.systems"),
                {"type": "plain_text_input", "max_length": SYSTEMS_LIMIT},
            ),
            _input("target", t("slack.integrate.target"), {"type": "datepicker"}, optional=True),
        ],
    }


def _selected(values: dict[str, Any], block_id: str) -> list[str]:
    state = values.get(block_id, {}).get("value", {})
    return [str(o.get("value", "")) for o in state.get("selected_options") or []]


def read_integration(
    view: dict[str, Any], today: date, overview_limit: int = DETAILS_LIMIT
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers as the chat flow collects them, and per-block errors (Slack shows them beside
    the fields; with any, nothing is filed)."""
    values = view.get("state", {}).get("values", {})
    target = str((values.get("target", {}).get("value", {}) or {}).get("selected_date") or "")
    data: dict[str, Any] = {
        "name": _value(values, "name").strip(),
        "account_id": _value(values, "account_id").strip(),
        "overview": _value(values, "overview").strip(),
        "objectives": [o for o in _selected(values, "objectives") if o in OBJECTIVES],
        "systems": _value(values, "systems").strip(),
        "target": target or None,
    }
    errors: dict[str, str] = {}
    if "yes" not in _selected(values, "account"):
        errors["account"] = t("slack.integrate.no_account")
    limits = {
        "name": NAME_LIMIT,
        "account_id": ACCOUNT_LIMIT,
        "overview": overview_limit,
        "systems": SYSTEMS_LIMIT,
    }
    for key, limit in limits.items():
        if not data[key]:
            errors[key] = t("slack.integrate.required")
        elif len(data[key]) > limit:
            errors[key] = t("report.too_long", length=len(data[key]), limit=limit)
    if not data["objectives"]:
        errors["objectives"] = t("prj.integrate.objectives_none")
    if target:
        try:
            if date.fromisoformat(target) <= today:
                errors["target"] = t("prj.integrate.target_past", date=target)
        except ValueError:
            errors["target"] = t("prj.integrate.target_bad", text=target[:40])
    return data, errors
