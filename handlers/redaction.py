"""Secrets merchants paste by mistake (API keys, client ids with keys, Bearer tokens and JWTs,
passwords, PEM private keys, card numbers and their CVV), found and replaced by markers such as
`[hidden: API key]` before a text is stored, logged or forwarded.

Every text entering the engine passes `redact` once (handlers/desk.py); attachments' captions and
text files pass it too. What looks like a secret but is what support needs (ClickPesa order
references, request ids, phone numbers, amounts, numbers failing Luhn, hex hashes, UUIDs) is
kept: `tests/redaction_labelled.toml` holds both kinds and `benchmarks/redaction_eval.py`
measures recall and false positives on it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from handlers.messages import t, translate

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


@dataclass(frozen=True, slots=True)
class Redacted:
    """A text with its secrets replaced; `kinds` lists what was hidden (each kind once)."""

    text: str
    kinds: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def marker(kind: str, language: str | None = None) -> str:
    """`[hidden: API key]` in `language` (the current turn's when None)."""
    if language is None:
        return t("redaction.marker", what=t(f"redaction.kind.{kind}"))
    what = translate(language, f"redaction.kind.{kind}")
    return translate(language, "redaction.marker").format(what=what)


def redact(
    text: str, language: str | None = None, findings: list[Finding] | None = None
) -> Redacted:
    """`text` with every secret found replaced by its marker (in `language`, else the current
    turn's language). `findings`: `find_secrets(text)`, when the caller has them already."""
    if findings is None:
        findings = find_secrets(text)
    if not findings:
        return Redacted(text)
    parts, kinds, position = [], [], 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(marker(finding.kind, language))
        if finding.kind not in kinds:
            kinds.append(finding.kind)
        position = finding.end
    parts.append(text[position:])
    ordered = tuple(k for k in KINDS if k in kinds)
    return Redacted("".join(parts), ordered)


def without_secrets(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with its secrets cut out, no marker left (to detect a language on)."""
    if findings is None:
        findings = find_secrets(text)
    if not findings:
        return text
    parts, position = [], 0
    for finding in findings:
        parts.append(text[position : finding.start])
        position = finding.end
    parts.append(text[position:])
    return " ".join(parts)


def find_secrets(text: str) -> list[Finding]:
    """The secrets in `text`, sorted, overlaps merged (the earlier finding's kind wins)."""
    if len(text) < 3:
        return []
    found = sorted(_all_findings(text), key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for finding in found:
        if merged and finding.start < merged[-1].end:
            last = merged[-1]
            if finding.end > last.end:
                merged[-1] = Finding(last.start, finding.end, last.kind)
            continue
        merged.append(finding)
    return merged


def _all_findings(text: str) -> Iterator[Finding]:
    yield from _private_keys(text)
    yield from _url_passwords(text)
    yield from _auth_headers(text)
    for match in _JWT.finditer(text):
        yield Finding(match.start(), match.end(), TOKEN)
    for match in _KNOWN_PREFIX.finditer(text):
        yield Finding(match.start(), match.end(), API_KEY)
    yield from _labelled(text)
    yield from _cards(text)
    yield from _labelled_cvv(text)
    yield from _random_tokens(text)


# PEM private keys -------------------------------------------------------------------------------
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY-----")
_PEM_BODY_LINE = re.compile(r"[ \t]*[A-Za-z0-9+/=:, -]*[ \t]*")


def _private_keys(text: str) -> Iterator[Finding]:
    for begin in _PEM_BEGIN.finditer(text):
        end = _PEM_END.search(text, begin.end())
        if end is not None:
            yield Finding(begin.start(), end.end(), PRIVATE_KEY)
            continue
        # A key cut off (a message limit, a partial paste): everything that still looks like
        # its body goes, line by line.
        position = begin.end()
        while position < len(text) and text[position] == "\n":
            line_end = text.find("\n", position + 1)
            line_end = len(text) if line_end < 0 else line_end
            line = text[position + 1 : line_end]
            if not line.strip() or not _PEM_BODY_LINE.fullmatch(line):
                break
            position = line_end
        yield Finding(begin.start(), position, PRIVATE_KEY)


# Authorization headers, JWTs, well-known key shapes -----------------------------------------------
_AUTH = re.compile(
    r"\b(?P<scheme>bearer|basic)(?:[ \t]+bearer){0,2}+[ \t]*[:=]?[ \t]*"
    r"(?P<value>[A-Za-z0-9\-._~+/]{8,}=*)",
    re.IGNORECASE,
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*")
_KNOWN_PREFIX = re.compile(
    r"\b(?:"
    r"(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{12,}"  # Stripe-style keys
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack tokens
    r"|gh[pousr]_[A-Za-z0-9]{30,}"  # GitHub tokens
    r"|AKIA[0-9A-Z]{16}"  # AWS access key ids
    r"|AIza[0-9A-Za-z_-]{35}"  # Google API keys
    r"|\d{8,10}:AA[A-Za-z0-9_-]{33}"  # Telegram bot tokens
    r")(?![A-Za-z0-9_-])"
)


def _auth_headers(text: str) -> Iterator[Finding]:
    for match in _AUTH.finditer(text):
        value = match.group("value")
        if value.lower() in ("bearer", "token") or not _credential_like(value):
            continue
        yield Finding(match.start("value"), match.end("value"), TOKEN)


def _url_passwords(text: str) -> Iterator[Finding]:
    for match in _URL_PASSWORD.finditer(text):
        yield Finding(match.start("password"), match.end("password"), PASSWORD)


_URL_PASSWORD = re.compile(
    r"\b[a-z][a-z0-9+.-]{0,30}://[^\s:/@]{1,200}:(?P<password>[^\s@/]{1,200})@"
)


# Values after a label: `api-key: ...`, `"client_secret": "..."`, `password ni ...` ---------------
_LABELS = {
    API_KEY: (
        r"(?:x[-_ ]?)?api[-_ ]?key|apikey|api[-_ ]?secret|client[-_ ]?secret|secret[-_ ]?key"
        r"|checksum[-_ ]?key|secret|ufunguo(?:[ \t]+wa[ \t]+(?:api|siri))?"
    ),
    CLIENT_ID: r"client[-_ ]?id",
    PASSWORD: r"password|passwd|pwd|passcode|nenosiri|neno[ \t]+la[ \t]+siri",
    TOKEN: r"(?:access|auth|refresh|api|bearer)[-_ ]?token|token",
}
_VALUE = r"(?P<value>[^\s\"'`,;<>{}()\[\]]+)"
# `label: value`, `label=value`, `"label": "value"`, `-H 'label: value'`.
_ASSIGNED = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _LABELS.items())
    + r")[\"']?[ \t]*(?:[:=]|=>|->)[ \t]*[\"'`]?"
    + _VALUE,
    re.IGNORECASE,
)
# `my api key is ...`, `password ni ...`, `apikey ...`: the value must look like a secret.
_SAID = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _LABELS.items())
    + r")(?:[ \t]+(?:is|was|ni|ilikuwa|yangu|yetu|wangu|wetu|ya|la|:))*[ \t]+[\"'`]?"
    + _VALUE,
    re.IGNORECASE,
)
# `password for the dashboard is ...`, `nenosiri la dashboard ni ...`: a few words, then "is".
_SAID_LATER = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _LABELS.items())
    + r")(?:[ \t]+[^\s:=]{1,20}){1,4}?[ \t]+(?:is|was|ni|ilikuwa|ulikuwa)[ \t]*:?[ \t]+[\"'`]?"
    + _VALUE,
    re.IGNORECASE,
)
# What people write after a label that is not a value (`api-key: missing`).
_NOT_VALUES = frozenset(
    {
        "required",
        "missing",
        "invalid",
        "incorrect",
        "wrong",
        "expired",
        "empty",
        "none",
        "null",
        "undefined",
        "true",
        "false",
        "hidden",
        "redacted",
        "header",
        "haipo",
        "batili",
        "sio",
        "si",
    }
)
_PLACEHOLDER = re.compile(r"(?i)^(?:x+|\*+|\.+|your[-_]?\w*|<.*>|\{.*\}|\$\{?\w+\}?|%\w+%)$")


