"""Fault injection for the reliability tests: a process started with `DESKBOT_FAULT=<point>`
kills itself (SIGKILL, as a crash or an OOM kill would) the first time it reaches that point;
`<point>@<n>` waits for the n-th time. Unset, `reach` is one comparison.

Points: `telegram.fetched` (an update fetched from Telegram, nothing done yet; counted per
update), `work.committed` (an update's work and its replies committed, nothing sent yet),
`reply.accepted` (the platform accepted an outbox message, not yet marked sent).
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("DESKBOT_FAULT", "")
_POINT, _, _NTH = _SPEC.partition("@")
_remaining = int(_NTH) if _NTH.isdigit() else 1


def reach(point: str) -> None:
    global _remaining
    if not _POINT or point != _POINT:
        return
    _remaining -= 1
    if _remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
