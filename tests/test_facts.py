"""Payment details pulled out of merchants' messages (handlers/facts.py), in English and
Swahili, as merchants write them."""

from __future__ import annotations

import pytest

from handlers.facts import (
    AMOUNT,
    ENDPOINT,
    HTTP,
    ORDER,
    PHONE,
    REQUEST,
    STATUS,
    dumps,
    extract,
    line,
    loads,
    matches,
    merged,
    search_forms,
)


def test_a_stuck_ussd_push_in_english() -> None:
    facts = extract(
        "USSD push for order ORD20261130A7K9 stays PROCESSING. Customer 0754 111 222 paid "
        "TZS 50,000 but GET /third-parties/payments/ORD20261130A7K9 returns 404 Not Found."
    )
    assert facts == {
        ORDER: ["ORD20261130A7K9"],
        PHONE: ["+255754111222"],
        AMOUNT: ["TZS 50000"],
        HTTP: ["404"],
        ENDPOINT: ["/third-parties/payments/ORD20261130A7K9"],
        STATUS: ["PROCESSING"],
    }
    assert line(facts) == (
        "ORD20261130A7K9 · +255754111222 · TZS 50,000 · HTTP 404 · "
        "/third-parties/payments/ORD20261130A7K9 · PROCESSING"
    )


def test_the_same_payment_in_swahili() -> None:
    facts = extract(
        "Habari, mteja wa simu 255754111222 alilipa shilingi 25,000 lakini hali ni PENDING. "
        "Oda namba ORD2026113000412, napata 401 kila mara."
    )
    assert facts == {
        ORDER: ["ORD2026113000412"],
        PHONE: ["+255754111222"],
        AMOUNT: ["TZS 25000"],
        HTTP: ["401"],
        STATUS: ["PENDING"],
    }


@pytest.mark.parametrize("written", ["0754 111 222", "255754111222", "+255 754 111 222"])
def test_tanzanian_numbers_are_one_number_in_e164(written: str) -> None:
    assert extract(f"Mteja {written} hajapokea USSD push")[PHONE] == ["+255754111222"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("paid TZS 50,000 twice", "TZS 50000"),
        ("paid 50000 tsh twice", "TZS 50000"),
        ("card charged $12.50, twice", "USD 12.50"),
        ("USD 1,250.00 payout", "USD 1250.00"),
        ("alilipa 10,000/= jana", "TZS 10000"),
        ("Tsh 1,000,000 imekatwa", "TZS 1000000"),
    ],
)
def test_amounts_keep_their_currency(text: str, amount: str) -> None:
    assert extract(text)[AMOUNT] == [amount]


def test_a_payout_reversed_with_a_request_id() -> None:
    facts = extract(
        "Payout PAYOUT20261130Q7 was REVERSED. request id 3f2b8c1e-9a7d-4c5e-b6f1-2a3b4c5d6e7f, "
        "POST /third-parties/payouts/create-mobile-money-payout gave HTTP 400, amount $12.50"
    )
    assert facts[REQUEST] == ["PAYOUT20261130Q7", "3f2b8c1e-9a7d-4c5e-b6f1-2a3b4c5d6e7f"]
    assert facts[STATUS] == ["REVERSED"]
    assert facts[HTTP] == ["400"]
    assert facts[ENDPOINT] == ["/third-parties/payouts/create-mobile-money-payout"]


def test_a_pasted_webhook_body() -> None:
    facts = extract(
        '{"event":"PAYMENT RECEIVED","data":{"orderReference":"ORD20261130A7K9",'
        '"amount":"50000","currency":"TZS","status":"SUCCESS","customer":'
        '{"phone":"255712345678"}}}'
    )
    assert facts == {
        ORDER: ["ORD20261130A7K9"],
        PHONE: ["+255712345678"],
        AMOUNT: ["TZS 50000"],
        STATUS: ["SUCCESS"],
    }


def test_statuses_in_prose_need_capitals_or_a_label() -> None:
    assert extract("the payment failed and was reversed") == {}
    assert extract("status: failed, txn TXN-7F3K9Q2M-2026") == {
        REQUEST: ["TXN-7F3K9Q2M-2026"],
        STATUS: ["FAILED"],
    }
    assert extract("Muamala namba MP231130.1234.A56789 una hali ya malipo ni reversed") == {
        REQUEST: ["MP231130.1234.A56789"],
        STATUS: ["REVERSED"],
    }


def test_http_codes_need_their_context() -> None:
    assert extract("We got 500 Internal Server Error, then 429 Too Many Requests")[HTTP] == [
        "500",
        "429",
    ]
    assert extract("Payments fail with 500 since 09:00")[HTTP] == ["500"]
    assert HTTP not in extract("We sold 500 items for 200 customers")


def test_plain_questions_have_no_facts() -> None:
    assert extract("Ninataka kuunganisha malipo ya USSD push, naweza kuanzia wapi?") == {}
    assert extract("How do I enable the payout API?") == {}


def test_markers_of_hidden_secrets_are_never_facts() -> None:
    assert extract("api-key: [hidden: API key], card [imefichwa: namba ya kadi]") == {}


def test_merge_keeps_order_and_a_limit() -> None:
    old = {ORDER: ["ORD1A"], PHONE: ["+255754111222"]}
    new = {ORDER: ["ORD1A", "ORD2B"], STATUS: ["FAILED"]}
    assert merged(old, new) == {
        ORDER: ["ORD1A", "ORD2B"],
        PHONE: ["+255754111222"],
        STATUS: ["FAILED"],
    }
    many = {ORDER: [f"ORD{n}" for n in range(30)]}
    assert len(merged({}, many)[ORDER]) == 10
    assert loads(dumps(merged(old, new))) == merged(old, new)
    assert loads("not json") == {} and loads(None) == {}


@pytest.mark.parametrize(
    "query",
    [
        "ORD20261130A7K9",
        "ord20261130a7k9",
        "0754 111 222",
        "+255754111222",
        "255754111222",
        "50000",
        "TZS 50,000",
        "processing",
        "401",
    ],
)
def test_find_matches_facts_however_they_are_written(query: str) -> None:
    facts = extract(
        "order ORD20261130A7K9, phone 0754111222, TZS 50,000, status PROCESSING, HTTP 401"
    )
    assert matches(facts, query)


def test_find_does_not_match_other_values() -> None:
    facts = extract("order ORD20261130A7K9, phone 0754111222")
    assert not matches(facts, "ORD2026") and not matches(facts, "0754111223")
    assert not matches(facts, "")


def test_the_line_is_cut_for_a_long_paste() -> None:
    facts = {REQUEST: [f"req-{n:04d}-abcdefghijklmnopqrstuvwxyz" for n in range(10)]}
    shown = line(facts, limit=120)
    assert len(shown) <= 120 and shown.endswith("…") and "\n" not in shown


def test_search_forms_for_find() -> None:
    assert search_forms("0754111222") == ["0754111222", "+255754111222"]
    assert search_forms("255754111222") == ["255754111222", "+255754111222"]
    assert search_forms("50,000") == ["50,000", "50000"]
    assert search_forms("ORD20261130A7K9") == ["ORD20261130A7K9"]
    assert search_forms("2026") == ["2026"]
