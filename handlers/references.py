"""Reading ticket references as people type them: `INT-42`, `int-42`, `#42`, `42`."""

from __future__ import annotations

import re

_REF = re.compile(r"^#?(?:(?P<prefix>[A-Za-z][A-Za-z0-9]*)-)?(?P<number>\d{1,12})$")


def looks_like_reference(text: str) -> bool:
    return bool(_REF.match(text.strip()))


def normalise_reference(text: str, prefix: str) -> str | None:
    """The canonical reference, or None when `text` is not shaped like one.

    A different prefix is kept (and will simply not be found) so the answer names what was typed.
    """
    match = _REF.match(text.strip())
    if not match:
        return None
    given = (match.group("prefix") or prefix).upper()
    return f"{given}-{int(match.group('number'))}"
