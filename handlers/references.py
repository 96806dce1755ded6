"""Reading ticket references as people type them: `INT-42`, `int-42`, `#42`, `42`, and, with the
desk's own prefix, the loose forms people type in a hurry: `INT42`, `int 42`, `int #42`."""

from __future__ import annotations

import re
from collections.abc import Iterable

_REF = re.compile(r"^#?(?:(?P<prefix>[A-Za-z][A-Za-z0-9]*)-)?(?P<number>\d{1,12})$")


def looks_like_reference(text: str) -> bool:
    return bool(_REF.match(text.strip()))


def normalise_reference(text: str, prefix: str) -> str | None:
    """The canonical reference, or None when `text` is not shaped like one.

    A different prefix is kept (and will simply not be found) so the answer names what was typed.
    """
    stripped = tighten(text.strip(), (prefix,))
    match = _REF.match(stripped)
    if not match:
        return None
    given = (match.group("prefix") or prefix).upper()
    return f"{given}-{int(match.group('number'))}"


def _loose(prefixes: Iterable[str]) -> re.Pattern[str] | None:
    known = sorted({p.strip() for p in prefixes if p.strip()}, key=len, reverse=True)
    if not known:
        return None
    # Only the desk's own prefixes: "status of 4 payouts" must not read as reference OF-4.
    names = "|".join(re.escape(p) for p in known)
    return re.compile(
        rf"^#?(?P<prefix>{names})\s*-?\s*#?\s*(?P<number>\d{{1,12}})(?=$|[\s,.:;!?])",
        re.IGNORECASE,
    )


def tighten(text: str, prefixes: Iterable[str]) -> str:
    """`text` with a reference typed loosely at its start (`INT4`, `int 4`, `int #4`, `#INT-4`)
    rewritten as `INT-4`; the rest of `text` is kept as it is. Only `prefixes` are read loosely."""
    stripped = text.lstrip()
    pattern = _loose(prefixes)
    match = pattern.match(stripped) if pattern is not None else None
    if match is None:
        return text
    reference = f"{match.group('prefix').upper()}-{int(match.group('number'))}"
    return reference + stripped[match.end() :]


def split_reference(text: str, prefixes: Iterable[str]) -> tuple[str, str]:
    """The reference word at the start of `text` (tightened) and the rest, stripped."""
    parts = tighten(text, prefixes).strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""
