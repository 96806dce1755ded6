"""Escaping user text for Slack's mrkdwn.

Slack reads `<...>` as control sequences (`<!channel>`, `<!here>`, `<@U123>`, `<https://x|label>`)
and `&` as the start of an entity. Escaping exactly these three characters, as Slack's own docs ask,
turns any such sequence a merchant types into inert text: nobody is pinged, no link is disguised.
"""

from __future__ import annotations

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """User-supplied text made safe for any mrkdwn field (and a message's top-level `text`)."""
    return text.translate(_ESCAPES)


def clip(text: str, limit: int) -> str:
    """Shorten plain text to one of Slack's field limits (they count characters)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_clipped(text: str, limit: int) -> str:
    """Escape, then fit `limit` without cutting an `&amp;`-style entity in half."""
    escaped = escape(text)
    keep = len(text)
    while len(escaped) > limit and keep > 0:
        keep = max(0, keep - (len(escaped) - limit) // 5 - 1)
        escaped = escape(text[:keep]) + "…"
    return escaped


def clip_escaped(escaped: str, limit: int) -> str:
    """Fit text that is already mrkdwn (as Slack echoes a message back) into `limit`, without
    escaping it again and without cutting an `&amp;`-style entity in half."""
    if len(escaped) <= limit:
        return escaped
    cut = limit - 1
    amp = escaped.rfind("&", max(0, cut - 5), cut)
    if amp >= 0 and ";" not in escaped[amp:cut]:
        cut = amp
    return escaped[:cut] + "…"


def mention(user_id: str) -> str:
    """A user mention. Only ever built from ids Slack gave us, never from user text."""
    return f"<@{user_id}>"
