"""Payment details pulled out of what merchants write (title, details, follow-ups) and kept on the
ticket: ClickPesa order references, request and transaction ids, phone numbers (E.164, through
the `phonenumbers` library; Tanzanian numbers written `0754 111 222`, `255754111222` or
`+255 754 111 222` are one number), amounts with their currency (TZS, USD), HTTP status codes,
API endpoint paths (`/third-parties/payments/...`) and payment or payout statuses.

The team reads them in one line on the alert and in `show`; `find` matches them; the ticket's
JSON has them as a `facts` object (kind -> values). Texts reach here already redacted, so a
secret can never become a fact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

ORDER = "order_references"
REQUEST = "request_ids"
PHONE = "phone_numbers"
AMOUNT = "amounts"
HTTP = "http_statuses"
ENDPOINT = "endpoints"
STATUS = "statuses"
KINDS = (ORDER, REQUEST, PHONE, AMOUNT, HTTP, ENDPOINT, STATUS)
# Values kept per kind: a pasted log must not grow a ticket's facts (or its alert) without end.
MAX_PER_KIND = 10
REGION = "TZ"  # numbers written without a country code are Tanzanian

Facts = dict[str, list[str]]

# Statuses of ClickPesa payments and payouts (../shared/domain/clickpesa-facts.md).
PAYMENT_STATUSES = (
    "SUCCESS",
    "SETTLED",
    "PROCESSING",
    "PENDING",
    "FAILED",
    "ON-HOLD",
    "REFUNDED",
    "REVERSED",
    "AUTHORIZED",
)
_STATUS_WORD = re.compile(r"(?<![A-Za-z-])(" + "|".join(PAYMENT_STATUSES) + r")(?![A-Za-z-])")
# `"status": "failed"`, `status: reversed`, `hali ni PENDING`: any case after a status label.
_STATUS_LABELLED = re.compile(
    r"(?i)\b(?:status|hali)[\"']?\s*(?:[:=]|is|ni|ya\s+malipo\s+ni)\s*[\"']?("
    + "|".join(PAYMENT_STATUSES)
    + r")\b"
)

_ID = r"[\"']?\s*(?:no\.?|number|namba|ni|is|id|#)?\s*[:=#]?\s*[\"']?"
_ORDER = re.compile(
    r"(?i)\b(?:order[-_ ]?ref(?:erence)?|order(?:[-_ ]?(?:id|no|number))?|oda|"
    r"kumbukumbu(?:\s+ya\s+oda)?)" + _ID + r"(?P<value>[A-Za-z0-9]{4,40})\b"
)
# ClickPesa-style references written alone: ORD20261130A7K9.
_ORDER_SHAPE = re.compile(r"\bORD[A-Z0-9]{6,34}\b")
_REQUEST = re.compile(
    r"(?i)\b(?:x-)?(?:request[-_ ]?id|requestId|request|transaction[-_ ]?(?:id|ref(?:erence)?)|"
    r"transactionId|txn(?:[-_ ]?id)?|trx(?:[-_ ]?id)?|receipt(?:[-_ ]?(?:no|number))?|"
    r"payment[-_ ]?reference|paymentReference|payout(?:[-_ ]?(?:id|reference))?|"
    r"muamala|risiti|id\s+ya\s+(?:ombi|muamala))"
    + _ID
    + r"(?P<value>[A-Za-z0-9][A-Za-z0-9_.-]{3,63})\b"
)
_CURRENCY_FIRST = re.compile(
    r"(?i)(?<![A-Za-z])(?P<currency>TZS|TSH|Tsh\.?|Sh\.?|shilingi|USD|US\$|\$)\s?"
    r"(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(?!\d|[.,]\d)"
)
_CURRENCY_AFTER = re.compile(
    r"(?i)(?<![\w.,])(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s?"
    r"(?P<currency>TZS|tsh|shillings?|shilingi|/=|USD|dollars?)(?![A-Za-z])"
)
# A webhook or API body: `"amount": "50000", "currency": "TZS"`.
_JSON_AMOUNT = re.compile(r'"amount"\s*:\s*"?(?P<amount>\d+(?:\.\d{1,2})?)"?')
_JSON_CURRENCY = re.compile(r'"currency"\s*:\s*"(?P<currency>TZS|USD)"', re.IGNORECASE)
_CURRENCIES = {"tzs": "TZS", "tsh": "TZS", "sh": "TZS", "shilingi": "TZS", "/=": "TZS"}
_HTTP_WORDS = (
    r"(?i)(?:\bHTTP(?:/\d(?:\.\d)?)?|\bfail(?:s|ed|ing)?(?:\s+with)?|"
    r"\bstatus(?:[\s_-]?code)?[\"']?\s*[:=]?|\berror(?:\s+code)?|"
    r"\bcode|\breturn(?:s|ed)?|\bgot|\bgives?|\bgetting|\bresponse|\bnapata|\bnilipata|"
    r"\binapata|\binarudisha|\bimerudisha|\bhitilafu|\bjibu)\s*[:=]?\s*"
)
_HTTP_AFTER_WORD = re.compile(_HTTP_WORDS + r"(?P<code>[1-5]\d\d)(?!\d|[.,]\d)")
_REASONS = (
    "OK|Created|Accepted|No Content|Moved Permanently|Found|Not Modified|Bad Request|"
    "Unauthorized|Payment Required|Forbidden|Not Found|Method Not Allowed|Not Acceptable|"
    "Request Timeout|Conflict|Gone|Unprocessable (?:Entity|Content)|Too Many Requests|"
    "Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout"
)
_HTTP_BEFORE_REASON = re.compile(r"(?<![\d.,])(?P<code>[1-5]\d\d)\s*(?:" + _REASONS + r")\b")
_ENDPOINT = re.compile(r"(?<![\w.])(/third-parties/[A-Za-z0-9_\-/{}.]*[A-Za-z0-9_}])")


def extract(text: str) -> Facts:
    """The payment details in `text`, each kind's values in the order they appear."""
    found: Facts = {kind: [] for kind in KINDS}
    for kind, value in _all(text):
        if value not in found[kind]:
            found[kind].append(value)
    return {kind: values for kind, values in found.items() if values}


