"""Database URLs fit to log: where the password sits, and the URL with it masked."""

from __future__ import annotations

from urllib.parse import unquote


def _userinfo(url: str) -> tuple[int, int] | None:
    """Where the password of `scheme://user:password@host/...` sits in `url`, if it has one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    netloc = rest.split("/", 1)[0].split("?", 1)[0]
    userinfo, at, _ = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon or not password:
        return None
    start = len(scheme) + len(sep) + len(user) + 1
    return start, start + len(password)


def database_password(url: str) -> str:
    """The password in a database URL ("" if none), for the log filter's list of secrets."""
    span = _userinfo(url)
    return unquote(url[span[0] : span[1]]) if span else ""


def masked(url: str) -> str:
    """`url` fit to print: its password, if any, replaced by `***`."""
    span = _userinfo(url)
    return f"{url[: span[0]]}***{url[span[1] :]}" if span else url
