"""The Block Kit limits Slack enforces, with the errors it answers, so a test fails where Slack
would refuse the message.

Documented: at most 50 blocks in a message; a section's text at most 3,000 characters; a
header's 150; a button's text 75 and value 2,000; 25 elements in an actions block; 10 in a
context block. Undocumented but observed (slackapi/bolt-js #2509, #2867): Slack refuses a
message whose blocks carry more than about 12,000 characters of text with
`msg_blocks_too_long`.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_BLOCK_TEXT = 12_000
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10


def _texts(value: Any) -> list[str]:
    """Every `text` string inside a block, however deeply nested."""
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                found.append(item)
            else:
                found += _texts(item)
        return found
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _block_problem(block: dict[str, Any]) -> bool:
    kind = block.get("type")
    if kind == "section":
        text = (block.get("text") or {}).get("text", "")
        return not text or len(text) > SECTION_TEXT
    if kind == "header":
        return len((block.get("text") or {}).get("text", "")) > HEADER_TEXT
    if kind == "context":
        return not 1 <= len(block.get("elements") or []) <= CONTEXT_ELEMENTS
    if kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            return True
        return any(
            len((e.get("text") or {}).get("text", "")) > BUTTON_TEXT
            or len(str(e.get("value", ""))) > BUTTON_VALUE
            for e in elements
        )
    return False


def blocks_error(blocks: Any) -> str | None:
    """Slack's error for these blocks, or None when Slack would accept them."""
    if not blocks:
        return None
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    if any(not isinstance(b, dict) or _block_problem(b) for b in blocks):
        return "invalid_blocks"
    if sum(len(text) for text in _texts(blocks)) > MAX_BLOCK_TEXT:
        return "msg_blocks_too_long"
    return None
