"""Reading knowledge-base Markdown into entries, and checking it (format in kb/README.md).

One parser serves both jobs: `parse_text` returns the entries it could read and the problems it
found, so `deskbot kb check` reports every problem at once while loading refuses broken files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REQUIRED_KEYS = ("id", "keywords", "source")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
META_LINE = re.compile(r"^([A-Za-z_-]+):\s*(.*)$")
_LIST_ITEM = re.compile(r"^(?:[-*•]|\d+[.)])\s")
SKIPPED_FILES = frozenset({"readme.md"})
# The untagged title and answer are English; other languages follow under `### [sw] Title`.
BASE_LANGUAGE = "en"
LANGUAGE_HEADING = re.compile(r"^###\s+\[([A-Za-z]{2,3})\]\s*(.*)$")
LANGUAGE_NAMES = {"en": "English", "sw": "Swahili"}


def language_code(language: str | None) -> str:
    """ "sw", "SW", "sw-TZ" and "sw_TZ" all name Swahili: the primary subtag, lower case."""
    return re.split(r"[-_]", (language or "").strip(), maxsplit=1)[0].lower()


@dataclass(frozen=True, slots=True)
class Translation:
    """An entry's title and answer in one language."""

    language: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One answer: `body` is the answer text shown to the user, verbatim from the file."""

    id: str
    title: str
    keywords: tuple[str, ...]
    body: str
    source: str
    file: str = ""
    line: int = 0
    translations: tuple[Translation, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        return (BASE_LANGUAGE, *(t.language for t in self.translations))

    def in_language(self, language: str | None) -> Translation:
        """The title and answer in `language` ("sw", "sw-TZ"...), English when there is none."""
        code = language_code(language)
        for translation in self.translations:
            if translation.language == code:
                return translation
        return Translation(BASE_LANGUAGE, self.title, self.body)


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded; `problems` lists every reason, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def kb_files(path: Path) -> list[Path]:
    """The Markdown files a knowledge-base path stands for: the file itself, or a folder's *.md."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            p for p in path.glob("*.md") if p.is_file() and p.name.lower() not in SKIPPED_FILES
        )
    return []


def parse_text(text: str, file: str = "") -> tuple[list[Entry], list[str]]:
    """Parse one file's text. Returns the well-formed entries and the problems found."""
    entries: list[Entry] = []
    problems: list[str] = []
    lines = text.splitlines()
    fenced = _fenced_lines(lines)
    starts = [i for i, line in enumerate(lines) if line.startswith("## ") and i not in fenced]
    for i, line in enumerate(lines):
        if i in fenced:
            continue
        if line.startswith("# ") and starts and i > starts[0]:
            problems.append(f"{file}:{i + 1}: a '# ' title after the first entry; use '## '")
        elif line.startswith("##") and not line.startswith(("## ", "###")):
            problems.append(f"{file}:{i + 1}: heading needs a space after '##': {line!r}")
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        entry, entry_problems = _parse_entry(lines[start:end], file, start + 1)
        problems.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    if not starts:
        problems.append(f"{file}: no entries (an entry starts with a '## ' heading)")
    return entries, problems


def _fenced_lines(lines: list[str]) -> set[int]:
    """Line numbers inside ``` code fences: a '#' there is code, not a heading."""
    fenced: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            inside = not inside
            fenced.add(i)
        elif inside:
            fenced.add(i)
    return fenced


def _parse_entry(block: list[str], file: str, line_no: int) -> tuple[Entry | None, list[str]]:
    where = f"{file}:{line_no}"
    problems: list[str] = []
    title = block[0][3:].strip()
    if not title:
        problems.append(f"{where}: entry heading has no title")
    meta: dict[str, str] = {}
    body_start = len(block)
    for offset, line in enumerate(block[1:], start=1):
        if not line.strip():
            body_start = offset + 1
            break
        match = META_LINE.match(line.strip())
        if match is None:
            problems.append(
                f"{file}:{line_no + offset}: expected 'key: value' metadata under the heading,"
                f" then a blank line before the answer; got {line.strip()!r}"
            )
            body_start = offset
            break
        key = match.group(1).lower()
        if key in meta:
            problems.append(f"{file}:{line_no + offset}: '{key}' given twice")
        elif key not in REQUIRED_KEYS:
            problems.append(f"{file}:{line_no + offset}: unknown metadata key '{key}'")
        meta[key] = match.group(2).strip()
    label = f"entry {meta.get('id') or title!r}"
    for key in REQUIRED_KEYS:
        if not meta.get(key):
            problems.append(f"{where}: {label} is missing '{key}:'")
    entry_id = meta.get("id", "")
    if entry_id and not ID_PATTERN.match(entry_id):
        problems.append(f"{where}: id {entry_id!r} must be lower-case letters, digits and '-'")
    source = meta.get("source", "")
    # A link, or the name of a document that has none (the program document is shared by
    # the Integration Team, not published); a link must be http(s) so it is safe to show.
    if "://" in source and not source.startswith(("http://", "https://")):
        problems.append(f"{where}: {label} source link must be http(s), got {source!r}")
    keywords = tuple(k.strip() for k in meta.get("keywords", "").split(",") if k.strip())
    sections, section_problems = _language_sections(block, body_start, file, line_no, label)
    problems.extend(section_problems)
    body = reflow(block[body_start : sections[0][0] if sections else len(block)])
    if not body:
        problems.append(f"{where}: {label} has no answer text")
    translations: list[Translation] = []
    for n, (start, language, translated_title) in enumerate(sections):
        end = sections[n + 1][0] if n + 1 < len(sections) else len(block)
        translated_body = reflow(block[start + 1 : end])
        name = LANGUAGE_NAMES.get(language, language)
        if not translated_body:
            problems.append(f"{file}:{line_no + start}: {label} has no {name} answer text")
        translations.append(Translation(language, translated_title, translated_body))
    if problems:
        return None, problems
    entry = Entry(entry_id, title, keywords, body, source, file, line_no, tuple(translations))
    return entry, []


