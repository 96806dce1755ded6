"""Accuracy of the free-text routing (handlers/routing) on the labelled merchant messages.

Usage: python benchmarks/routing_eval.py [--set tuned|holdout|all] [--kb kb] [--verbose]

Two sets, reported separately: tests/routing/tuned.toml (the rules were tuned on these) and
tests/routing/holdout.toml (written before tuning, never tuned on). Each message names the
merchant's active tickets (keys of tests/routing/tickets.toml) and the expected label.

Besides accuracy per label, it counts the worst mistake: a `followup` or `status` message that
the routing sends to the knowledge base where a confident answer would be shown (an unrelated
entry instead of the merchant's own ticket). The target is none.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.knowledge import KnowledgeBase  # noqa: E402
from handlers.routing import Label, Topic, classify  # noqa: E402

SETS = ROOT / "tests" / "routing"
TICKET_BOUND = (Label.followup, Label.status)
TO_KB = (Label.question, Label.new_issue)


@dataclass(frozen=True)
class Sample:
    text: str
    tickets: tuple[Topic, ...]
    label: Label


@dataclass
class Report:
    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    # followup/status messages that would get a knowledge-base answer instead
    to_unrelated_entry: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        count = sum(self.total.values())
        return sum(self.right.values()) / count if count else 0.0


def load(name: str) -> list[Sample]:
    tickets = tomllib.loads((SETS / "tickets.toml").read_text("utf-8"))
    topics = {key: Topic(v["title"], v.get("description", "")) for key, v in tickets.items()}
    data = tomllib.loads((SETS / f"{name}.toml").read_text("utf-8"))
    return [
        Sample(m["text"], tuple(topics[k] for k in m["tickets"]), Label(m["label"]))
        for m in data["message"]
    ]


def evaluate(samples: list[Sample], kb: KnowledgeBase | None) -> Report:
    report = Report()
    for sample in samples:
        got = classify(sample.text, sample.tickets)
        report.total[sample.label] += 1
        if got == sample.label:
            report.right[sample.label] += 1
        else:
            context = "with ticket" if sample.tickets else "no ticket"
            report.misses.append(f"{sample.label} -> {got} ({context}): {sample.text}")
        bound = sample.label in TICKET_BOUND and sample.tickets and got in TO_KB
        if bound and kb is not None and kb.answer(sample.text) is not None:
            report.to_unrelated_entry.append(sample.text)
    return report


def render(name: str, report: Report, verbose: bool) -> str:
    count = sum(report.total.values())
    lines = [f"{name}: {sum(report.right.values())}/{count} = {report.accuracy:.1%} overall"]
    for label in Label:
        n = report.total[label]
        if n:
            lines.append(
                f"  {label:<10} {report.right[label]:>3}/{n:<3} {report.right[label] / n:.0%}"
            )
    lines.append(
        f"  followup/status sent to a knowledge-base entry: {len(report.to_unrelated_entry)}"
    )
    lines.extend(f"    ! {text}" for text in report.to_unrelated_entry)
    if verbose:
        lines.extend(f"  miss: {miss}" for miss in report.misses)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("tuned", "holdout", "holdout2", "all"), default="all")
    parser.add_argument("--kb", default=str(ROOT / "kb"), help="knowledge base for the check")
    parser.add_argument("--verbose", action="store_true", help="list every wrong label")
    args = parser.parse_args()
    kb = KnowledgeBase.load(args.kb)
    names = ("tuned", "holdout", "holdout2") if args.set == "all" else (args.set,)
    for name in names:
        print(render(name, evaluate(load(name), kb), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
