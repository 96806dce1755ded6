"""Secrets merchants paste by mistake (API keys, client ids with keys, Bearer tokens and JWTs,
passwords, PEM private keys, card numbers and their CVV), found and replaced by markers such as
`[hidden: API key]` before a text is stored, logged or forwarded.

Every text entering the engine passes `redact` once (handlers/desk.py); attachments' captions and
text files pass it too. What looks like a secret but is what support needs (ClickPesa order
references, request ids, phone numbers, amounts, numbers failing Luhn, hex hashes, UUIDs) is
kept: `tests/redaction_labelled.toml` holds both kinds and `benchmarks/redaction_eval.py`
measures recall and false positives on it.

This module is the API; the detectors are handlers/secret_tokens.py (secrets known by their
shape), handlers/secret_labels.py (by their label), handlers/secret_cards.py (cards and CVVs),
over handlers/secret_shapes.py (the kinds and what a generated value looks like).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from handlers.messages import t, translate
from handlers.secret_cards import cards, labelled_cvv, luhn
from handlers.secret_labels import labelled
from handlers.secret_shapes import (
    API_KEY,
    CARD,
    CLIENT_ID,
    CREDENTIALS,
    CVV,
    KINDS,
    PASSWORD,
    PRIVATE_KEY,
    TOKEN,
    Finding,
)
from handlers.secret_tokens import (
    auth_headers,
    jwts,
    known_keys,
    private_keys,
    random_tokens,
    url_passwords,
)

# The API (kinds and `luhn` are the detectors', named here for callers).
__all__ = [
    "API_KEY", "CARD", "CLIENT_ID", "CREDENTIALS", "CVV", "KINDS", "PASSWORD", "PRIVATE_KEY",
    "TOKEN", "Finding", "Redacted", "find_secrets", "luhn", "marker", "redact",
    "without_secrets",
]  # fmt: skip


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
    yield from private_keys(text)
    yield from url_passwords(text)
    yield from auth_headers(text)
    yield from jwts(text)
    yield from known_keys(text)
    yield from labelled(text)
    yield from cards(text)
    yield from labelled_cvv(text)
    yield from random_tokens(text)
