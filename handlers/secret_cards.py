"""Card numbers (13-19 digits passing Luhn, grouped by spaces or dashes, not an identifier by
the words before them) and CVVs (after a card, or labelled)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from handlers.secret_shapes import CARD, CVV, ID_CONTEXT, Finding

# Cards and CVV -----------------------------------------------------------------------------------
_CARD = re.compile(
    r"(?<![\w.,/+-])\d{2,19}(?:(?P<sep>[ -])\d{2,6}(?:(?P=sep)\d{2,6}){0,7})?(?![\w/]|[.,]\d)"
)
_CVV_LABEL = re.compile(
    r"(?<![A-Za-z])(?:cvv2?|cvc2?|cid|csc|security[ \t]+code|card[ \t]+code)"
    r"[\"']?[ \t]*(?:is|ni|no\.?|[:=#-])?[ \t]*[\"']?(?P<cvv>\d{3,4})(?!\d)",
    re.IGNORECASE,
)
# After a card: an optional expiry, then a lone 3-4 digit group is its CVV.
_CVV_AFTER = re.compile(
    r"[ \t,;/]*(?:(?:exp(?:iry)?|expires?|valid)?[ \t:]*(?:0[1-9]|1[0-2])[ \t]*/[ \t]*\d{2,4}"
    r"[ \t,;]*)?(?P<cvv>\d{3,4})(?![\d/])",
    re.IGNORECASE,
)
_CARD_CONTEXT = re.compile(r"(?i)\b(?:card|kadi|visa|master\s*card|pan|unionpay|amex)\b")


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def cards(text: str) -> Iterator[Finding]:
    for match in _CARD.finditer(text):
        groups = re.split(r"[ -]", match.group())
        # Trailing groups may be an expiry or a CVV written after the number: try shorter.
        while groups:
            digits = "".join(groups)
            if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn(digits):
                break
            groups = groups[:-1]
        if not groups:
            continue
        start = match.start()
        end = start + len(" ".join(groups))
        if _looks_like_identifier(text, start):
            continue
        yield Finding(start, end, CARD)
        after = _CVV_AFTER.match(text, end)
        if after is not None:
            yield Finding(after.start("cvv"), after.end("cvv"), CVV)


def _looks_like_identifier(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    line = before.rsplit("\n", 1)[-1]
    return bool(ID_CONTEXT.search(line)) and not _CARD_CONTEXT.search(line)


def labelled_cvv(text: str) -> Iterator[Finding]:
    for match in _CVV_LABEL.finditer(text):
        yield Finding(match.start("cvv"), match.end("cvv"), CVV)
