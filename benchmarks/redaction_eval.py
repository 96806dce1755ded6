"""Recall and false-positive rate of secret redaction (handlers/redaction.py) on the labelled
strings in tests/redaction_labelled.toml.

Usage: python benchmarks/redaction_eval.py [--cases FILE] [--verbose]

Recall counts secret values: one is found when it no longer appears anywhere in the redacted
text (not even a part of 8 characters or more, which would leak most of a key). The
false-positive rate counts labelled strings: one is a false positive when it holds no secret yet
comes out changed, or when any value it must keep (an order reference, a phone number, an
amount...) is gone. It also prints the time per string.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.redaction import redact  # noqa: E402

CASES = ROOT / "tests" / "redaction_labelled.toml"
# Texts built to make a careless pattern backtrack (a pasted log can be long and strange): each
# must take about as long per character as ordinary text.
WORST_CASES = {
    "Bearer repeated": "Bearer " * 5000,
    "digit groups": "12-" * 10000,
    "card-like groups": "4111 " * 10000,
    "labels without values": "api-key: " * 5000,
    "label, words, no value": "password for the x is " * 3000,
    "scheme-like": "a://" * 10000,
    "PEM headers": "-----BEGIN PRIVATE KEY-----" * 2000,
    "separators": "_" * 60000,
}
LEAK = 8  # characters of a secret that still count as a leak


@dataclass
class Report:
    cases: int = 0
    secrets: int = 0
    hidden: int = 0
    clean_cases: int = 0  # strings checked for false positives: every one but the secrets only
    false_positives: int = 0
    missed: list[str] = field(default_factory=list)
    wrongly_hidden: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.hidden / self.secrets if self.secrets else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.clean_cases if self.clean_cases else 0.0


def leaked(secret: str, text: str) -> bool:
    compact = secret.replace(" ", "").replace("-", "")
    flat = text.replace(" ", "").replace("-", "")
    if len(compact) <= LEAK:
        return secret in text
    return any(compact[i : i + LEAK] in flat for i in range(len(compact) - LEAK + 1))


def evaluate(path: Path = CASES) -> Report:
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    report = Report(cases=len(cases))
    for case in cases:
        text, secrets, keep = case["text"], case.get("secrets", []), case.get("keep", [])
        started = time.perf_counter()
        result = redact(text, "en").text
        report.seconds += time.perf_counter() - started
        for secret in secrets:
            report.secrets += 1
            if leaked(secret, result):
                report.missed.append(f"{secret!r} in {text!r} -> {result!r}")
            else:
                report.hidden += 1
        if secrets and not keep:
            continue
        report.clean_cases += 1
        wrong = (not secrets and result != text) or any(value not in result for value in keep)
        if wrong:
            report.false_positives += 1
            report.wrongly_hidden.append(f"{text!r} -> {result!r}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    report = evaluate(args.cases)
    print(f"labelled strings:     {report.cases}")
    print(f"secrets:              {report.secrets}")
    print(f"recall:               {report.recall:.1%} ({report.hidden}/{report.secrets})")
    print(
        f"false positives:      {report.false_positive_rate:.1%} "
        f"({report.false_positives}/{report.clean_cases} strings that must keep their values)"
    )
    print(f"time per string:      {report.seconds / max(report.cases, 1) * 1e6:.0f} µs")
    print("worst cases (time per 1,000 characters):")
    for name, text in WORST_CASES.items():
        started = time.perf_counter()
        redact(text, "en")
        per_thousand = (time.perf_counter() - started) / len(text) * 1000
        print(f"  {name:<24} {len(text):>6} chars  {per_thousand * 1e3:.2f} ms")
    if args.verbose or report.missed or report.wrongly_hidden:
        for line in report.missed:
            print(f"MISSED  {line}")
        for line in report.wrongly_hidden:
            print(f"WRONGLY HIDDEN  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
