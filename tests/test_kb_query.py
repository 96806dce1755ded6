"""Developer-style messages: identifiers split, error strings weighed, the story discounted."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.knowledge import KnowledgeBase
from handlers.knowledge.query import (
    CONTEXT_WEIGHT,
    ERROR_WEIGHT,
    Piece,
    error_strings,
    pieces,
    split_identifiers,
)

ROOT = Path(__file__).resolve().parent.parent
KB = KnowledgeBase.load(ROOT / "kb")
VOCABULARY = KB._vocabulary


def test_unknown_camel_case_identifiers_become_words() -> None:
    text = "getPaymentStatus and phoneNumber, but checksumMethod and ClickPesa stay whole"
    assert split_identifiers(text, VOCABULARY) == (
        "get Payment Status and phone Number, but checksumMethod and ClickPesa stay whole"
    )
    assert split_identifiers("order_reference", VOCABULARY) == "order_reference"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"errorCode": "E401", "errorMessage": "Invalid Access Token"}', "Invalid Access Token"),
        ('{"error_description":"token expired"}', "token expired"),
        ("every call returns 429 Too Many Requests since noon", "429 Too Many Requests"),
        ("java.lang.IllegalStateException: Checksum key missing", "Checksum key missing"),
        ("the API says “retry after 12 seconds” each time", "retry after 12 seconds"),
    ],
)
def test_error_strings_are_found(text: str, error: str) -> None:
    assert error in error_strings(text)


def test_a_one_word_quote_is_not_an_error_string() -> None:
    assert error_strings('we send "currency" as "TZS"') == []


def test_a_plain_question_is_one_piece_as_before() -> None:
    assert pieces("how do I get a token?") == [Piece("how do I get a token?", 1.0)]
    story_only = "We deployed yesterday. Nothing works."
    assert pieces(story_only) == [Piece(story_only, 1.0)]


def test_the_story_around_a_question_counts_less_than_the_question_and_errors() -> None:
    message = (
        "We moved to a new server last week. "
        'Now every request fails with {"message": "Invalid checksum"}. '
        "How is it computed?"
    )
    found = pieces(message)
    assert Piece("Invalid checksum", ERROR_WEIGHT) in found
    assert Piece("How is it computed?", 1.0) in found
    assert Piece("We moved to a new server last week.", CONTEXT_WEIGHT, story=True) in found


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        (
            "We finished the payout module yesterday and the unit tests pass against our mock. "
            "Against your API every payout comes back with "
            '{"errorMessage": "Invalid checksum"}. We sign json.dumps(body) with the checksum '
            "key. What are we doing wrong?",
            "checksum",
        ),
        (
            "Our mobile team built the payment screen over the weekend and the QA build hits "
            "the API with the number the user types. The response body is "
            '{"errorMessage": "Invalid phone number"}. What format do you expect?',
            "phone-format",
        ),
        (
            "Could someone explain what values paymentStatus can take? Our switch statement "
            "only knows SUCCESS and FAILED.",
            "payment-status",
        ),
    ],
)
def test_developer_messages_find_their_entry(message: str, entry: str) -> None:
    found = KB.answer(message)
    assert found is not None and found.best.entry.id == entry


def test_a_content_free_question_after_an_off_topic_story_is_not_answered() -> None:
    message = (
        "Our Jenkins pipeline fails at the lint step with 'ESLint couldn't find the plugin "
        "eslint-plugin-react' after we bumped node to 20. Any idea?"
    )
    assert KB.answer(message) is None


def test_a_long_pasted_message_stays_fast_enough_to_search() -> None:
    # Pathological shapes for the patterns: dotted names, quotes, camelCase, all at the limit.
    for message in ("a." * 2000 + "Exception: x", '"ab cd" ' * 500, "aB" * 2000):
        KB.search(message)  # completes; speed is measured in benchmarks/kb_eval.py
