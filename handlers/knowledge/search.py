"""Ranking knowledge-base entries for a question: BM25F over title, keywords and body.

The index lives in memory. A knowledge base is tens to a few hundred short entries, so the whole
index is a few hundred kilobytes and builds in milliseconds; a query is a handful of dictionary
look-ups. SQLite FTS5 would add a schema and a second copy of the files without buying speed,
and its tokenizers know neither Swahili prefixes nor our synonym map.

Score = BM25F(entry) x coverage(entry) x evidence(entry). Coverage is the share of the
question's information (idf mass, unknown words counted as rare) that the entry matches: a
question about the weather shares a word with some entry by chance but covers little of it.
Evidence grows with the matched idf mass up to a cap: a two-word chat line ("can you check
again?") may be fully covered by common words, but says too little to answer from. Together they
keep off-topic questions under the threshold (`min_score`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from handlers.knowledge.entries import Entry, load_entries
from handlers.knowledge.fuzzy import FuzzyVocabulary
from handlers.knowledge.query import Piece, pieces, plain
from handlers.knowledge.text import analyze

# Keywords are chosen by the author to say what the entry is about; the body also talks about
# neighbouring topics, so it counts least.
FIELD_WEIGHTS = {"title": 2.0, "keywords": 3.0, "body": 0.6}
# Slower saturation than the usual 1.2: a word repeated across fields should count for more
# than a single passing mention in a body.
K1 = 2.0
B = 0.75
FUZZY_WEIGHT = 0.85
DEFAULT_MIN_SCORE = 0.5
RELATED_SHARE = 0.5
# How much matched information (sum of idf) a hit needs before its score counts in full, as a
# multiple of the rarest possible word's idf (so it scales with the number of entries): one or
# two common words ("check", "update") are not enough evidence, however well they match.
EVIDENCE_SHARE = 1.3  # a related entry scores at least this share of the threshold
# Typo correction costs a few hundred dictionary look-ups per word; a real question has a
# handful of unknown words, so past this many distinct ones the rest count as unknown. That
# keeps a 4,000-character question of made-up words to milliseconds (benchmarks/kb_search_time.py).
MAX_FUZZY_TERMS = 12
STORY_SHARE = 1.0


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class Answer:
    """What to show for a question: the best entry and up to two related ones."""

    question: str
    best: Hit
    related: tuple[Hit, ...] = ()
    # The second-best entry's score, whatever it is (None: only one entry matched).
    runner_up: float | None = None


@dataclass(frozen=True, slots=True)
class _Term:
    term: str
    weight: float  # 1 for an exact term, FUZZY_WEIGHT for a corrected misspelling
    idf: float
    known: bool
    story: bool = False  # only seen in the context around the question (query.py)


class KnowledgeSource(Protocol):
    """Where the engine gets the knowledge base from: a fixed one, or one that follows its files."""

    def current(self) -> KnowledgeBase: ...


class KnowledgeBase:
    """An immutable, searchable snapshot of entries."""

    def __init__(self, entries: Iterable[Entry], min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.min_score = min_score
        self._by_id = {entry.id: entry for entry in self.entries}
        self._build()

    @classmethod
    def load(cls, path: str | Path, min_score: float = DEFAULT_MIN_SCORE) -> KnowledgeBase:
        """Read and index the files at `path`; raises KnowledgeBaseError when they are broken."""
        return cls(load_entries(path), min_score)

    def current(self) -> KnowledgeBase:
        return self

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def _build(self) -> None:
        fields = [
            {
                "title": Counter(analyze(e.title)),
                "keywords": Counter(analyze(", ".join(e.keywords))),
                "body": Counter(analyze(e.body)),
            }
            for e in self.entries
        ]
        count = max(len(fields), 1)
        average = {
            name: max(sum(sum(f[name].values()) for f in fields) / count, 1.0)
            for name in FIELD_WEIGHTS
        }
        document_frequency: Counter[str] = Counter()
        for per_field in fields:
            document_frequency.update(set().union(*per_field.values()))
        self._idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5))
            for term, df in document_frequency.items()
        }
        self._max_idf = math.log(1 + (count - 0.5) / 1.5)
        self._evidence_full = EVIDENCE_SHARE * self._max_idf
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, per_field in enumerate(fields):
            weighted: dict[str, float] = {}
            for name, counts in per_field.items():
                norm = 1 - B + B * sum(counts.values()) / average[name]
                for term, tf in counts.items():
                    weighted[term] = weighted.get(term, 0.0) + FIELD_WEIGHTS[name] * tf / norm
            for term, weight in weighted.items():
                self._postings.setdefault(term, []).append((index, weight / (K1 + weight)))
        self._vocabulary = frozenset(self._postings)
        self._fuzzy = FuzzyVocabulary(set(self._vocabulary))

    def _query_terms(self, parts: list[Piece]) -> list[_Term]:
        terms: dict[str, _Term] = {}
        corrections: dict[str, str | None] = {}
        tried = 0
        for piece, story, word in self._weighted_words(parts):
            if word in self._vocabulary:
                found = _Term(word, piece, self._idf[word], True, story)
            else:
                if word not in corrections:
                    fuzzy = tried < MAX_FUZZY_TERMS and self._fuzzy.may_match(word)
                    tried += fuzzy
                    corrections[word] = self._fuzzy.closest(word) if fuzzy else None
                corrected = corrections[word]
                if corrected is None:
                    found = _Term(word, piece, self._max_idf, False, story)
                else:
                    found = _Term(
                        corrected, piece * FUZZY_WEIGHT, self._idf[corrected], True, story
                    )
            previous = terms.get(found.term)
            if previous is not None and previous.story != found.story:
                found = replace(found, story=False)
                previous = replace(previous, story=False)
            if previous is None or found.weight > previous.weight:
                terms[found.term] = found
            else:
                terms[found.term] = previous
        return list(terms.values())

    def _weighted_words(self, parts: list[Piece]) -> Iterator[tuple[float, bool, str]]:
        """The question's words: the weight of the piece each is in, and whether that piece is
        the story around the question rather than the question or an error (see query.py)."""
        for piece in parts:
            for word in analyze(piece.text, self._vocabulary):
                yield piece.weight, piece.story, word

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """Entries matching `question`, best first, whatever their score (see `answer`)."""
        terms = self._query_terms(pieces(question, self._vocabulary))
        focus = sum(t.weight * t.idf for t in terms if not t.story)
        story = sum(t.weight * t.idf for t in terms if t.story)
        known = sum(t.weight * t.idf for t in terms if t.known and not t.story)
        if story and known < self._evidence_full:
            # The question and its errors say too little in the entries' words ("Any idea?",
            # "Anyone seen this?"): the story is the question, so search the message as it is.
            terms = self._query_terms(plain(question, self._vocabulary))
            focus, story = sum(t.weight * t.idf for t in terms), 0.0
        # The story around a question dilutes coverage at most STORY_SHARE times as much as the
        # question and its error strings do, so a long preamble does not sink the right entry.
        total = focus + min(story, STORY_SHARE * focus)
        if total <= 0:
            return []
        bm25: dict[int, float] = {}
        matched: dict[int, float] = {}
        for t in terms:
            if not t.known:
                continue
            for index, saturation in self._postings[t.term]:
                bm25[index] = bm25.get(index, 0.0) + t.weight * t.idf * saturation
                matched[index] = matched.get(index, 0.0) + t.weight * t.idf
        hits = [
            Hit(
                self.entries[index],
                score * (matched[index] / total) * min(1.0, matched[index] / self._evidence_full),
            )
            for index, score in bm25.items()
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
        return hits[: max(limit, 0)]

    def answer(self, question: str) -> Answer | None:
        """The best entry and up to two related ones, or None when nothing clears the bar."""
        hits = self.search(question, limit=3)
        if not hits or hits[0].score < self.min_score:
            return None
        related = tuple(h for h in hits[1:] if h.score >= self.min_score * RELATED_SHARE)
        runner_up = hits[1].score if len(hits) > 1 else None
        return Answer(question, hits[0], related, runner_up)
