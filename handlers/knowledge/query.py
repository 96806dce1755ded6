"""Which parts of a message carry the question, for messages written the way developers post.

A developer's message is rarely one question: it tells a story ("we integrated last week on
Laravel..."), pastes an error body (`{"errorMessage": "Invalid Access Token"}`), names methods and
fields (`getPaymentStatus`, `phoneNumber`) and then asks something short ("what am I doing
wrong?"). Searching all of it with equal weight lets the story outvote the error, and every word
the knowledge base does not know lowers the coverage of the right entry.

So a message is cut into weighted pieces: error strings (quoted messages, JSON error fields,
"401 Unauthorized", exception messages) and question sentences count fully, the other sentences
count half. A one-sentence question, or a message with neither a question sentence nor an error
string, is searched as it is, exactly as before. camelCase identifiers the knowledge base does not
know as one word are split into their words ("getPaymentStatus" -> "get Payment Status");
snake_case is already split by the tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.knowledge.text import fold, stem

ERROR_WEIGHT = 1.5
QUESTION_WEIGHT = 1.0
CONTEXT_WEIGHT = 0.7
# Only this much of a message is looked at for pieces: a pasted log does not need to be read to
# its end to find the question, and the pattern matching stays linear in a bounded input.
MAX_SCANNED = 4000

_CAMEL = re.compile(r"\b[A-Za-z][A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*\b")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_JSON_ERROR = re.compile(
    r'"(?:error[_ ]?(?:code|message|description|msg)?|message|msg|detail|details|reason|'
    r'description|status[_ ]?message)"\s*:\s*"([^"\n]{1,300})"',
    re.IGNORECASE,
)
_HTTP_STATUS = re.compile(r"\b[1-5]\d\d(?:\s+[A-Z][A-Za-z]*){1,4}")
# Bounded repeats keep every pattern linear in the message length (no quadratic backtracking).
_EXCEPTION = re.compile(r"\b\w{0,80}(?:Exception|Error):\s*([^\n]{1,200})")
_QUOTED = re.compile(r"\"([^\"\n]{3,200})\"|“([^”\n]{3,200})”|'([^'\n]{3,200})'")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_QUESTION_OPENING = re.compile(
    r"^(?:how|what|whats|why|where|which|when|who|can|could|is|are|do|does|did|should|will|"
    r"would|may|must|je|kwa nini|kwanini|nini|vipi|ni nini|naweza|tunaweza|tufanye|nifanye)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    weight: float
    story: bool = False  # context around the question, not the question or an error


def pieces(message: str, vocabulary: frozenset[str] = frozenset()) -> list[Piece]:
    """The parts of `message` to search, each with the weight its words carry."""
    text = split_identifiers(message[:MAX_SCANNED], vocabulary)
    errors = error_strings(text)
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    questions = [s for s in sentences if is_question(s)]
    if not errors and (not questions or len(questions) == len(sentences)):
        return plain(message, vocabulary)
    found = [Piece(error, ERROR_WEIGHT) for error in errors]
    for sentence in sentences:
        if sentence in questions:
            found.append(Piece(sentence, QUESTION_WEIGHT))
        else:
            found.append(Piece(sentence, CONTEXT_WEIGHT, story=True))
    return found


def plain(message: str, vocabulary: frozenset[str] = frozenset()) -> list[Piece]:
    """The whole message as one piece, identifiers split: for when the question says nothing
    by itself and the story is all there is."""
    return [Piece(split_identifiers(message, vocabulary), 1.0)]


def split_identifiers(text: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """camelCase words the vocabulary does not hold as one term, written as separate words."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        if stem(fold(word)) in vocabulary:
            return word
        return _CAMEL_BOUNDARY.sub(" ", word)

    return _CAMEL.sub(split, text)


def error_strings(text: str) -> list[str]:
    """Error messages pasted into `text`: JSON error fields, HTTP status lines, exception
    messages, and quoted phrases of two words or more."""
    found: list[str] = []
    found.extend(m.group(1) for m in _JSON_ERROR.finditer(text))
    found.extend(m.group(0) for m in _HTTP_STATUS.finditer(text))
    found.extend(m.group(1) for m in _EXCEPTION.finditer(text))
    for match in _QUOTED.finditer(text):
        quoted = next(group for group in match.groups() if group is not None)
        if len(quoted.split()) >= 2:
            found.append(quoted)
    unique: list[str] = []
    for error in found:
        if error.strip() and error not in unique:
            unique.append(error.strip())
    return unique


def is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped.endswith(("?", "？")) or _QUESTION_OPENING.match(stripped) is not None
