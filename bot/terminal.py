"""Text bound for an operator's terminal or spreadsheet, made harmless.

What people type is stored verbatim, control characters included. Printed raw, an ESC sequence
can recolour, retitle or rewrite the operator's terminal, and a CSV cell starting with `=` runs as
a formula in a spreadsheet. These helpers are applied where the text leaves the program.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except newline and tab (which terminals only move the cursor for), DEL, and the C1
# controls (0x9b is CSI on many terminals, the same as ESC [).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1_OR_DEL = re.compile(r"[\x7f-\x9f]")
# OWASP CSV injection: cells a spreadsheet would treat as a formula (or split into one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible(text: str) -> str:
    """`text` with each control character shown as its escape (`\\x1b`), never interpreted."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_safe(text: str) -> str:
    """JSON text whose DEL and C1 characters are `\\u` escapes too (json.dumps escapes only C0
    controls when ensure_ascii is off); the decoded value is unchanged."""
    return _C1_OR_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_cell(value: Any) -> Any:
    """A spreadsheet shows the cell as text: a leading `'` before anything formula-like."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
