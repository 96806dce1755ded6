"""What secrets look like, shared by the detectors (handlers/secret_*.py): the kinds, a finding,
whether a value is credential-like or random-looking (generated rather than a word or an id),
and the words that make a number an identifier."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

# Kinds, in the order a notice lists them.
API_KEY = "api_key"
CLIENT_ID = "client_id"
PASSWORD = "password"
TOKEN = "token"
PRIVATE_KEY = "private_key"
CARD = "card"
CVV = "cvv"
KINDS = (API_KEY, CLIENT_ID, PASSWORD, TOKEN, PRIVATE_KEY, CARD, CVV)
# Kinds that grant access: once sent in a chat they must be replaced (rotated).
CREDENTIALS = frozenset({API_KEY, CLIENT_ID, PASSWORD, TOKEN, PRIVATE_KEY})


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    kind: str


# Words before a number that make it an identifier (kept) rather than a card.
ID_CONTEXT = re.compile(
    r"(?i)\b(?:order|ref|reference|request|transaction|txn|trx|receipt|invoice|id|no|number|"
    r"control|kumbukumbu|muamala|risiti|ankara|oda|simu|phone|tel|namba)\W{0,3}(?:\w+\W{1,3}){0,2}$"
)


def id_before(text: str, start: int) -> bool:
    line = text[max(0, start - 40) : start].rsplit("\n", 1)[-1]
    return bool(ID_CONTEXT.search(line))


# Hashes and UUIDs: identifiers, never taken for generated secrets.
_HEX_OR_UUID = re.compile(r"[0-9a-fA-F-]+")


def char_classes(value: str) -> set[str]:
    return {
        "lower" if c.islower() else "upper" if c.isupper() else "digit" if c.isdigit() else "other"
        for c in value
    }


def credential_like(value: str, minimum: int = 8) -> bool:
    """A value after a label that is not an ordinary word: mixed letters and digits or
    symbols, or long enough to be a generated string."""
    if len(value) < minimum:
        return False
    classes = char_classes(value)
    return len(classes) >= 2 or len(value) >= 24


def random_looking(token: str) -> bool:
    """A generated secret rather than an identifier or a word: upper, lower and digits mixed
    all along (not camelCase words), not hex (hashes, UUIDs: kept as ids)."""
    core = token.rstrip("=")
    if len(core) < 20 or _HEX_OR_UUID.fullmatch(core):
        return False
    classes = char_classes(core)
    if not {"lower", "upper", "digit"} <= classes:
        return False
    switches = sum(1 for a, b in itertools.pairwise(core) if _class(a) != _class(b)) / (
        len(core) - 1
    )
    return switches >= 0.3 and _entropy(core) >= 3.5


def _class(char: str) -> str:
    if char.islower():
        return "l"
    if char.isupper():
        return "u"
    return "d" if char.isdigit() else "o"


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