def _all(text: str) -> Iterator[tuple[str, str]]:
    orders = [m.group("value") for m in _ORDER.finditer(text) if _has_digit(m.group("value"))]
    orders += [m.group() for m in _ORDER_SHAPE.finditer(text)]
    for value in orders:
        yield ORDER, value
    for match in _REQUEST.finditer(text):
        value = match.group("value").rstrip(".-_")
        if _has_digit(value) and value not in orders:
            yield REQUEST, value
    for phone in phone_numbers(text):
        yield PHONE, phone
    for amount in _amounts(text):
        yield AMOUNT, amount
    codes = [(m.start("code"), m.group("code")) for m in _HTTP_AFTER_WORD.finditer(text)]
    codes += [(m.start("code"), m.group("code")) for m in _HTTP_BEFORE_REASON.finditer(text)]
    for _, code in sorted(codes):
        yield HTTP, code
    for match in _ENDPOINT.finditer(text):
        yield ENDPOINT, match.group(1)
    statuses = [(m.start(1), m.group(1).upper()) for m in _STATUS_WORD.finditer(text)]
    statuses += [(m.start(1), m.group(1).upper()) for m in _STATUS_LABELLED.finditer(text)]
    for _, status in sorted(statuses):
        yield STATUS, status


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def phone_numbers(text: str) -> list[str]:
    """Valid phone numbers in `text`, in E.164 (`+255754111222`)."""
    found = []
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.VALID):
        number = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        if number not in found:
            found.append(number)
    return found


