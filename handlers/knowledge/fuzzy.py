"""Finding the vocabulary term a misspelt word was meant to be.

A symmetric-delete index (the SymSpell idea): every term is stored under itself and each string
obtained by deleting one or two letters; a query word's own deletions meet it there. That finds
all candidates within two edits without comparing the word against the whole vocabulary, and a
true Damerau-Levenshtein distance then confirms the match.

A word's double deletions number about L^2 and cost about L^3 to build, so a long word would
make one question cost seconds and gigabytes: words more than two letters longer than the
vocabulary's longest term cannot be within two edits of any term and skip the index entirely.
"""

from __future__ import annotations

from collections import defaultdict


def deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def max_edits(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class FuzzyVocabulary:
    def __init__(self, terms: set[str]) -> None:
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        self.longest = max((len(term) for term in terms), default=0)
        for term in terms:
            for key in deletions(term, max_edits(term)):
                self._by_deletion[key].add(term)

    def may_match(self, word: str) -> bool:
        """Whether `word` could be within reach of a term (cheap: its length alone)."""
        limit = max_edits(word)
        return limit > 0 and len(word) <= self.longest + limit

    def closest(self, word: str) -> str | None:
        """The vocabulary term nearest to `word`, or None when none is close enough.

        Four-letter words only match by a missing, extra or swapped letter, not a replaced
        one: otherwise "love" would find "live" and off-topic chat would borrow answers."""
        if not self.may_match(word):
            return None
        limit = max_edits(word)
        candidates: set[str] = set()
        for key in deletions(word, limit):
            candidates |= self._by_deletion.get(key, set())
        best: tuple[int, str] | None = None
        for term in candidates:
            allowed = min(limit, max(max_edits(term), 1))
            edits = distance(word, term, allowed)
            if edits > allowed:
                continue
            if len(word) == 4 and len(term) == 4 and edits == 1 and sorted(word) != sorted(term):
                continue
            if best is None or (edits, term) < best:
                best = (edits, term)
        return None if best is None else best[1]
