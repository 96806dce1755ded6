"""Block Kit for what the desk sends the team: alerts with action buttons, timeline entries.

The alert is re-rendered from the outbox payload every time (new ticket and every change), so the
message edited in place with chat.update always shows the current status and who acted.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.messages import t

from .blocks import BLOCK_TEXT_LIMIT, Block, block_text, button, plain, section, text_sections
from .mrkdwn import escape_clipped

TEAM_BLOCK = "desk_team"
TEAM_ACTION = re.compile(r"^desk_team_(ack|take|resolve|reopen|reply)$")
# What an alert button may do; `reply` opens a modal, the others run the team command.
BUTTON_ACTIONS = ("ack", "take", "resolve", "reopen")

_SEVERITY_MARK = {"critical": "🔴", "major": "🟠", "minor": "🟡"}
_STYLE = {"ack": "primary", "resolve": "danger"}
HEADER_LIMIT = 150


def _team_buttons(choices: list[dict[str, Any]], reference: str, status: str) -> list[Block]:
    elements: list[Block] = []
    for choice in choices:
        value = str(choice.get("value", ""))
        kind, _, rest = value.partition(":")
        action = rest.partition(":")[0]
        if kind != "team" or action not in BUTTON_ACTIONS:
            continue
        elements.append(
            button(
                str(choice.get("label", action)), f"desk_team_{action}", value, _STYLE.get(action)
            )
        )
    if status != "closed":
        elements.append(
            button(t("slack.alert.reply"), "desk_team_reply", f"team:reply:{reference}")
        )
    return elements


def alert_blocks(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """`text` and `blocks` for the team alert of the ticket described in `payload`."""
    facts: dict[str, Any] = payload.get("ticket") or {}
    reference = str(facts.get("reference") or "")
    severity = facts.get("severity")
    mark = _SEVERITY_MARK.get(str(severity), "❔" if facts.get("kind") == "question" else "•")
    heading = " · ".join(
        part
        for part in (
            reference,
            t.word("severity", severity) if severity else t.word("kind", facts.get("kind")),
            t.word("environment", facts.get("environment")) if facts.get("environment") else "",
        )
        if part
    )
    header: Block = {"type": "header", "text": plain(f"{mark} {heading}", HEADER_LIMIT)}
    buttons = _team_buttons(payload.get("choices", []), reference, str(facts.get("status", "")))
    actions = [{"type": "actions", "block_id": TEAM_BLOCK, "elements": buttons}] if buttons else []
    budget = BLOCK_TEXT_LIMIT - block_text([header, *actions])
    blocks = [header, *text_sections(str(payload.get("text", "")), budget), *actions]
    fallback = f"{mark} {heading}: " + escape_clipped(str(facts.get("title", "")), 2000)
    return fallback, blocks


def page_blocks(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """An escalation page. Its mention is the desk's own decision (never user text): the policy's
    `mention = "everyone"` is `<!channel>`, so whoever is in the team channel is notified."""
    text = str(payload.get("text", ""))
    mentions = "<!channel>" if payload.get("mention") == "everyone" else ""
    head = [section(mentions)] if mentions else []
    facts: dict[str, Any] = payload.get("ticket") or {}
    buttons = _team_buttons(payload.get("choices", []), str(facts.get("reference", "")), "closed")
    actions = [{"type": "actions", "block_id": TEAM_BLOCK, "elements": buttons}] if buttons else []
    budget = BLOCK_TEXT_LIMIT - block_text([*head, *actions])
    blocks = [*head, *text_sections(text, budget), *actions]
    fallback = escape_clipped(text, 3900)
    return (f"{mentions} {fallback}" if mentions else fallback), blocks


def timeline_blocks(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    text = str(payload.get("text", ""))
    return escape_clipped(text, 3900) or " ", text_sections(text)


def parse_team_value(value: str) -> tuple[str, str] | None:
    """`team:ack:INT-42` -> (`ack`, `INT-42`)."""
    kind, _, rest = value.partition(":")
    action, _, reference = rest.partition(":")
    if kind != "team" or action not in (*BUTTON_ACTIONS, "reply") or not reference:
        return None
    return action, reference
