"""Accuracy of the free-text routing (handlers/routing) on the labelled merchant messages.

Usage: python benchmarks/routing_eval.py [--set NAME|all] [--kb kb] [--verbose] [--cross]
       python benchmarks/routing_eval.py --write-model

Every tests/routing/NAME.toml but tickets.toml is a set (`--set holdout3` reads holdout3.toml;
`all`, the default, reads each in turn), reported on its own: the header comment of each file says
whether the rules were tuned on it. Each message names the merchant's active tickets (keys of
tests/routing/tickets.toml, or of a `[tickets]` table in the set itself) and the expected label.

Besides accuracy per label, it counts the worst mistake: a `followup` or `status` message, written
with an active ticket, that the routing answers with a knowledge-base entry (an unrelated entry
instead of the merchant's own ticket). The target is none. A knowledge-base-bound message tied to
an active ticket is first asked "About INT-4 or something new?" (handlers/routing/act.py): such
messages are counted apart, per label, since they cost the merchant one tap but never misroute.

Beside the label accuracy (the headline), each set gets a destination figure: how many messages
end up where their expected label would take them (the ticket for followup and status, the
knowledge base for question and new_issue, a Critical report for urgent, the menu for greeting
and other). A message asked "About INT-4 or something new?" reaches its ticket when it is a
followup or status message and the knowledge base when it is a question or new problem.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.knowledge import KnowledgeBase  # noqa: E402
from handlers.routing import Label, Topic, decide  # noqa: E402
from handlers.routing.classify import features, referenced_numbers  # noqa: E402
from handlers.routing.learned import MODEL, Example, NaiveBayes  # noqa: E402

SETS = ROOT / "tests" / "routing"
TICKETS = "tickets"  # the shared active tickets, not a set
TICKET_BOUND = (Label.followup, Label.status)
TO_KB = (Label.question, Label.new_issue)
# Where a label leaves the message: its ticket, the knowledge base, a Critical report, the menu.
DESTINATION = {
    Label.followup: "ticket",
    Label.status: "ticket",
    Label.question: "kb",
    Label.new_issue: "kb",
    Label.urgent: "critical",
    Label.greeting: "menu",
    Label.other: "menu",
}


class SetError(Exception):
    """A set that cannot be read: its name and what is wrong, for one clear line."""


@dataclass(frozen=True)
class Sample:
    text: str
    tickets: tuple[Topic, ...]
    label: Label


@dataclass
class Report:
    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    # asked "About INT-4 or something new?" before any knowledge-base answer, per expected label
    asked: Counter[str] = field(default_factory=Counter)
    # followup/status messages that would get a knowledge-base answer instead
    to_unrelated_entry: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    # reached where the expected label would have taken it, per expected label
    arrived: Counter[str] = field(default_factory=Counter)

    @property
    def arrived_count(self) -> int:
        return sum(self.arrived.values())

    @property
    def destination(self) -> float:
        return self.arrived_count / self.count if self.count else 0.0

    @property
    def count(self) -> int:
        return sum(self.total.values())

    @property
    def correct(self) -> int:
        return sum(self.right.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.count if self.count else 0.0


def names() -> list[str]:
    """Every set in tests/routing, the tuned one first, then by name."""
    found = sorted(p.stem for p in SETS.glob("*.toml") if p.stem != TICKETS)
    return sorted(found, key=lambda name: name != "tuned")


def load(name: str) -> list[Sample]:
    path = SETS / f"{name}.toml"
    if name == TICKETS or not path.is_file():
        raise SetError(f"no set {name!r} in {SETS} (sets: {', '.join(names())})")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
        shared = tomllib.loads((SETS / f"{TICKETS}.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SetError(f"{path.name}: {error}") from error
    topics = {
        key: Topic(v["title"], v.get("description", ""))
        for key, v in {**shared, **data.get("tickets", {})}.items()
    }
    samples = []
    for number, m in enumerate(data.get("message", []), 1):
        unknown = [k for k in m.get("tickets", []) if k not in topics]
        if unknown:
            raise SetError(
                f"{path.name}, message {number}: unknown ticket {unknown[0]!r} (define it in "
                f"tickets.toml or in the set's [tickets.{unknown[0]}])"
            )
        try:
            tickets = tuple(topics[k] for k in m.get("tickets", []))
            samples.append(Sample(m["text"], tickets, Label(m["label"])))
        except (KeyError, ValueError) as error:
            raise SetError(f"{path.name}, message {number}: bad or missing {error}") from error
    return samples


def train(samples: list[Sample]) -> NaiveBayes:
    return NaiveBayes.train(
        Example(*features(s.text, s.tickets), label=s.label.value) for s in samples
    )


def evaluate(
    samples: list[Sample], kb: KnowledgeBase | None, model: NaiveBayes | None = None
) -> Report:
    report = Report()
    for sample in samples:
        # A reference in the text names the ticket when there is one to name, as the desk
        # checks it against the merchant's own tickets (act._named); the sets have no numbers.
        named = len(sample.tickets) == 1 and bool(referenced_numbers(sample.text))
        decision = decide(sample.text, sample.tickets, model, named=named)
        got = decision.label
        report.total[sample.label] += 1
        if decision.confirm:
            report.asked[sample.label] += 1
        if destination(decision.label, decision.confirm, sample.label) == DESTINATION[sample.label]:
            report.arrived[sample.label] += 1
        if got == sample.label:
            report.right[sample.label] += 1
        else:
            context = "with ticket" if sample.tickets else "no ticket"
            report.misses.append(f"{sample.label} -> {got} ({context}): {sample.text}")
        bound = sample.label in TICKET_BOUND and sample.tickets and got in TO_KB
        if bound and not decision.confirm and kb is not None and kb.answer(sample.text):
            report.to_unrelated_entry.append(sample.text)
    return report


def destination(got: Label, asked: bool, expected: Label) -> str:
    """Where the message ends up. Asked "About INT-4 or something new?", the merchant's tap
    takes a ticket-bound message to its ticket and a knowledge-base one to the entry."""
    if asked:
        return "ticket" if DESTINATION[expected] == "ticket" else "kb"
    return DESTINATION[got]


def render(name: str, report: Report, verbose: bool) -> str:
    lines = [
        f"{name}: {report.correct}/{report.count} = {report.accuracy:.1%} overall",
        f"  destination {report.arrived_count}/{report.count} = {report.destination:.1%} "
        "(where it ends up)",
    ]
    for label in Label:
        n = report.total[label]
        if n:
            line = f"  {label:<10} {report.right[label]:>3}/{n:<3} {report.right[label] / n:>4.0%}"
            if report.asked[label]:
                line += f"  (asked about-or-new: {report.asked[label]})"
            lines.append(line)
    lines.append(
        f"  followup/status sent to a knowledge-base entry: {len(report.to_unrelated_entry)}"
    )
    lines.extend(f"    ! {text}" for text in report.to_unrelated_entry)
    if verbose:
        lines.extend(f"  miss: {miss}" for miss in report.misses)
    return "\n".join(lines)


# Without --cross the committed model has seen every message it is scored on.
TRAINED_ON_IT = "(model trained on this set; see --cross)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all", help="NAME (tests/routing/NAME.toml) or all")
    parser.add_argument("--kb", default=str(ROOT / "kb"), help="knowledge base for the check")
    parser.add_argument("--verbose", action="store_true", help="list every wrong label")
    parser.add_argument(
        "--cross",
        action="store_true",
        help="leave one set out: each set routed by a model trained on the others (the honest "
        "figure; it leaves out the model's training data, not the rules' tuning: see each "
        "set's header comment). Without it, the committed model, trained on every set, is used",
    )
    parser.add_argument("--write-model", action="store_true", help=f"retrain {MODEL.name}")
    args = parser.parse_args()
    try:
        every = {name: load(name) for name in names()}
        if args.write_model:
            MODEL.write_text(train([s for v in every.values() for s in v]).to_json(), "utf-8")
            print(f"wrote {MODEL} from {sum(map(len, every.values()))} messages")
            return 0
        kb = KnowledgeBase.load(args.kb)
        chosen = names() if args.set == "all" else [args.set]
        reports = []
        for name in chosen:
            samples = every.get(name) or load(name)
            model = None
            if args.cross:
                model = train([s for other, v in every.items() if other != name for s in v])
            report = evaluate(samples, kb, model)
            reports.append(report)
            title = f"{name} (left out)" if args.cross else f"{name} {TRAINED_ON_IT}"
            print(render(title, report, args.verbose))
    except SetError as error:
        print(f"routing_eval: {error}", file=sys.stderr)
        return 2
    if len(reports) > 1:
        right, count = sum(r.correct for r in reports), sum(r.count for r in reports)
        worst = sum(len(r.to_unrelated_entry) for r in reports)
        arrived = sum(r.arrived_count for r in reports)
        overall = f"{right}/{count} = {right / count:.1%}"
        trained = "" if args.cross else " (model trained on these sets; see --cross)"
        print(f"all sets{trained}: {overall}; followup/status sent to an entry: {worst}")
        print(f"all sets, destination: {arrived}/{count} = {arrived / count:.1%}")
    print(f"time per message: {per_message(every):.0f} µs")
    return 0


def per_message(every: dict[str, list[Sample]]) -> float:
    """Microseconds `decide` takes per message, typo corrections not cached: a fresh message."""
    from handlers.routing.classify import _correct

    samples = [s for v in every.values() for s in v]
    decide("warm up", ())  # the model is read once, at the first message
    _correct.cache_clear()
    start = time.perf_counter()
    for sample in samples:
        decide(sample.text, sample.tickets)
    return (time.perf_counter() - start) / len(samples) * 1e6


if __name__ == "__main__":
    raise SystemExit(main())