def _labelled(text: str) -> Iterator[Finding]:
    for pattern, assigned in ((_ASSIGNED, True), (_SAID, False), (_SAID_LATER, False)):
        for match in pattern.finditer(text):
            kind = next(k for k in _LABELS if match.group(k) is not None)
            value = match.group("value").rstrip(".:!?")
            if not value or not _labelled_value(kind, value, assigned):
                continue
            start = match.start("value")
            yield Finding(start, start + len(value), kind)


def _labelled_value(kind: str, value: str, assigned: bool) -> bool:
    if value.lower() in _NOT_VALUES or _PLACEHOLDER.match(value) or _is_marker_word(value):
        return False
    if kind == PASSWORD:
        # After `password:` anything is the password; in a sentence, only what is not a word.
        return len(value) >= 4 if assigned else _credential_like(value, minimum=6)
    if kind == TOKEN and not assigned:
        # "token expired", "token generation failed": only a real token's shape counts.
        return _credential_like(value, minimum=16)
    return _credential_like(value, minimum=8 if assigned else 12)


def _is_marker_word(value: str) -> bool:
    return value.startswith("[")


# Cards and CVV -----------------------------------------------------------------------------------
_CARD = re.compile(
    r"(?<![\w.,/+-])\d{2,19}(?:(?P<sep>[ -])\d{2,6}(?:(?P=sep)\d{2,6}){0,7})?(?![\w/]|[.,]\d)"
)
_CVV_LABEL = re.compile(
    r"(?<![A-Za-z])(?:cvv2?|cvc2?|cid|csc|security[ \t]+code|card[ \t]+code)"
    r"[ \t]*(?:is|ni|no\.?|[:=#-])?[ \t]*(?P<cvv>\d{3,4})(?!\d)",
    re.IGNORECASE,
)
# After a card: an optional expiry, then a lone 3-4 digit group is its CVV.
_CVV_AFTER = re.compile(
    r"[ \t,;/]*(?:(?:exp(?:iry)?|expires?|valid)?[ \t:]*(?:0[1-9]|1[0-2])[ \t]*/[ \t]*\d{2,4}"
    r"[ \t,;]*)?(?P<cvv>\d{3,4})(?![\d/])",
    re.IGNORECASE,
)
# Words before a number that make it an identifier (kept) rather than a card.
_ID_CONTEXT = re.compile(
    r"(?i)\b(?:order|ref|reference|request|transaction|txn|trx|receipt|invoice|id|no|number|"
    r"control|kumbukumbu|muamala|risiti|ankara|oda|simu|phone|tel|namba)\W{0,3}(?:\w+\W{1,3}){0,2}$"
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


def _cards(text: str) -> Iterator[Finding]:
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
    return bool(_ID_CONTEXT.search(line)) and not _CARD_CONTEXT.search(line)


def _labelled_cvv(text: str) -> Iterator[Finding]:
    for match in _CVV_LABEL.finditer(text):
        yield Finding(match.start("cvv"), match.end("cvv"), CVV)


# Long random-looking tokens ----------------------------------------------------------------------
_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-+/=.@])[A-Za-z0-9_\-+/]{20,}={0,2}(?![A-Za-z0-9_\-+/=@])")
_HEX_OR_UUID = re.compile(r"[0-9a-fA-F-]+")
_PATH_WORD = re.compile(r"[a-z][a-z-]{3,}")


