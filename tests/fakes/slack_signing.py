"""Inbound Slack requests built and signed exactly as Slack builds and signs them.

Signature: `v0=` + hex HMAC-SHA256 over `v0:{timestamp}:{body}` with the app's signing secret,
sent in `X-Slack-Signature` beside `X-Slack-Request-Timestamp`. Slash commands arrive
form-encoded, interactivity as a form with one `payload` field holding JSON, events as JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

_ids = itertools.count(1)


def sign(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(slots=True)
class SignedRequest:
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class SlackSigner:
    """Builds signed requests for one app. `now` is injectable for stale-timestamp tests."""

    def __init__(self, secret: str, team_id: str = "T0DESK", api_app_id: str = "A0DESK") -> None:
        self.secret = secret
        self.team_id = team_id
        self.api_app_id = api_app_id

    def signed(
        self, body: str, content_type: str, timestamp: int | None, extra: dict[str, str]
    ) -> SignedRequest:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(self.secret, ts, body),
            **extra,
        }
        return SignedRequest(body, headers)

    def command(
        self,
        *,
        user_id: str,
        channel_id: str,
        text: str = "",
        command: str = "/desk",
        user_name: str = "",
        response_url: str = "https://hooks.slack.invalid/commands/1",
        trigger_id: str | None = None,
        timestamp: int | None = None,
    ) -> SignedRequest:
        form = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": "deskbot-test",
            "channel_id": channel_id,
            "channel_name": "directmessage" if channel_id.startswith("D") else "general",
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or f"{next(_ids)}.1.trigger",
        }
        return self.signed(urlencode(form), "application/x-www-form-urlencoded", timestamp, {})

    def interaction(
        self, payload: dict[str, Any], *, timestamp: int | None = None
    ) -> SignedRequest:
        payload = {
            "team": {"id": self.team_id, "domain": "deskbot-test"},
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            **payload,
        }
        body = urlencode({"payload": json.dumps(payload)})
        return self.signed(body, "application/x-www-form-urlencoded", timestamp, {})

    def block_action(
        self,
        *,
        user_id: str,
        channel_id: str,
        message: dict[str, Any],
        action_id: str,
        value: str,
        block_id: str = "actions",
        response_url: str = "https://hooks.slack.invalid/actions/1",
        timestamp: int | None = None,
        label: str = "",
        ephemeral: bool = False,
    ) -> SignedRequest:
        """A button press on `message` (as the fake API stores it: ts, text, blocks). On an
        ephemeral message Slack sends no `message` and no usable ts: only the response_url."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel_id,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"{next(_ids)}.1.trigger",
            "channel": {"id": channel_id, "name": "channel"},
            "message": {
                "type": "message",
                "ts": message["ts"],
                "text": message.get("text", ""),
                "blocks": message.get("blocks", []),
                **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}),
            },
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": value,
                    "text": {"type": "plain_text", "text": label or value},
                    "action_ts": f"{int(time.time())}.000001",
                }
            ],
        }
        if ephemeral:
            del payload["message"]
        return self.interaction(payload, timestamp=timestamp)

    def view_submission(
        self,
        *,
        user_id: str,
        view: dict[str, Any],
        values: dict[str, dict[str, dict[str, Any]]],
        timestamp: int | None = None,
    ) -> SignedRequest:
        """The submission of `view` (as sent to views.open) with `values` as Slack reports them."""
        payload = {
            "type": "view_submission",
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "trigger_id": f"{next(_ids)}.1.trigger",
            "view": {
                "id": view.get("id") or f"V{next(_ids):08d}",
                "type": "modal",
                "callback_id": view.get("callback_id", ""),
                "private_metadata": view.get("private_metadata", ""),
                "blocks": view.get("blocks", []),
                "state": {"values": values},
                "hash": "1764230400.abcdef",
            },
            "response_urls": [],
        }
        return self.interaction(payload, timestamp=timestamp)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        timestamp: int | None = None,
    ) -> SignedRequest:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "api_app_id": self.api_app_id,
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(_ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [
                    {"team_id": self.team_id, "user_id": "UDESKBOT", "is_bot": True}
                ],
            }
        )
        extra: dict[str, str] = {}
        if retry_num is not None:
            extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.signed(body, "application/json", timestamp, extra)
