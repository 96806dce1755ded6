"""Secrets known by their label: the value after `api-key:`, `"client_secret": "..."`, `my
password is ...`, `nenosiri ni ...`, unless it is a placeholder or a word about the value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from handlers.secret_shapes import API_KEY, CLIENT_ID, PASSWORD, TOKEN, Finding, credential_like

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
# Any label, each kind's in a group named after the kind (built once, used by every pattern).
_LABEL = (
    r"(?<![A-Za-z0-9])(?P<label>"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _LABELS.items())
    + ")"
)
# `label: value`, `label=value`, `"label": "value"`, `-H 'label: value'`.
_ASSIGNED = re.compile(
    _LABEL + r"[\"']?[ \t]*(?:[:=]|=>|->)[ \t]*[\"'`]?" + _VALUE,
    re.IGNORECASE,
)
# `my api key is ...`, `password ni ...`, `apikey ...`: the value must look like a secret.
_SAID = re.compile(
    _LABEL
    + r"(?:[ \t]+(?:is|was|ni|ilikuwa|yangu|yetu|wangu|wetu|ya|la|:))*[ \t]+[\"'`]?"
    + _VALUE,
    re.IGNORECASE,
)
# `password for the dashboard is ...`, `nenosiri la dashboard ni ...`: a few words, then "is".
_SAID_LATER = re.compile(
    _LABEL
    + r"(?:[ \t]+[^\s:=]{1,20}){1,4}?[ \t]+(?:is|was|ni|ilikuwa|ulikuwa)[ \t]*:?[ \t]+[\"'`]?"
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


def labelled(text: str) -> Iterator[Finding]:
    for pattern, assigned in ((_ASSIGNED, True), (_SAID, False), (_SAID_LATER, False)):
        for match in pattern.finditer(text):
            kind = next(k for k in _LABELS if match.group(k) is not None)
            value = match.group("value")
            if match.start() > 0 and text[match.start() - 1] in "?&":
                # A URL's query parameter (`?token=...&order=ORD1`) ends at the next one.
                value = re.split(r"[&#]", value, maxsplit=1)[0]
            value = value.rstrip(".:!?")
            if not value or not _labelled_value(kind, value, assigned):
                continue
            start = match.start("value")
            yield Finding(start, start + len(value), kind)


def _labelled_value(kind: str, value: str, assigned: bool) -> bool:
    if value.lower() in _NOT_VALUES or _PLACEHOLDER.match(value) or _is_marker_word(value):
        return False
    if kind == PASSWORD:
        # After `password:` anything is the password; in a sentence, only what is not a word.
        return len(value) >= 4 if assigned else credential_like(value, minimum=6)
    if kind == TOKEN and not assigned:
        # "token expired", "token generation failed": only a real token's shape counts.
        return credential_like(value, minimum=16)
    return credential_like(value, minimum=8 if assigned else 12)


def _is_marker_word(value: str) -> bool:
    return value.startswith("[")
