"""The Swahili glossary (`docs/glossary-sw.md`) as data, and a check that a translation follows it.

The glossary is a Markdown file so translators can read and edit it; this module reads its tables
so the message catalogs and the knowledge base can be tested against the same source.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "docs" / "glossary-sw.md"

# Placeholders, inline code and links are copied verbatim between languages, so they say
# nothing about the words chosen (and "{reference}" must not count as the word "reference").
_VERBATIM = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sd]|`[^`]*`|https?://\S+")


@dataclass(frozen=True, slots=True)
class Term:
    key: str
    english: tuple[str, ...]
    swahili: str
    forms: tuple[str, ...]
    avoid: tuple[str, ...]
    strict: bool
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    term: str
    message: str

    def __str__(self) -> str:
        return f"{self.term}: {self.message}"


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[Term, ...]
    kept: tuple[str, ...]
    # severity key -> (English definition, Swahili definition)
    severity: dict[str, tuple[str, str]]

    def term(self, key: str) -> Term:
        for term in self.terms:
            if term.key == key:
                return term
        raise KeyError(key)

    def problems(
        self, source: str, translation: str, *, exempt: Collection[str] = ()
    ) -> list[Problem]:
        """Where `translation` (Swahili) departs from the glossary for the English `source`.

        `exempt` names term keys (or kept English terms) the caller knowingly skips for this
        text, e.g. a command word that stays English inside a Swahili sentence.
        """
        english = _words_only(source)
        swahili = _words_only(translation)
        swahili_lower = swahili.lower()
        found: list[Problem] = []
        for term in self.terms:
            if term.key in exempt:
                continue
            for word in term.avoid:
                if _has_word(swahili, word):
                    found.append(
                        Problem(term.key, f"uses {word!r}; the glossary says {term.swahili!r}")
                    )
            if not term.strict or not any(_has_word(english, w) for w in term.english):
                continue
            if not any(form.lower() in swahili_lower for form in term.forms):
                found.append(
                    Problem(
                        term.key,
                        f"the English says {_first_match(english, term.english)!r} but the "
                        f"Swahili has none of {', '.join(term.forms)} (glossary: {term.swahili!r})",
                    )
                )
        for kept in self.kept:
            if kept in exempt:
                continue
            if _has_word(english, kept, plural=True) and not _has_word(swahili, kept, plural=True):
                found.append(Problem(kept, f"{kept!r} stays in English but is missing"))
        for key, (english_text, swahili_text) in self.severity.items():
            if f"severity-{key}" in exempt:
                continue
            if english_text in source and swahili_text not in translation:
                found.append(
                    Problem(
                        f"severity-{key}",
                        f"the {key} definition must read {swahili_text!r}",
                    )
                )
        return found


def _words_only(text: str) -> str:
    return _VERBATIM.sub(" ", text)


def _word_pattern(word: str, plural: bool = False) -> re.Pattern[str]:
    parts = [re.escape(part) for part in word.split()]
    tail = r"(?:s|es)?" if plural else ""
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + tail + r"(?![\w-])", re.IGNORECASE)


def _has_word(text: str, word: str, plural: bool = False) -> bool:
    return _word_pattern(word, plural).search(text) is not None


def _first_match(text: str, words: Iterable[str]) -> str:
    for word in words:
        match = _word_pattern(word).search(text)
        if match:
            return match.group(0)
    return ""


def _split(cell: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(separator) if part.strip())


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Rows of the first table under each `## ` heading, header row and rule excluded."""
    tables: dict[str, list[list[str]]] = {}
    section = ""
    header_seen: set[str] = set()
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        stripped = line.strip()
        if not (section and stripped.startswith("|") and stripped.endswith("|")):
            continue
        cells = [cell.strip() for cell in stripped[1:-1].split("|")]
        if section not in header_seen:
            header_seen.add(section)
            tables[section] = []
            continue
        if all(set(cell) <= set("-: ") for cell in cells):
            continue
        tables[section].append(cells)
    return tables


class GlossaryError(ValueError):
    pass


def parse(text: str) -> Glossary:
    tables = _tables(text)
    for section in ("Terms", "Kept in English", "Severity definitions"):
        if section not in tables:
            raise GlossaryError(f"the glossary has no '## {section}' table")
    terms: list[Term] = []
    seen: set[str] = set()
    for row in tables["Terms"]:
        if len(row) != 7:
            raise GlossaryError(f"a Terms row needs 7 cells, got {len(row)}: {row}")
        key, english, swahili, forms, avoid, strict, notes = row
        if key in seen:
            raise GlossaryError(f"term {key!r} is listed twice")
        if strict not in ("yes", "no"):
            raise GlossaryError(f"term {key!r}: Strict must be yes or no, not {strict!r}")
        if not (english and swahili and forms):
            raise GlossaryError(f"term {key!r} needs English, Kiswahili and Forms")
        seen.add(key)
        terms.append(
            Term(
                key=key,
                english=_split(english, ";"),
                swahili=swahili,
                forms=_split(forms, ","),
                avoid=_split(avoid, ","),
                strict=strict == "yes",
                notes=notes,
            )
        )
    kept = tuple(row[0] for row in tables["Kept in English"] if row and row[0])
    severity = {row[0]: (row[1], row[2]) for row in tables["Severity definitions"] if len(row) == 3}
    if set(severity) != {"critical", "major", "minor"}:
        raise GlossaryError("the severity table needs critical, major and minor")
    return Glossary(terms=tuple(terms), kept=kept, severity=severity)


@cache
def load(path: Path = GLOSSARY_PATH) -> Glossary:
    return parse(path.read_text(encoding="utf-8"))
