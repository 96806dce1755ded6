"""Secrets known by their shape: PEM private keys (whole or cut off), Authorization headers,
JWTs, well-known key prefixes, passwords in URLs, and long random-looking tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator

from handlers.secret_shapes import (
    API_KEY,
    PASSWORD,
    PRIVATE_KEY,
    TOKEN,
    Finding,
    credential_like,
    id_before,
    random_looking,
)

# PEM private keys -------------------------------------------------------------------------------
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY-----")
_PEM_BODY_LINE = re.compile(r"[ \t]*[A-Za-z0-9+/=:, -]*[ \t]*")


def private_keys(text: str) -> Iterator[Finding]:
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


def jwts(text: str) -> Iterator[Finding]:
    for match in _JWT.finditer(text):
        yield Finding(match.start(), match.end(), TOKEN)


def known_keys(text: str) -> Iterator[Finding]:
    for match in _KNOWN_PREFIX.finditer(text):
        yield Finding(match.start(), match.end(), API_KEY)


def auth_headers(text: str) -> Iterator[Finding]:
    for match in _AUTH.finditer(text):
        value = match.group("value")
        if value.lower() in ("bearer", "token") or not credential_like(value):
            continue
        yield Finding(match.start("value"), match.end("value"), TOKEN)


def url_passwords(text: str) -> Iterator[Finding]:
    for match in _URL_PASSWORD.finditer(text):
        yield Finding(match.start("password"), match.end("password"), PASSWORD)


_URL_PASSWORD = re.compile(
    r"\b[a-z][a-z0-9+.-]{0,30}://[^\s:/@]{0,200}:(?P<password>[^\s@/]{1,200})@"
)


# Long random-looking tokens ----------------------------------------------------------------------
_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-+/=.@])[A-Za-z0-9_\-+/]{20,}={0,2}(?![A-Za-z0-9_\-+/=@])")
_PATH_WORD = re.compile(r"[a-z][a-z-]{3,}")


def random_tokens(text: str) -> Iterator[Finding]:
    for match in _TOKEN.finditer(text):
        token = match.group()
        if "/" in token and (token.startswith("/") or _has_path_word(token)):
            # An endpoint path (`/third-parties/payments/ORD...`): its segments stand alone.
            offset = match.start()
            for segment in token.split("/"):
                if len(segment) >= 20 and random_looking(segment) and not id_before(text, offset):
                    yield Finding(offset, offset + len(segment), API_KEY)
                offset += len(segment) + 1
            continue
        if random_looking(token) and not id_before(text, match.start()):
            yield Finding(match.start(), match.end(), API_KEY)


def _has_path_word(token: str) -> bool:
    return any(_PATH_WORD.fullmatch(segment) for segment in token.split("/"))
