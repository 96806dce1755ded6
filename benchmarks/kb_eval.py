"""Accuracy and speed of the knowledge-base search on the labelled questions.

Usage: python benchmarks/kb_eval.py [--kb kb] [--questions FILE ...] [--min-score N] [--verbose]

Without --questions it reports, each on its own, the three labelled sets: the tuned set
(tests/kb_questions.toml, which the ranker and keywords are tuned on), the held-out questions
(tests/kb_questions_holdout.toml) and the developer messages (tests/kb_questions_dev.toml:
story, pasted error bodies, identifiers). The last two are never tuned on.

Counting is strict: a question counts for top-1 only if the bot would actually answer it with
the expected entry (best hit is right AND clears the threshold); for top-3 the expected entry
must be among the first three hits and the best hit must clear the threshold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.knowledge.search import DEFAULT_MIN_SCORE, KnowledgeBase  # noqa: E402


@dataclass
class Report:
    questions: int = 0
    top1: int = 0
    top3: int = 0
    off_topic: int = 0
    off_topic_rejected: int = 0
    by_lang: dict[str, list[int]] = field(default_factory=dict)  # lang -> [n, top1, top3]
    misses: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    timings_ms: list[float] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.questions if self.questions else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.questions if self.questions else 0.0


def load_questions(path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data.get("question", []), data.get("off_topic", [])


def evaluate(kb: KnowledgeBase, questions_path: Path) -> Report:
    labelled, off_topic = load_questions(questions_path)
    report = Report()
    for item in labelled:
        started = time.perf_counter()
        hits = kb.search(item["q"], limit=3)
        report.timings_ms.append((time.perf_counter() - started) * 1000)
        answered = bool(hits) and hits[0].score >= kb.min_score
        ids = [h.entry.id for h in hits]
        first = answered and ids[0] == item["id"]
        within = answered and item["id"] in ids
        report.questions += 1
        report.top1 += first
        report.top3 += within
        lang = report.by_lang.setdefault(item.get("lang", "?"), [0, 0, 0])
        lang[0] += 1
        lang[1] += first
        lang[2] += within
        if not first:
            shown = ", ".join(f"{h.entry.id}={h.score:.2f}" for h in hits) or "nothing"
            report.misses.append(f"{item['q']!r}: want {item['id']}, got {shown}")
    for item in off_topic:
        started = time.perf_counter()
        found = kb.answer(item["q"])
        report.timings_ms.append((time.perf_counter() - started) * 1000)
        report.off_topic += 1
        if found is None:
            report.off_topic_rejected += 1
        else:
            best = found.best
            report.leaks.append(f"{item['q']!r}: answered {best.entry.id}={best.score:.2f}")
    return report


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math_ceil(share * len(ordered)) - 1)]


def math_ceil(value: float) -> int:
    whole = int(value)
    return whole if whole == value else whole + 1


SETS = (
    ("tuned", ROOT / "tests" / "kb_questions.toml"),
    ("held-out", ROOT / "tests" / "kb_questions_holdout.toml"),
    ("developer messages, untuned", ROOT / "tests" / "kb_questions_dev.toml"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(ROOT / "kb"))
    parser.add_argument(
        "--questions", action="append", help="a labelled set (repeatable; default: all three)"
    )
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    parser.add_argument("--verbose", action="store_true", help="list misses and leaks")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    kb = KnowledgeBase.load(args.kb, min_score=args.min_score)
    build_ms = (time.perf_counter() - started) * 1000
    print(f"entries: {len(kb.entries)} (load + index {build_ms:.1f} ms), min_score {kb.min_score}")
    sets = [(Path(q).name, Path(q)) for q in args.questions] if args.questions else SETS
    for name, path in sets:
        if len(sets) > 1:
            print(f"\n== {name} ({path.name})")
        print_report(evaluate(kb, path), args.verbose)
    return 0


def print_report(report: Report, verbose: bool) -> None:
    print(f"questions: {report.questions}")
    print(f"top-1 accuracy: {report.top1}/{report.questions} = {report.top1_rate:.1%}")
    print(f"top-3 accuracy: {report.top3}/{report.questions} = {report.top3_rate:.1%}")
    for lang, (n, one, three) in sorted(report.by_lang.items()):
        print(f"  {lang}: {n} questions, top-1 {one / n:.1%}, top-3 {three / n:.1%}")
    print(f"off-topic rejected: {report.off_topic_rejected}/{report.off_topic}")
    mean = statistics.fmean(report.timings_ms)
    p99 = percentile(report.timings_ms, 0.99)
    print(f"search time per question: mean {mean:.3f} ms, p99 {p99:.3f} ms")
    if verbose:
        for line in report.misses:
            print("miss:", line)
        for line in report.leaks:
            print("leak:", line)


if __name__ == "__main__":
    raise SystemExit(main())