def normalise_phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _amounts(text: str) -> Iterator[str]:
    spans: list[tuple[int, str]] = []
    for pattern in (_CURRENCY_FIRST, _CURRENCY_AFTER):
        for match in pattern.finditer(text):
            spans.append((match.start(), _amount(match.group("amount"), match.group("currency"))))
    currency = _JSON_CURRENCY.search(text)
    if currency is not None:
        for match in _JSON_AMOUNT.finditer(text):
            spans.append((match.start(), _amount(match.group("amount"), currency.group(1))))
    for _, amount in sorted(spans):
        yield amount


def _amount(number: str, currency: str) -> str:
    """`TZS 50000`, `USD 12.50`: the currency's code, then the number without separators."""
    code = _CURRENCIES.get(currency.lower().rstrip("."), "")
    if not code:
        code = "USD" if currency.lower() in ("usd", "us$", "$", "dollar", "dollars") else "TZS"
    value = number.replace(",", "")
    if code == "TZS" and value.endswith((".00", ".0")):
        value = value.split(".")[0]
    if code == "USD" and "." in value:
        whole, cents = value.split(".")
        value = f"{whole}.{cents.ljust(2, '0')}"
    return f"{code} {value}"


def merged(old: Mapping[str, Iterable[str]], new: Mapping[str, Iterable[str]]) -> Facts:
    """`old` with `new`'s values added after its own, at most MAX_PER_KIND a kind."""
    result: Facts = {}
    for kind in KINDS:
        values: list[str] = []
        for value in (*old.get(kind, ()), *new.get(kind, ())):
            if value not in values and len(values) < MAX_PER_KIND:
                values.append(value)
        if values:
            result[kind] = values
    return result


def loads(stored: str | None) -> Facts:
    try:
        data = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [str(v) for v in data[k]] for k in KINDS if isinstance(data.get(k), list)}


def dumps(facts: Mapping[str, list[str]]) -> str:
    return json.dumps({k: facts[k] for k in KINDS if facts.get(k)}, ensure_ascii=False)


def shown_amount(amount: str) -> str:
    """`TZS 50000` -> `TZS 50,000`."""
    code, _, value = amount.partition(" ")
    whole, dot, cents = value.partition(".")
    if whole.isdigit():
        whole = f"{int(whole):,}"
    return f"{code} {whole}{dot}{cents}"


def line(facts: Mapping[str, list[str]], limit: int = 300) -> str:
    """Every fact on one line, `·`-separated, kinds in a fixed order; cut at `limit`."""
    parts: list[str] = []
    for kind in KINDS:
        for value in facts.get(kind, ()):
            if kind == AMOUNT:
                value = shown_amount(value)
            elif kind == HTTP:
                value = f"HTTP {value}"
            parts.append(value)
    text = " · ".join(parts)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ·") + "…"


def search_forms(word: str) -> list[str]:
    """How a word someone searches for is written among stored facts (for the team's `find`,
    which matches `ticket.facts` too): the word itself, then a phone number in E.164
    (`0754111222` -> `+255754111222`), an amount without separators (`50,000` -> `50000`)."""
    forms = [word]
    phone = normalise_phone(word) if sum(c.isdigit() for c in word) >= 9 else None
    if phone and phone not in forms:
        forms.append(phone)
    plain = word.replace(",", "")
    if plain != word and plain.replace(".", "", 1).isdigit():
        forms.append(plain)
    return forms


def matches(facts: Mapping[str, list[str]], query: str) -> bool:
    """Whether `query` (a word someone searches for) is one of the facts: exact for ids and
    codes (any case), a phone number in any way it is written, an amount with or without its
    separators."""
    wanted = query.strip()
    if not wanted:
        return False
    candidates = {wanted.lower(), wanted.replace(",", "").lower()}
    phone = normalise_phone(wanted) if _has_digit(wanted) else None
    if phone:
        candidates.add(phone.lower())
    for kind, values in facts.items():
        for value in values:
            forms = {value.lower()}
            if kind == AMOUNT:
                forms.add(value.partition(" ")[2])
            if kind == STATUS:
                forms.add(value.lower())
            if forms & candidates:
                return True
    return False
