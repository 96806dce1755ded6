"""Deciding what a merchant's free text is for, before any flow runs.

Precise rules first, then a small learned model for the rest. Rules alone were tried first: they
reached 100% on the sets they were tuned on and 72.5% on a set written blind, because phrasing
varies more than a lexicon can list. What rules still decide: greetings and acknowledgements said
alone, explicit urgency words ("urgent", "haraka", "production down"), a status question without
a ticket needs status words, and a follow-up needs an active ticket. Everything else is read by
a naive Bayes model (learned.py) over words, word pairs, letter groups (typos, Swahili affixes)
and context: an active ticket, shared topic, pasted details, which lexicon groups match, asking
anywhere (with or without "?"), asking about progress or timing, and handing over counts or
what was tried.

A message for the knowledge base that is nevertheless tied to an active ticket (it shares the
ticket's topic, names its details, hands something over, or the model gives the ticket-bound
labels `DOUBT` or more) is not answered from the knowledge base outright: `decide` marks it for
the question "About INT-4 or something new?", so a follow-up misread still cannot be answered
with an unrelated entry.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from handlers.routing import learned, lexicon

FOLLOWUP = "followup"
STATUS = "status"
QUESTION = "question"
NEW_ISSUE = "new_issue"
URGENT = "urgent"
GREETING = "greeting"
OTHER = "other"


class Label(StrEnum):
    followup = FOLLOWUP
    status = STATUS
    question = QUESTION
    new_issue = NEW_ISSUE
    urgent = URGENT
    greeting = GREETING
    other = OTHER


@dataclass(frozen=True, slots=True)
class Topic:
    """What an active ticket is about: its title and details, for tying a message to it."""

    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a message goes (`label`) and, for a knowledge-base-bound message, the indexes of the
    active tickets it is tied to (`tied`): those are offered before any answer."""

    label: Label
    tied: tuple[int, ...] = ()

    @property
    def confirm(self) -> bool:
        return bool(self.tied)