def _random_tokens(text: str) -> Iterator[Finding]:
    for match in _TOKEN.finditer(text):
        token = match.group()
        if "/" in token and (token.startswith("/") or _has_path_word(token)):
            # An endpoint path (`/third-parties/payments/ORD...`): its segments stand alone.
            offset = match.start()
            for segment in token.split("/"):
                if len(segment) >= 20 and _random_looking(segment) and not _id_before(text, offset):
                    yield Finding(offset, offset + len(segment), API_KEY)
                offset += len(segment) + 1
            continue
        if _random_looking(token) and not _id_before(text, match.start()):
            yield Finding(match.start(), match.end(), API_KEY)


def _has_path_word(token: str) -> bool:
    return any(_PATH_WORD.fullmatch(segment) for segment in token.split("/"))


def _id_before(text: str, start: int) -> bool:
    line = text[max(0, start - 40) : start].rsplit("\n", 1)[-1]
    return bool(_ID_CONTEXT.search(line))


def _classes(value: str) -> set[str]:
    return {
        "lower" if c.islower() else "upper" if c.isupper() else "digit" if c.isdigit() else "other"
        for c in value
    }


def _credential_like(value: str, minimum: int = 8) -> bool:
    """A value after a label that is not an ordinary word: mixed letters and digits or
    symbols, or long enough to be a generated string."""
    if len(value) < minimum:
        return False
    classes = _classes(value)
    return len(classes) >= 2 or len(value) >= 24


def _random_looking(token: str) -> bool:
    """A generated secret rather than an identifier or a word: upper, lower and digits mixed
    all along (not camelCase words), not hex (hashes, UUIDs: kept as ids)."""
    core = token.rstrip("=")
    if len(core) < 20 or _HEX_OR_UUID.fullmatch(core):
        return False
    classes = _classes(core)
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
