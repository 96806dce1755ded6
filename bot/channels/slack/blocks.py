"""Block Kit for the engine's messages: text sections, choice buttons, and pressed choices.

Every string that may hold user content is escaped for mrkdwn here, at the last moment; the engine
hands plain text. A message's top-level `text` (the notification and fallback) is parsed as mrkdwn
by Slack too, so it is escaped the same way.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.events import Choice, Message
from handlers.messages import t

from .mrkdwn import clip, escape, escape_clipped

Block = dict[str, Any]

CHOICE_BLOCK = "desk_choices"
CHOICE_HELP_BLOCK = "desk_choice_help"
CHOICE_ACTION = re.compile(r"^desk_choice_\d+$")

SECTION_LIMIT = 3000
# Slack refuses a message whose blocks hold more than about 12,000 characters of text
# (msg_blocks_too_long, slackapi/bolt-js #2509 and #2867); the rest of a message (header, buttons,
# the "shortened" pointer) stays well inside the margin.
BLOCK_TEXT_LIMIT = 11_500
FALLBACK_LIMIT = 3900
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
MAX_BUTTONS = 25


def section(mrkdwn: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(mrkdwn: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}
    if block_id:
        block["block_id"] = block_id
    return block


def plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping, only clipping.
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_LIMIT),
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style:
        element["style"] = style
    return element


def block_text(blocks: list[Block]) -> int:
    """The characters of text in `blocks`, as Slack counts them against its total."""

    def count(value: Any) -> int:
        if isinstance(value, dict):
            return sum(
                len(v) if k == "text" and isinstance(v, str) else count(v) for k, v in value.items()
            )
        if isinstance(value, list):
            return sum(count(item) for item in value)
        return 0

    return count(blocks)


def _shown_part(text: str, budget: int) -> str:
    """The longest prefix of `text` whose escaped form fits `budget`, cut at a line break or a
    space when one is near."""
    if len(escape(text)) <= budget:
        return text
    keep = min(len(text), budget)
    while keep > 0 and len(escape(text[:keep])) > budget:
        keep -= max(1, (len(escape(text[:keep])) - budget) // 5)
    window = text[:keep]
    for separator in ("\n", " "):
        at = window.rfind(separator)
        if at > keep // 2:
            return window[:at]
    return window


def text_sections(text: str, budget: int = BLOCK_TEXT_LIMIT) -> list[Block]:
    """Plain text as mrkdwn sections, split on paragraphs to respect the 3000-character limit.
    Text past `budget` characters (escaped) is left out and a pointer says how much."""
    shown = _shown_part(text, budget)
    blocks = _sections(shown)
    if len(shown) < len(text):
        hidden = len(text) - len(shown)
        blocks.append(context(escape(t("slack.shortened", hidden=hidden))))
    return blocks


def _sections(text: str) -> list[Block]:
    blocks: list[Block] = []
    current = ""
    for paragraph in escape(text).split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= SECTION_LIMIT:
            current = candidate
            continue
        if current:
            blocks.append(section(current))
        while len(paragraph) > SECTION_LIMIT:
            cut = paragraph.rfind("\n", 0, SECTION_LIMIT)
            cut = cut if cut > 0 else paragraph.rfind(" ", 0, SECTION_LIMIT)
            cut = cut if cut > 0 else SECTION_LIMIT
            # Never cut inside an entity such as &amp;
            amp = paragraph.rfind("&", max(0, cut - 5), cut)
            cut = amp if amp > 0 and ";" not in paragraph[amp:cut] else cut
            blocks.append(section(paragraph[:cut]))
            paragraph = paragraph[cut:].lstrip()
        current = paragraph
    if current or not blocks:
        blocks.append(section(current or " "))
    return blocks


def choice_blocks(choices: tuple[Choice, ...]) -> list[Block]:
    blocks: list[Block] = []
    described = [c for c in choices if c.description]
    if described:
        lines = [f"*{escape(c.label)}*: {escape(c.description)}" for c in described]
        blocks.append(context("\n".join(lines), CHOICE_HELP_BLOCK))
    blocks.append(
        {
            "type": "actions",
            "block_id": CHOICE_BLOCK,
            "elements": [
                button(c.label, f"desk_choice_{i}", c.value)
                for i, c in enumerate(choices[:MAX_BUTTONS])
            ],
        }
    )
    return blocks


def render(message: Message) -> tuple[str, list[Block]]:
    """The `text` and `blocks` arguments of chat.postMessage for one engine message."""
    choices = choice_blocks(message.choices) if message.choices else []
    blocks = text_sections(message.text, BLOCK_TEXT_LIMIT - block_text(choices)) + choices
    return escape_clipped(message.text, FALLBACK_LIMIT) or " ", blocks


def _is_choice_block(block: Block) -> bool:
    block_id = str(block.get("block_id", ""))
    return block_id == CHOICE_BLOCK or block_id.startswith(CHOICE_BLOCK + ":")


def owned(blocks: list[Block], owner: str) -> list[Block]:
    """`blocks` with the choice buttons marked as `owner`'s: in a channel others can see them,
    but only the person they were offered to may press them (see `owner_of`)."""
    for block in blocks:
        if _is_choice_block(block):
            block["block_id"] = f"{CHOICE_BLOCK}:{owner}"
    return blocks


def owner_of(block_id: str) -> str | None:
    """Whose choice a pressed button's block is (None for buttons without an owner)."""
    prefix, sep, owner = block_id.partition(":")
    return owner if prefix == CHOICE_BLOCK and sep and owner else None


def label_of(blocks: list[Block], value: str) -> str:
    """The label of the pressed button, read back from the message that carried it."""
    for block in blocks:
        if _is_choice_block(block):
            for element in block.get("elements", []):
                if element.get("value") == value:
                    return str(element.get("text", {}).get("text", value))
    return value


def without_choices(blocks: list[Block], label: str) -> list[Block]:
    """The message after a press: buttons gone (it cannot be pressed twice), the choice shown."""
    kept = [b for b in blocks if not _is_choice_block(b) and b.get("block_id") != CHOICE_HELP_BLOCK]
    return [*kept, context(f"✓ {escape(label)}")]
