"""The report modal, the reply-to-merchant modal, and reading their submissions back.

Select options carry the choice definitions as option descriptions, so the reporter sees what
Critical means while choosing. Where the modal came from (channel, thread) rides in
`private_metadata`, which Slack hands back untouched with the submission.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from handlers.events import Choice
from handlers.messages import t

from .blocks import Block, plain

REPORT_CALLBACK = "desk_report"
REPLY_CALLBACK = "desk_reply"

TITLE_LIMIT = 150
DETAILS_LIMIT = 3000
REPLY_LIMIT = 3000
OPTION_LIMIT = 75


def _option(choice: Choice) -> dict[str, Any]:
    option: dict[str, Any] = {"text": plain(choice.label, OPTION_LIMIT), "value": choice.value}
    if choice.description:
        option["description"] = plain(choice.description, OPTION_LIMIT)
    return option


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }


def _select(placeholder: str, choices: tuple[Choice, ...]) -> dict[str, Any]:
    return {
        "type": "static_select",
        "placeholder": plain(placeholder, 150),
        "options": [_option(c) for c in choices],
    }


def report_modal(
    environments: tuple[Choice, ...],
    severities: tuple[Choice, ...],
    origin: dict[str, str],
    title_limit: int = TITLE_LIMIT,
    details_limit: int = DETAILS_LIMIT,
) -> dict[str, Any]:
    """The `/desk report` form. `origin` says where the report was made (channel, thread)."""
    return {
        "type": "modal",
        "callback_id": REPORT_CALLBACK,
        "title": plain(t("slack.report.modal_title"), 24),
        "submit": plain(t("slack.report.submit"), 24),
        "close": plain(t("slack.modal.cancel"), 24),
        "private_metadata": json.dumps(origin),
        "blocks": [
            _input(
                "title",
                t("slack.report.field.title"),
                {"type": "plain_text_input", "max_length": min(title_limit, TITLE_LIMIT)},
            ),
            _input(
                "details",
                t("slack.report.field.details"),
                {
                    "type": "plain_text_input",
                    "multiline": True,
                    "max_length": min(details_limit, DETAILS_LIMIT),
                },
            ),
            _input(
                "environment",
                t("slack.report.field.environment"),
                _select(t("slack.report.field.environment_placeholder"), environments),
            ),
            _input(
                "severity",
                t("slack.report.field.severity"),
                _select(t("slack.report.field.severity_placeholder"), severities),
            ),
        ],
    }


def reply_modal(reference: str, origin: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": REPLY_CALLBACK,
        "title": plain(t("slack.reply.modal_title", reference=reference), 24),
        "submit": plain(t("slack.reply.submit"), 24),
        "close": plain(t("slack.modal.cancel"), 24),
        "private_metadata": json.dumps({**origin, "reference": reference}),
        "blocks": [
            _input(
                "reply",
                t("slack.reply.field"),
                {"type": "plain_text_input", "multiline": True, "max_length": REPLY_LIMIT},
            )
        ],
    }


@dataclass(frozen=True, slots=True)
class ReportForm:
    title: str
    details: str
    environment: str
    severity: str


def _field(data: Any, key: str) -> Any:
    """`data[key]` when `data` is an object, else None: a submission is outside input, and a
    malformed one must read as an empty field, never raise."""
    return data.get(key) if isinstance(data, dict) else None


# The private_metadata key holding the language the form was opened in.
LANGUAGE = "lang"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _values(view: Any) -> Any:
    return _field(_field(view, "state"), "values")


def _value(values: Any, block_id: str) -> str:
    state = _field(_field(values, block_id), "value")
    if _field(state, "type") == "static_select":
        return _text(_field(_field(state, "selected_option"), "value"))
    return _text(_field(state, "value"))


def metadata(view: Any) -> dict[str, str]:
    try:
        loaded = json.loads(_text(_field(view, "private_metadata")) or "{}")
    except (json.JSONDecodeError, RecursionError):
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def read_report(
    view: dict[str, Any],
    environments: tuple[Choice, ...],
    severities: tuple[Choice, ...],
    title_limit: int = TITLE_LIMIT,
    details_limit: int = DETAILS_LIMIT,
) -> ReportForm | dict[str, str]:
    """The submitted report, or per-block errors (Slack shows them beside the fields)."""
    values = _values(view)
    form = ReportForm(
        title=_value(values, "title").strip(),
        details=_value(values, "details").strip(),
        environment=_value(values, "environment"),
        severity=_value(values, "severity"),
    )
    errors: dict[str, str] = {}
    if not form.title:
        errors["title"] = t("slack.report.error.title_empty")
    elif len(form.title) > title_limit:
        errors["title"] = t("slack.report.error.title_too_long", limit=title_limit)
    if not form.details:
        errors["details"] = t("slack.report.error.details_empty")
    elif len(form.details) > details_limit:
        errors["details"] = t("slack.report.error.details_too_long", limit=details_limit)
    if form.environment not in {c.value for c in environments}:
        errors["environment"] = t("slack.report.error.environment")
    if form.severity not in {c.value for c in severities}:
        errors["severity"] = t("slack.report.error.severity")
    return errors or form


def read_reply(view: dict[str, Any]) -> str:
    return _value(_values(view), "reply").strip()
