"""Slack HTTP mode under hostile input (issue 13 items 6, 7, 12 and 19): the signature is
checked before anything is parsed, bad requests get 4xx and at most a short throttled WARNING,
signed requests are not replayed, and slow clients are cut off."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.channels.http_guard import HttpLimits
from tests.fakes.slack_signing import SignedRequest
from tests.slack.harness import MERCHANT, SlackHarness, report_values, running_slack
from tests.support import desk_errors

MARKER = "BODY-MARKER-7f3a"


async def test_unsigned_requests_get_401_and_one_short_warning(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = slack.signer.command(user_id=MERCHANT, channel_id=f"D{MERCHANT}", text=f"ask {MARKER}")
    headers = good.headers
    variants = [
        {k: v for k, v in headers.items() if k != "X-Slack-Request-Timestamp"},
        {**headers, "X-Slack-Request-Timestamp": "yesterday"},
        {**headers, "X-Slack-Request-Timestamp": "１７６４２３０４００"},
        {**headers, "X-Slack-Request-Timestamp": "9" * 40},
        {**headers, "X-Slack-Request-Timestamp": "-5"},
        {**headers, "X-Slack-Signature": "v0=" + "0" * 64},
        {**headers, "X-Slack-Signature": "\u00e9\u00e9"},
        {k: v for k, v in headers.items() if k != "X-Slack-Signature"},
    ]
    for _ in range(20):
        for variant in variants:
            status, _ = await slack.send(SignedRequest(good.body, variant), work=False)
            assert status == 401
    records = [r for r in caplog.records if r.name.startswith(("deskbot", "slack"))]
    assert not [r for r in records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if MARKER in r.getMessage()]
    warnings = [r for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and len(warnings[0].getMessage()) < 100
    assert [c.method for c in slack.fake.calls] == ["auth.test"]


def _malformed_bodies() -> list[tuple[str, str]]:
    """Signed, but not something Slack would send."""
    form = "application/x-www-form-urlencoded"
    bodies = [
        (form, urlencode({"payload": "{not json"})),
        (form, urlencode({"payload": json.dumps([1, 2])})),
        (form, urlencode({"payload": json.dumps({"type": "block_actions", "actions": "x"})})),
        (form, urlencode({"payload": json.dumps({"type": "view_submission", "view": "x"})})),
        (form, urlencode({"payload": "[" * 100_000})),
        (form, "command=%2Fdesk&text=%ZZ&user_id="),
        ("application/json", "[" * 100_000),
        ("application/json", '{"type": "event_callback", "event": "hello"}'),
        ("application/json", '{"type": "event_callback", "event": {"type": 5}}'),
        ("application/json", "\u00ff\u00fe"),
    ]
    views = [
        {"state": "x"},
        {"state": {"values": []}},
        {"state": {"values": {"title": {"value": "x"}}}},
        {"state": {"values": {"title": {"value": {"type": "static_select"}}}}},
        {"private_metadata": "{", "callback_id": "desk_report", "state": {"values": {}}},
        {"private_metadata": 5, "callback_id": "desk_reply", "state": 7},
    ]
    for view in views:
        view.setdefault("callback_id", "desk_report")
        payload = {"type": "view_submission", "user": {"id": MERCHANT}, "view": view}
        bodies.append((form, urlencode({"payload": json.dumps(payload)})))
    return bodies


async def test_malformed_signed_requests_get_4xx_without_traceback(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    statuses = []
    for content_type, body in _malformed_bodies():
        request = slack.signer.signed(body, content_type, None, {})
        status, _ = await slack.send(request, work=False)
        statuses.append(status)
    raw = b"\xff\xfe payload=x"
    headers = slack.signer.signed("", "application/x-www-form-urlencoded", None, {}).headers
    ts = headers["X-Slack-Request-Timestamp"]
    digest = hmac.new(slack.signer.secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256)
    headers["X-Slack-Signature"] = "v0=" + digest.hexdigest()
    async with slack.session.post(slack.url, data=raw, headers=headers) as response:
        statuses.append(response.status)
    assert all(status < 500 for status in statuses), statuses
    assert statuses[0] == 400 and statuses[-1] == 400
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    assert not desk_errors(caplog.records)


async def test_a_few_hundred_fuzzed_requests_never_get_a_5xx(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(13)
    seeds = [body for _, body in _malformed_bodies()[:6]]
    seeds.append(
        slack.signer.command(user_id=MERCHANT, channel_id=f"D{MERCHANT}", text="help").body
    )
    statuses: dict[int, int] = {}
    for index in range(300):
        body = bytearray(rng.choice(seeds)[:5000].encode())
        for _ in range(rng.randint(1, 6)):
            if body:
                body[rng.randrange(len(body))] = rng.randrange(256)
        content_type = rng.choice(
            ["application/x-www-form-urlencoded", "application/json", "text/plain"]
        )
        headers = slack.signer.signed("", content_type, None, {}).headers
        if index % 2:  # half of them signed over the mangled bytes
            ts = headers["X-Slack-Request-Timestamp"]
            base = f"v0:{ts}:".encode() + bytes(body)
            mac = hmac.new(slack.signer.secret.encode(), base, hashlib.sha256)
            headers["X-Slack-Signature"] = "v0=" + mac.hexdigest()
        async with slack.session.post(slack.url, data=bytes(body), headers=headers) as response:
            statuses[response.status] = statuses.get(response.status, 0) + 1
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses.get(401, 0) >= 150
    assert not desk_errors(caplog.records)


async def test_replayed_slash_commands_and_submissions_act_once(slack: SlackHarness) -> None:
    await slack.command(MERCHANT, "report")
    await slack.settle()
    view = slack.fake.calls_of("views.open")[0].params["view"]
    submission = slack.signer.view_submission(
        user_id=MERCHANT, view=view, values=report_values("Payouts stuck", "All of them")
    )
    first = slack.signer.command(user_id=MERCHANT, channel_id=f"D{MERCHANT}", text="mine",
                                 response_url=slack.fake.response_url("mine"))  # fmt: skip
    for request in (submission, submission, submission, first, first, first):
        status, _ = await slack.send(request, work=request is submission or request is first)
        assert status == 200
    slack._work -= 4  # the replays were acknowledged but did no work
    await slack.settle()
    async with slack.store.transaction() as tx:
        assert await tx.tickets.count() == 1
    answers = [c for c in slack.fake.calls_of("response_url") if c.params["hook"] == "mine"]
    assert len(answers) == 1


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(1024):
                pass
        return True
    except ConnectionError:
        return True
    except TimeoutError:
        return False


async def trickle_is_cut(host: str, port: int, head: bytes, limit: float) -> float:
    """Sends `head` and then a byte every 0.1 s; returns how long until the server hung up."""
    reader, writer = await asyncio.open_connection(host, port)
    started = time.monotonic()
    writer.write(head)
    closed = asyncio.create_task(_closed_within(reader, limit))
    while not closed.done():
        try:
            writer.write(b"a")
            await writer.drain()
        except ConnectionError:
            break
        await asyncio.wait([closed], timeout=0.1)
    assert await closed, "the server kept a trickling client"
    writer.close()
    return time.monotonic() - started


async def test_slow_clients_are_cut_off_and_connections_capped(tmp_path: Path) -> None:
    limits = HttpLimits(header_timeout=0.5, body_timeout=0.5, max_connections=3)
    async with running_slack(tmp_path, limits=limits) as slack:
        assert slack.service.http is not None
        host, port = "127.0.0.1", slack.service.http.port
        slow_header = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: "
        slow_body = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
        for head in (slow_header, slow_body):
            assert await trickle_is_cut(host, port, head, limit=3) < 2
        idle = [await asyncio.open_connection(host, port) for _ in range(3)]
        reader, _ = await asyncio.open_connection(host, port)
        assert await reader.read() == b""  # the fourth is closed at once
        for _, writer in idle:
            writer.close()
