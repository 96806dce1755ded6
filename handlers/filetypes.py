"""What a file is, from its bytes, and a name for it that is safe to show and store.

Sniffing covers the types merchants send a desk (screenshots, PDFs, logs, office files, short
recordings) by their magic numbers, without libmagic. The sender's name and the platform's MIME
type are claims; the bytes decide.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

from storage.models import Attachment

OCTET = "application/octet-stream"
TEXT = "text/plain"

# (offset, magic, MIME type), most specific first.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"BM", "image/bmp"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"\xff\xf3", "audio/mpeg"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"MZ", "application/x-msdownload"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)

# What an extension promises. Only the families matter: a .jpg holding a PNG is a picture all
# the same; a .pdf holding a program is not what it says.
EXTENSIONS = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
    "txt": TEXT,
    "log": TEXT,
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "md": TEXT,
    "zip": "application/zip",
    "docx": "application/zip",
    "xlsx": "application/zip",
    "pptx": "application/zip",
    "doc": "application/x-ole-storage",
    "xls": "application/x-ole-storage",
    "mp4": "video/mp4",
    "mov": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "m4a": "video/mp4",
    "gz": "application/gzip",
}

_TEXT_FAMILY = {TEXT, "text/csv", "application/json", "application/xml", "text/html"}

MAX_NAME = 120
_UNSAFE = re.compile(r"[\\/:*?\"<>|]")


def sniff(data: bytes) -> str:
    """The MIME type of `data`, from its content alone."""
    for offset, magic, mime in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return "image/heic" if brand in (b"heic", b"heix", b"mif1") else "video/mp4"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "application/zip"
    return _text_type(data)


def _text_type(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        return OCTET
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return OCTET
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            return TEXT
        return "application/json"
    if head == "<" and text.lstrip().lower().startswith(("<?xml", "<html", "<!doctype html")):
        return "text/html" if "html" in text.lstrip()[:15].lower() else "application/xml"
    return TEXT


def is_text(mime: str) -> bool:
    return mime in _TEXT_FAMILY


def family(mime: str) -> str:
    if mime in _TEXT_FAMILY:
        return "text"
    major = mime.split("/", 1)[0]
    if major in ("image", "audio", "video"):
        return major
    return mime


def extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot and _ else ""


def matches_extension(name: str, detected: str) -> bool:
    """Whether the content is what the name's extension says (unknown extensions pass)."""
    promised = EXTENSIONS.get(extension(name))
    # A .jpg holding a PNG is still a picture; a .pdf holding a program is not a PDF.
    return promised is None or family(promised) == family(detected)


def clean_name(name: str, fallback: str = "file") -> str:
    """The sender's file name fit to store and show: the last path segment only, no control or
    invisible characters, no characters file systems forbid, at most MAX_NAME characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in base
    )
    kept = _UNSAFE.sub("_", kept)
    kept = " ".join(kept.split()).strip(" .")
    if not kept:
        return fallback
    if len(kept) > MAX_NAME:
        ext = extension(kept)
        keep = MAX_NAME - (len(ext) + 1 if ext else 0)
        kept = kept[:keep].rstrip() + (f".{ext}" if ext else "")
    return kept


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} B"


def names_of(rows: Sequence[Attachment]) -> str:
    """Files' names for a sentence: "server.log, shot.png"."""
    return ", ".join(row.name for row in rows)
