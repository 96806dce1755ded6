"""Socket Mode on the loopback fake: `apps.connections.open` hands out a WebSocket URL on the fake,
the fake sends `hello`, pushes envelopes (slash commands, interactivity, events) and records the
acks the app sends back, keyed by envelope id, as Slack's Socket Mode servers do.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.slack_api import HOST, ApiCall, FakeSlackApi


class FakeSlackSocket:
    """Attach to a FakeSlackApi before it starts: `FakeSlackSocket(fake, app_token)`."""

    def __init__(self, api: FakeSlackApi, app_token: str = "xapp-test-token") -> None:
        self.api = api
        self.app_token = app_token
        self.connected = asyncio.Event()
        self._socket: web.WebSocketResponse | None = None
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        api.extra_routes.append(("GET", "/link", self._handle_socket))
        api.extra_methods["apps.connections.open"] = self._connections_open

    def _connections_open(self, call: ApiCall) -> dict[str, Any]:
        if call.token != self.app_token:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": f"ws://{HOST}:{self.api.port}/link?ticket=t1"}

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0DESK"}}
        )
        self.connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data)
                future = self._acks.get(str(ack.get("envelope_id")))
                if future is not None and not future.done():
                    future.set_result(ack)
        return socket

    async def push(
        self, kind: str, payload: dict[str, Any], retry_attempt: int = 0
    ) -> asyncio.Future[dict[str, Any]]:
        """Send one envelope; the future resolves with the app's ack for it."""
        assert self._socket is not None, "no Socket Mode connection"
        envelope_id = f"env-{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        await self._socket.send_json(envelope)
        return future