# Words end at a space or the end: each token is read one way, so the match stays linear.
_GREETING_ALONE = re.compile(
    rf"^(?:(?:{lexicon.GREETING}|{lexicon.FILLER}|{lexicon.ACKNOWLEDGE}|[?!])(?: |$))+$"
)
_GREETING_WORD = re.compile(rf"(^| )({lexicon.GREETING})( |$)")
_ACKNOWLEDGE_ALONE = re.compile(rf"^(?:(?:{lexicon.ACKNOWLEDGE}|{lexicon.FILLER}|[?!])(?: |$))+$")
SHORT = 8  # greetings and thanks said alone are short; longer text is never only that
_STATUS = lexicon.compile_all(lexicon.STATUS)
_FOLLOWUP = lexicon.compile_all(lexicon.FOLLOWUP)
_FOLLOWUP_WEAK = lexicon.compile_all(lexicon.FOLLOWUP_WEAK)
_URGENT = lexicon.compile_all(lexicon.URGENT)
_QUESTION = lexicon.compile_all(lexicon.QUESTION)
_PROBLEM = lexicon.compile_all(lexicon.PROBLEM)
_ASKS = lexicon.compile_all(lexicon.ASKS)
_REQUEST = lexicon.compile_all(lexicon.REQUEST)
_PROGRESS = lexicon.compile_all(lexicon.PROGRESS)
_FACTS = lexicon.compile_all(lexicon.FACTS)
_DOMAIN = re.compile(lexicon.DOMAIN)
_SOON = re.compile(r"\b(immediately|instantly|right away)\b")
_PROVIDERS = [(name, re.compile(rf"\b({p})\b")) for name, p in lexicon.PROVIDERS.items()]
# Details a merchant pastes or names: a URL, an id with a digit in it (ORD77, 7781), a log.
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)([^\s<>\"']+)|\b([a-z0-9-]+(?:\.[a-z0-9-]+)+/[^\s<>\"']*)"
)
_IDENT = re.compile(r"(?<![\w.:/-])([A-Za-z0-9]*\d[A-Za-z0-9_-]*)(?![\w/-])")
# An amount with separators (50,000) or a long number (a phone, a receipt) is a pasted detail too.
_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\d{7,}")
_LOG = re.compile(r"[{}\[\]]\s*\"|\bHTTP/\d|Traceback|\bat [\w.$]+\(|^\s*\d{4}-\d\d-\d\d[T ]", re.M)
_OWN_TICKET = re.compile(lexicon.OWN_TICKET)
_VOCABULARY = lexicon.words_of(
    lexicon.STATUS,
    lexicon.FOLLOWUP,
    lexicon.FOLLOWUP_WEAK,
    lexicon.URGENT,
    lexicon.QUESTION,
    lexicon.PROBLEM,
    lexicon.DOMAIN,
    lexicon.GREETING,
    lexicon.ACKNOWLEDGE,
)
# Sorted so a misspelling equally close to two words is always read as the same one.
_ORDERED = sorted(_VOCABULARY)
_TOKEN = re.compile(r"[a-z0-9]+|[?!]")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# A how-to question ("how do I compute the checksum?") is for the knowledge base even when an
# active ticket shares its topic; a complaint that shares the topic is about the ticket.
_HOW_TO = re.compile(
    r"^(how (do|can|should|to)|what (is|are|does)|where (do|can|is)|which|is there|do you "
    r"(support|have|offer)|nawezaje|tunawezaje|jinsi ya|namna ya)\b"
)
MAX_CLASSIFIED = 2000  # characters looked at: intent shows in the first lines


def normalise(text: str) -> str:
    """Lower case, accents and apostrophes dropped, repeated letters squeezed, typos corrected
    to the lexicon's words, tokens joined by single spaces."""
    folded = unicodedata.normalize("NFKD", text[:MAX_CLASSIFIED].lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’`´]", "", folded)
    folded = _REPEATS.sub(r"\1", folded)
    return " ".join(_correct(token) for token in _TOKEN.findall(folded))


@lru_cache(maxsize=4096)
def _correct(token: str) -> str:
    if token in lexicon.SHORTHAND:
        return lexicon.SHORTHAND[token]
    if len(token) < 4 or token in _VOCABULARY or token.isdigit():
        return token
    limit = 2 if len(token) >= 9 else 1
    best, best_distance = token, limit + 1
    for word in _ORDERED:
        if abs(len(word) - len(token)) > limit or word[0] != token[0]:
            continue
        if len(token) == 4 and len(word) != 5:
            continue  # a four-letter word is only read as a five-letter one missing a letter
        distance = _distance(token, word, limit)
        if distance < best_distance:
            best, best_distance = word, distance
    return best


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), cut off above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    return {
        _stem(w)
        for w in text.split()
        if len(w) >= 4 and not w.isdigit() and w not in lexicon.STOPWORDS
    }


LOOSE, NORMAL, STRONG = 0, 1, 2  # how much topic a message must share to be tied to a ticket


def overlaps(normalised: str, topics: Sequence[Topic], strength: int = NORMAL) -> bool:
    """Whether the message shares the topic of an active ticket: two telling words, or one in
    a short message ("payouts REVERSED now"); STRONG always wants two, LOOSE only one."""
    words = _content(normalised)
    if not words:
        return False
    short = len(normalised.split()) <= 6
    needed = 1 if strength == LOOSE or (short and strength == NORMAL) else 2
    for topic in topics:
        if len(words & _content(normalise(f"{topic.title} {topic.description[:600]}"))) >= needed:
            return True
    return False


def _details(text: str) -> set[str]:
    """URLs (without the scheme), ids holding a digit (four characters or more) and payment
    providers named in `text`, in one comparable form."""
    text = text[:MAX_CLASSIFIED]
    found = {(a or b).rstrip(".,;)").lower() for a, b in _URL.findall(text)}
    found |= {m.lower() for m in _IDENT.findall(_URL.sub(" ", text)) if len(m) >= 4}
    s = normalise(text)
    found |= {name for name, pattern in _PROVIDERS if pattern.search(s)}
    return found


def _pasted(text: str) -> bool:
    """A URL, an id or a log pasted in: the merchant hands over details."""
    text = text[:MAX_CLASSIFIED]
    return bool(_URL.search(text) or _LOG.search(text) or _NUMBER.search(text)) or any(
        len(m) >= 5 for m in _IDENT.findall(text)
    )


def tied(text: str, topics: Sequence[Topic], strength: int = NORMAL) -> tuple[int, ...]:
    """The active tickets `text` is tied to: it shares their topic (as much as `strength` asks)
    or names their details."""
    s, mine = normalise(text), _details(text)
    return tuple(
        i
        for i, topic in enumerate(topics)
        if overlaps(s, (topic,), strength)
        or mine & _details(f"{topic.title} {topic.description[:600]}")
    )


def referenced_numbers(text: str, prefix: str = "INT") -> set[int]:
    """Ticket numbers the text names, typed loosely: "INT-4", "int 4", "#4"."""
    pattern = rf"(?:\b{re.escape(prefix)}\s*-?\s*#?|#)(\d{{1,12}})\b"
    return {int(m.group(1)) for m in re.finditer(pattern, text, re.IGNORECASE)}


def decide(
    text: str,
    active: Sequence[Topic] = (),
    model: learned.NaiveBayes | None = None,
    *,
    named: bool = False,
) -> Decision:
    """Where `text` goes and, when it is bound for the knowledge base although it is tied to
    active tickets (by topic, details, follow-up words, or the model's doubt), which tickets to
    offer first.

    Follow-up words alone ("I keep getting 401") tie it to every active ticket, and so does a
    model that gives the ticket-bound labels together `DOUBT` or more: the merchant may still
    mean the ticket, and asking costs one tap where an unrelated answer costs them their ticket."""
    label, about_ticket = _judge(text, active, model)
    if named and active and label in (Label.question, Label.new_issue, Label.other):
        # "int 5: same 401 with a new key": the merchant said which ticket; a knowledge-base
        # answer or the menu would take the message away from it.
        return Decision(Label.followup)
    if not active or label not in (Label.question, Label.new_issue):
        return Decision(label)
    # One shared word is enough to ask ("what is wrong with the checksum thing?").
    found = tied(text, active, LOOSE)
    if not found:
        s = normalise(text)
        signals = (_FOLLOWUP, _FOLLOWUP_WEAK)
        doubt = about_ticket >= DOUBT
        if doubt or _OWN_TICKET.search(s) or any(_any(p, s) for p in signals):
            found = tuple(range(len(active)))
    return Decision(label, found)


DOUBT = 0.2  # the model's probability of followup + status above which the guard asks first


def classify(
    text: str, active: Sequence[Topic] = (), model: learned.NaiveBayes | None = None
) -> Label:
    """Where `text` goes, for a merchant whose active tickets are `active` (none: empty)."""
    return _judge(text, active, model)[0]


def _judge(
    text: str, active: Sequence[Topic], model: learned.NaiveBayes | None
) -> tuple[Label, float]:
    """The label, and the probability the model gives the ticket-bound labels together."""
    s = normalise(text)
    alone = _said_alone(s, active)
    if alone is not None:
        return alone, 0.0
    said, context = features(text, active, s)
    p = (model or learned.model()).probabilities(said, context)
    if not active:
        p.pop(FOLLOWUP, None)  # nothing to follow up on
        if not _any(_STATUS, s):
            # Without a ticket, "status" only answers "you have no open tickets": it takes the
            # words of a status question, not a guess ("what's the weather today?").
            p.pop(STATUS, None)
    asks = _any(_STATUS, s) or _any(_QUESTION, s) or _any(_ASKS, s) or _any(_REQUEST, s)
    if not asks:
        p.pop(STATUS, None)  # a status question asks: a statement adds to the ticket instead
    label = Label(max(p, key=lambda k: p[k]))
    if label == Label.new_issue:
        label = _not_new(text, s, active)
    about_ticket = p.get(FOLLOWUP, 0.0) + p.get(STATUS, 0.0)
    # "urgent", "haraka", "production down" are said on purpose: the Critical offer is one tap
    # away from a plain report, and missing it costs far more. Unless the message may be about
    # the active ticket: then the guard asks first (decide).
    doubt = active and (about_ticket >= DOUBT or tied(text, active, LOOSE))
    urgent = _any(_URGENT, s)
    if urgent and label == Label.question and _any(_ASKS, s):
        # "does the old key stop working immediately?" asks how soon, not for help now.
        urgent = _any(_URGENT, _SOON.sub(" ", s))
    if label not in (Label.followup, Label.status) and urgent and not doubt:
        label = Label.urgent
    return label, about_ticket


def _not_new(text: str, s: str, active: Sequence[Topic]) -> Label:
    """A message the model reads as a new problem that is rather a question (asked without "?",
    nothing wrong said: "checksum lazima iwe hex au base64") or more facts for the active ticket
    (counts or what was tried, on the ticket's own topic: "counted today: 27 calls, all 27
    rejected with checksum mismatch")."""
    asks = _any(_ASKS, s)
    if asks and not _any(_PROBLEM, s):
        return Label.question
    if active and not asks and _any(_FACTS, s) and tied(text, active, STRONG):
        return Label.followup
    return Label.new_issue


def _said_alone(s: str, active: Sequence[Topic]) -> Label | None:
    """Greetings and acknowledgements said alone: precise rules, decided before the model."""
    if not s.replace("?", "").replace("!", "").strip():
        return Label.other
    short = len(s.split()) <= SHORT
    if short and _GREETING_ALONE.match(s):
        if _GREETING_WORD.search(s) or (active and s.rstrip(" ?") == "sasa"):
            if active and re.match(r"^(sasa|vipi) \?", s):
                return Label.status
            return Label.greeting
        return Label.other
    if short and _ACKNOWLEDGE_ALONE.match(s):
        return Label.other
    return None


_GROUPS = (
    ("status", _STATUS),
    ("followup", _FOLLOWUP),
    ("weak", _FOLLOWUP_WEAK),
    ("urgent", _URGENT),
    ("question", _QUESTION),
    ("problem", _PROBLEM),
)


def features(
    text: str, active: Sequence[Topic] = (), s: str | None = None
) -> tuple[list[str], list[str]]:
    """What `text` says (words, word pairs, letter groups of 3 to 5 that survive typos and
    Swahili affixes) and its context (an active ticket, shared topic, pasted details, which
    lexicon groups match), for the model (learned.NaiveBayes)."""
    s = normalise(text) if s is None else s
    words = s.split()
    said = [f"w:{w}" for w in words]
    said += [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    if words:
        said.append(f"first:{words[0]}")
    for w in set(words):
        padded = f" {w} "
        said += [f"c:{padded[i : i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    context = [f"ticket:{bool(active):d}", f"asks:{'?' in s:d}", f"pasted:{_pasted(text):d}"]
    if active:
        context.append(f"tied:{bool(tied(text, active, LOOSE)):d}")
        context.append(f"tied2:{bool(tied(text, active, STRONG)):d}")
    context += [f"{name}:{_any(patterns, s):d}" for name, patterns in _GROUPS]
    context.append(f"own:{_OWN_TICKET.search(s) is not None:d}")
    context.append(f"domain:{_DOMAIN.search(s) is not None:d}")
    context.append(f"howto:{_HOW_TO.match(s) is not None:d}")
    context.append(f"greets:{_GREETING_WORD.search(s) is not None:d}")
    context.append(f"length:{min(len(words) // 4, 4)}")
    # Asking (anywhere, "?" or not) about the ticket's progress or timing is a status question;
    # stating counts and what was tried adds to the ticket: each read with and without a ticket.
    asks = _any(_ASKS, s) or _any(_QUESTION, s)
    request = _any(_REQUEST, s)
    if asks:
        context.append("asks_any")
    if request:
        context.append("request")
    if (asks or request) and _any(_PROGRESS, s):
        context.append(f"progress:{bool(active):d}")
    if active and not asks and _any(_FACTS, s):
        context.append("facts")
    return said, context
