"""The Telegram webhook under malformed updates and slow clients (issue 13 items 12 and 20)."""

from __future__ import annotations

import copy
import json
import logging
import random
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.http_guard import HttpLimits
from bot.channels.telegram.webhook import SECRET_HEADER, WebhookServer
from tests.slack.test_slack_http_hardening import trickle_is_cut
from tests.support import desk_errors
from tests.telegram_harness import MERCHANT, WEBHOOK_SECRET, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def _post(session: aiohttp.ClientSession, url: str, body: bytes) -> int:
    headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with session.post(url, data=body, headers=headers) as response:
        return response.status


def _mangled(update: dict[str, Any]) -> list[dict[str, Any]]:
    variants = []
    for path, value in (
        (("message",), "hello"),
        (("message", "chat"), "a chat"),
        (("message", "date"), "yesterday"),
        (("message", "entities"), [{"type": "bot_command", "length": 7}]),
        (("message", "from"), [1, 2]),
        (("message", "chat", "id"), {"x": 1}),
        (("message", "message_id"), None),
        (("callback_query",), {"id": 5}),
    ):
        variant = copy.deepcopy(update)
        target = variant
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        variants.append(variant)
    return variants


async def test_malformed_updates_get_400_and_later_updates_work(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with desk_on_telegram(tmp_path, mode="webhook") as env, aiohttp.ClientSession() as s:
        assert env.service.webhook is not None
        url = env.service.webhook.local_url
        update = env.api.make_text_update(MERCHANT, "/help")
        bodies = [b"[" * 100_000, b'{"update_id": 1, "message": ' * 30_000, b"\xff\xfe"]
        bodies += [json.dumps(v).encode() for v in _mangled(update)]
        bodies += [b'{"update_id": true}', b'{"update_id": "7"}', b"[]", b"null"]
        statuses = [await _post(s, url, body) for body in bodies]
        assert statuses == [400] * len(bodies)
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert 1 <= len(warnings) <= 2  # one per kind of problem, throttled
        assert not desk_errors(caplog.records)
        # A good update right after is processed as usual.
        answer = await env.say(MERCHANT, "/help")
        assert answer.params["text"]


async def test_a_few_hundred_fuzzed_updates_never_get_a_5xx(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(20)
    async with desk_on_telegram(tmp_path, mode="webhook") as env, aiohttp.ClientSession() as s:
        assert env.service.webhook is not None
        url = env.service.webhook.local_url
        seed = json.dumps(env.api.make_text_update(MERCHANT, "/status INT-1")).encode()
        statuses: dict[int, int] = {}
        for _ in range(300):
            body = bytearray(seed)
            for _ in range(rng.randint(1, 4)):
                body[rng.randrange(len(body))] = rng.choice(b'{}[]":,0 a\x00')
            status = await _post(s, url, bytes(body))
            statuses[status] = statuses.get(status, 0) + 1
        await env.settled()
        assert not [code for code in statuses if code >= 500], statuses
        assert statuses.get(400, 0) > 100
        assert not [r for r in caplog.records if r.name.startswith("aiohttp") and r.exc_info]


async def test_slow_webhook_clients_are_cut_off() -> None:
    async def nothing(_update: dict[str, Any]) -> None:
        return None

    limits = HttpLimits(header_timeout=0.5, body_timeout=0.5, max_connections=2)
    server = WebhookServer(
        path="/hook", secret="s3cret", listen="127.0.0.1", port=0, on_update=nothing, limits=limits
    )
    await server.start()
    try:
        port = server.bound_port
        head = f"POST /hook HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: s3cret\r\n"
        assert await trickle_is_cut("127.0.0.1", port, head.encode() + b"X-Slow: ", 3) < 2
        body_head = head + "Content-Length: 500\r\n\r\n"
        assert await trickle_is_cut("127.0.0.1", port, body_head.encode(), 3) < 2
    finally:
        await server.stop()


def test_servers_bind_to_loopback_unless_told_otherwise() -> None:
    from bot.config import parse_config
    from bot.config_error import ConfigError

    config = parse_config({}, env={})
    assert config.telegram.listen == "127.0.0.1" and config.slack.listen == "127.0.0.1"
    chosen = parse_config({"slack": {"listen": "::"}, "telegram": {"listen": "desk.lan"}}, {})
    assert (chosen.slack.listen, chosen.telegram.listen) == ("::", "desk.lan")
    for section in ("slack", "telegram"):
        with pytest.raises(ConfigError) as wrong:
            parse_config({section: {"listen": "every interface"}}, env={})
        assert wrong.value.key == f"{section}.listen"
