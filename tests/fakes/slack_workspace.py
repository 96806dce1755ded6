"""The fake Slack's workspace methods: messages (post, ephemeral, update), modals, users and
conversations, answered as Slack answers them. Mixed into FakeSlackApi, which owns the state."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class PostedMessage:
    """A message as it stands now in the fake workspace (after any chat.update)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)


class WorkspaceMethods:
    team_id: str
    bot_user_id: str
    bot_id: str
    messages: dict[tuple[str, str], PostedMessage]
    users: dict[str, dict[str, Any]]
    channels: dict[str, dict[str, Any]]
    _ts: itertools.count[int]
    _views: itertools.count[int]

    def _next_ts(self) -> str:
        return f"1764230400.{next(self._ts):06d}"

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://deskbot-test.slack.com/",
            "team": "Deskbot Test",
            "user": "deskbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = PostedMessage(
            channel=channel,
            ts=ts,
            text=params.get("text", ""),
            blocks=params.get("blocks") or [],
            thread_ts=params.get("thread_ts"),
        )
        self.messages[(channel, ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {
                "type": "message",
                "text": message.text,
                "blocks": message.blocks,
                "ts": ts,
            },
        }

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not params.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (params.get("channel", ""), params.get("ts", ""))
        message = self.messages.get(key)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        message.history.append({"text": message.text, "blocks": message.blocks})
        message.text = params.get("text", message.text)
        if "blocks" in params:
            message.blocks = params["blocks"] or []
        return {"ok": True, "channel": key[0], "ts": key[1], "text": message.text}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = params.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = f"V{next(self._views):08d}"
        return {"ok": True, "view": {**view, "id": view_id, "team_id": self.team_id}}

    def _api_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(params.get("channel", ""))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel}

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        # As Slack does: the locale only when asked for (include_locale=true).
        if str(params.get("include_locale", "")).lower() not in ("true", "1"):
            user = {key: value for key, value in user.items() if key != "locale"}
        return {"ok": True, "user": user}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", ""))
        if not users or "," in users:
            return {"ok": False, "error": "users_list_not_supplied"}
        dm = "D" + users
        self.channels.setdefault(
            dm, {"id": dm, "is_im": True, "user": users, "is_member": True, "is_channel": False}
        )
        return {"ok": True, "channel": {"id": dm}}
