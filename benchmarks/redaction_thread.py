"""How long redacting a text attachment holds the event loop, by size: the figure behind
`handlers.downloads.THREAD_ABOVE` (texts larger than that are redacted in a worker thread, so
one merchant's 20 MB log does not stall every other conversation).

Usage: python benchmarks/redaction_thread.py [--sizes 4096,65536,...]

Prints, per size of a realistic log (payment API lines with request ids, amounts, phone
numbers, and now and then a key): the time `redact` takes inline (all of it a stall of the
loop), the time through `asyncio.to_thread`, and the longest the loop then waited to run a
ticking task (the regex engine keeps the GIL, but the interpreter switches threads every few
milliseconds, so the loop's stall is bounded).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handlers.redaction import redact  # noqa: E402

LINE = (
    "2026-11-30T09:{m:02d}:{s:02d}Z POST /third-parties/payments/initiate-ussd-push-request "
    "orderReference=ORD{n:08d} amount=15000 TZS phone=255754{n6:06d} status=PROCESSING "
    "requestId=3f6c{n:08x}-aa10-4c2b-9d1e-55aa{n:08x}\n"
)
# A key of the shape the redaction looks for, made up here and plainly fake (a real or
# published-looking one trips secret scanners); written in parts so no key sits in the source.
SECRET_LINE = "api-key: " + "sk" + "_test_" + "notarealkey{n:08d}\n"


def log_of(size: int) -> str:
    lines, total, n = [], 0, 0
    while total < size:
        line = (SECRET_LINE if n % 500 == 499 else LINE).format(
            m=n // 60 % 60, s=n % 60, n=n, n6=n % 1_000_000
        )
        lines.append(line)
        total += len(line)
        n += 1
    return "".join(lines)[:size]


async def threaded(text: str) -> tuple[float, float]:
    """The time through a thread, and the loop's longest stall meanwhile."""
    longest = 0.0
    done = False

    async def tick() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    await asyncio.to_thread(redact, text, "en")
    took = time.perf_counter() - started
    done = True
    await ticker
    return took, longest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1024,16384,65536,262144,1048576,4194304")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    # Warm-up: the first size would otherwise include compiling the patterns and loading
    # the translations.
    redact(log_of(4096), "en")
    print(f"{'size':>10} {'inline ms':>10} {'thread ms':>10} {'loop stall ms':>14}")
    for size in sizes:
        text = log_of(size)
        started = time.perf_counter()
        redact(text, "en")
        inline = time.perf_counter() - started
        through, stall = asyncio.run(threaded(text))
        print(f"{size:>10} {inline * 1000:>10.1f} {through * 1000:>10.1f} {stall * 1000:>14.1f}")


if __name__ == "__main__":
    main()
