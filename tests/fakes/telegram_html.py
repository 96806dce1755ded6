"""Telegram's HTML parse mode as the server applies it, strict enough to catch escaping bugs.

Telegram accepts only a few tags and only the entities `&lt; &gt; &amp; &quot;` and numeric ones;
anything else is answered with 400 "can't parse entities". The fake applies the same rules so a
test sees what a Telegram client would render (`text`) and which formatting survived (`entities`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class EntityParseError(ValueError):
    """What Telegram calls "Bad Request: can't parse entities: ..."."""


@dataclass
class Parsed:
    text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> Parsed:
    """The rendered text and entities of `source`, or EntityParseError as Telegram would."""
    out = Parsed()
    stack: list[tuple[str, int, dict[str, Any]]] = []
    offset16 = 0
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "<":
            match = _TAG.match(source, i)
            byte_offset = len(source[:i].encode())
            if match is None:
                raise EntityParseError(f"Unexpected end of name token at byte offset {byte_offset}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in _TAG_TYPES:
                kind = "end" if closing else "start"
                raise EntityParseError(
                    f'Unsupported {kind} tag "{name}" at byte offset {byte_offset}'
                )
            if closing:
                if not stack or stack[-1][0] != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {byte_offset}, expected "</'
                        f'{stack[-1][0] if stack else ""}>", found "</{name}>"'
                    )
                _, start, extra = stack.pop()
                if offset16 > start:
                    entity = {"type": _TAG_TYPES[name], "offset": start}
                    entity["length"] = offset16 - start
                    entity.update(extra)
                    out.entities.append(entity)
            else:
                extra: dict[str, Any] = {}
                if name == "a":
                    href = _HREF.search(attrs)
                    extra["url"] = html.unescape((href.group(1) or href.group(2)) if href else "")
                stack.append((name, offset16, extra))
            i = match.end()
            continue
        if ch == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                # Telegram keeps a bare "&" that cannot start an entity, but rejects "&name;".
                if re.match(r"&[a-zA-Z0-9#]+;", source[i:]):
                    raise EntityParseError(
                        f"Unsupported HTML entity at byte offset {len(source[:i].encode())}"
                    )
                piece = "&"
                i += 1
            else:
                piece = html.unescape(match.group(0))
                i = match.end()
        elif ch == ">":
            piece = ">"
            i += 1
        else:
            piece = ch
            i += 1
        out.text += piece
        offset16 += _utf16_len(piece)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    out.entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out
