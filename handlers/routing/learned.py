"""A small multinomial naive Bayes, learned from the labelled messages in tests/routing.

Hand-written rather than taken from scikit-learn: the sets are a few hundred messages, training
is counting, and prediction is one dictionary look-up per feature and label. scikit-learn would
bring scipy (tens of megabytes, a slower import on every start) for the same arithmetic.

A message is two lists of features (classify.features): what it says (words, word pairs, letter
groups, which count once each) and what it is in context (has an active ticket, shares its topic,
which lexicon groups match), which count `CONTEXT_WEIGHT` times: a handful of context features
would otherwise drown among a hundred letter groups.

The counts are committed in model.json (`benchmarks/routing_eval.py --write-model` regenerates
it from every set; tests/test_routing_eval.py checks it is up to date), so nothing is trained at
start-up and the labelled sets need not ship.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL = Path(__file__).with_name("model.json")
ALPHA = 0.5  # additive smoothing: a feature never seen with a label is rare, not impossible
CONTEXT_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class Example:
    said: tuple[str, ...]
    context: tuple[str, ...]
    label: str


class NaiveBayes:
    """Counts per feature and label; `scores` gives log-probabilities up to a constant."""

    def __init__(self, labels: Sequence[str], priors: Sequence[int], counts: dict[str, list[int]]):
        self.labels = tuple(labels)
        self.priors = list(priors)
        self.counts = counts
        totals = [0] * len(self.labels)
        for row in counts.values():
            for i, n in enumerate(row):
                totals[i] += n
        size = len(counts)
        denominators = [math.log(total + ALPHA * size) for total in totals]
        n = sum(self.priors) or 1
        self._prior = [math.log((p + ALPHA) / (n + ALPHA * len(self.labels))) for p in self.priors]
        # Precomputed once: per feature, its log-probability under each label.
        self._log = {
            feature: [math.log(c + ALPHA) - d for c, d in zip(row, denominators, strict=True)]
            for feature, row in counts.items()
        }

    @classmethod
    def train(cls, examples: Iterable[Example]) -> NaiveBayes:
        examples = list(examples)
        labels = sorted({e.label for e in examples})
        index = {label: i for i, label in enumerate(labels)}
        priors = [0] * len(labels)
        counts: dict[str, list[int]] = {}
        for e in examples:
            i = index[e.label]
            priors[i] += 1
            for feature, weight in [(f, 1) for f in set(e.said)] + [
                (f, CONTEXT_WEIGHT) for f in e.context
            ]:
                counts.setdefault(feature, [0] * len(labels))[i] += weight
        return cls(labels, priors, counts)

    def probabilities(self, said: Iterable[str], context: Iterable[str]) -> dict[str, float]:
        """Each label's probability for a message with these features."""
        scores = list(self._prior)
        for feature, weight in [(f, 1) for f in set(said)] + [(f, CONTEXT_WEIGHT) for f in context]:
            row = self._log.get(feature)
            if row is not None:
                for i, value in enumerate(row):
                    scores[i] += weight * value
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp, strict=True)}

    def to_json(self) -> str:
        # One feature a line, sorted: a regenerated model diffs readably.
        rows = ",\n".join(
            f"  {json.dumps(f)}: {json.dumps(self.counts[f])}" for f in sorted(self.counts)
        )
        head = json.dumps({"labels": self.labels, "priors": self.priors})[:-1]
        return f'{head}, "counts": {{\n{rows}\n}}}}\n'

    @classmethod
    def from_json(cls, text: str) -> NaiveBayes:
        data = json.loads(text)
        return cls(data["labels"], data["priors"], data["counts"])


@lru_cache(maxsize=1)
def model() -> NaiveBayes:
    """The committed model, read once."""
    return NaiveBayes.from_json(MODEL.read_text("utf-8"))
