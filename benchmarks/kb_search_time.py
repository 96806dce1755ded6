"""Worst-case knowledge-base search time on adversarial questions.

    python benchmarks/kb_search_time.py [--kb kb] [--length 4000] [--repeat 5]

Each input is as long as a question may be (`max_details_length`, 4,000 by default) and built to
make typo matching work as hard as it can: one long word, long words of distinct letters just
within reach of the vocabulary, many misspellings of real terms, and random words. The figure
is the slowest of `--repeat` runs of `KnowledgeBase.answer`; the target is under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.knowledge import KnowledgeBase

TARGET_MS = 50.0


def _fill(words: list[str], length: int) -> str:
    text = "how "
    for word in words:
        if len(text) + len(word) + 2 > length:
            break
        text += word + " "
    return text.rstrip() + "?"


def _misspell(word: str, rng: random.Random) -> str:
    letters = list(word)
    for _ in range(2):
        i = rng.randrange(len(letters))
        letters[i] = rng.choice(string.ascii_lowercase)
    return "".join(letters)


def adversarial(kb: KnowledgeBase, length: int, seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    terms = sorted(kb._vocabulary)
    longest = max(len(term) for term in terms)
    long_terms = [term for term in terms if len(term) >= 8]
    alphabet = string.ascii_lowercase

    def distinct(n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    return {
        "one word of distinct letters": "how " + distinct(length - 5) + "?",
        "one word of one letter": "how " + "a" * (length - 5) + "?",
        "words at longest term + 2": _fill([distinct(longest + 2) for _ in range(length)], length),
        "words at longest term + 3": _fill([distinct(longest + 3) for _ in range(length)], length),
        "misspelt real terms": _fill(
            [_misspell(rng.choice(long_terms), rng) for _ in range(length)], length
        ),
        "real terms with a letter added": _fill(
            [t + rng.choice(alphabet) for t in rng.choices(long_terms, k=length)], length
        ),
        "random 8-letter words": _fill([distinct(8) for _ in range(length)], length),
        "random 4-letter words": _fill([distinct(4) for _ in range(length)], length),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(Path(__file__).resolve().parent.parent / "kb"))
    parser.add_argument("--length", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kb = KnowledgeBase.load(args.kb)
    worst = 0.0
    print(f"{len(kb.entries)} entries, questions of {args.length} characters")
    for name, question in adversarial(kb, args.length).items():
        times = []
        for _ in range(max(args.repeat, 1)):
            started = time.perf_counter()
            kb.answer(question)
            times.append((time.perf_counter() - started) * 1000)
        slowest = max(times)
        worst = max(worst, slowest)
        print(f"  {name:<32} len {len(question):>5}  slowest {slowest:7.2f} ms")
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst case: {worst:.2f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
