"""Is this first message clearly Swahili (or clearly English)?

Short greetings are recognised from a word list: no statistical detector can be sure of one word,
and "Habari", "Shikamoo" or "Mambo" is how most Swahili conversations open. Longer text goes to
Lingua (restricted to English and Swahili, the only two the desk speaks), after removing what says
nothing about the language: ticket references, numbers, links, and the technical terms Swahili
speakers keep in English ("webhook", "API", "checksum"), which would otherwise pull a Swahili
sentence towards English. Anything not clearly one language gives None, and the desk keeps its
default.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Openings, courtesy and question words only Swahili uses; with at most a few words around them
# they decide the language on their own.
SWAHILI_MARKERS = frozenset(
    (
        "habari", "hujambo", "hamjambo", "sijambo", "shikamoo", "shikamo", "marahaba", "mambo",
        "vipi", "niaje", "salama", "salaam", "jambo", "karibu", "asante", "ahsante", "tafadhali",
        "samahani", "naomba", "nisaidie", "msaada", "ndiyo", "ndio", "hapana", "sawa", "poa",
        "mchana", "asubuhi", "jioni", "usiku", "mzima", "nini", "gani", "wapi", "lini", "nani",
        "je",
    )
)  # fmt: skip
MARKER_WORDS = 3
# Below this many letters (after cleaning) Lingua is guessing; only the marker words count.
MIN_LETTERS = 8
CONFIDENCE = 0.8
_NOISE = re.compile(
    r"https?://\S+|\b[A-Za-z]{1,10}-\d+\b|\S+@\S+|[\d_]+|"
    r"\b(?:api|apis|api key|webhooks?|callbacks?|tokens?|jwt|bearer|checksums?|ussd push|ussd|"
    r"kyc|sla|billpay|json|http|https|ip|whitelist|endpoints?|headers?|dashboard|clickpesa|"
    r"m-pesa|mpesa|tigo pesa|airtel money|halopesa|telegram|slack|staging|production|"
    r"sandbox|url|urls|id|ids|status|payout|payouts)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _detector() -> Any:
    # Imported and built once, on first use: the models load lazily (about 0.6 s, 80 MB).
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SWAHILI).build()


def warm_up() -> None:
    """Load the models now rather than during someone's first message."""
    detect("habari za leo, malipo yangu yamekwama")


def detect(text: str) -> str | None:
    """ "sw" or "en" when `text` is clearly that language, else None."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    if len(words) <= MARKER_WORDS and any(w in SWAHILI_MARKERS for w in words):
        return "sw"
    cleaned = " ".join(_WORD.findall(_NOISE.sub(" ", text)))
    if sum(len(w) for w in cleaned.split()) < MIN_LETTERS:
        return None
    from lingua import Language

    best = max(
        _detector().compute_language_confidence_values(cleaned), key=lambda value: value.value
    )
    if best.value < CONFIDENCE:
        return None
    return "sw" if best.language == Language.SWAHILI else "en"