def _language_sections(
    block: list[str], body_start: int, file: str, line_no: int, label: str
) -> tuple[list[tuple[int, str, str]], list[str]]:
    """The `### [xx] Title` lines of an entry: (index in block, language, title)."""
    fenced = _fenced_lines(block)
    sections: list[tuple[int, str, str]] = []
    problems: list[str] = []
    for index in range(body_start, len(block)):
        match = LANGUAGE_HEADING.match(block[index]) if index not in fenced else None
        if match is None:
            continue
        where = f"{file}:{line_no + index}"
        language, title = language_code(match.group(1)), match.group(2).strip()
        name = LANGUAGE_NAMES.get(language, language)
        if language == BASE_LANGUAGE:
            problems.append(f"{where}: {label}: English is the untagged answer; drop '[en]'")
        elif any(language == seen for _, seen, _ in sections):
            problems.append(f"{where}: {label} has a second {name} answer")
        if not title:
            problems.append(f"{where}: {label}: the {name} answer needs a title after [{language}]")
        sections.append((index, language, title))
    return sections, problems


def missing_translations(entries: list[Entry], languages: tuple[str, ...]) -> list[str]:
    """One problem per entry and language it has no answer in."""
    problems: list[str] = []
    for entry in entries:
        for language in languages:
            if language_code(language) not in entry.languages:
                name = LANGUAGE_NAMES.get(language, language)
                problems.append(
                    f"{entry.file}:{entry.line}: entry '{entry.id}' has no {name} answer"
                    f" (add '### [{language}] <title>' and the answer after the English one)"
                )
    return problems


def reflow(lines: list[str]) -> str:
    """The answer as chat text: lines wrapped in the file are joined into one line per paragraph
    or list item (chat apps wrap by themselves); code fences and blank lines stay as written."""
    out: list[str] = []
    joinable = False
    inside_fence = False
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("```"):
            inside_fence = not inside_fence
            out.append(line)
            joinable = False
        elif inside_fence:
            out.append(line)
        elif not stripped:
            out.append("")
            joinable = False
        elif joinable and not _LIST_ITEM.match(stripped) and not stripped.startswith("#"):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped if not _LIST_ITEM.match(stripped) else line.lstrip())
            joinable = not stripped.startswith("#")
    return "\n".join(out).strip()


def read_entries(path: Path) -> tuple[list[Entry], list[str]]:
    """Read every file under `path`; returns entries and all problems, duplicates included."""
    files = kb_files(path)
    if not files:
        return [], [f"{path}: no knowledge-base files found (expected a .md file or a folder)"]
    entries: list[Entry] = []
    problems: list[str] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{file}: cannot read: {exc}")
            continue
        found, file_problems = parse_text(text, str(file))
        entries.extend(found)
        problems.extend(file_problems)
    seen: dict[str, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(
                f"{entry.file}:{entry.line}: duplicate id '{entry.id}'"
                f" (first at {first.file}:{first.line})"
            )
    return entries, problems


def check(path: str | Path, languages: tuple[str, ...] = ()) -> list[str]:
    """Every problem in the knowledge base at `path`, including entries without an answer in
    one of `languages` (besides English); an empty list means it is valid."""
    entries, problems = read_entries(Path(path))
    return problems + missing_translations(entries, languages)


def load_entries(path: str | Path) -> list[Entry]:
    """The entries at `path`; raises KnowledgeBaseError listing the problems if any."""
    entries, problems = read_entries(Path(path))
    if problems:
        raise KnowledgeBaseError(problems)
    return entries
