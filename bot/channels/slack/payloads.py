"""The shape of what Slack sends, checked before Bolt and the listeners see it.

A signed request is from Slack (or from someone holding the signing secret), but Bolt and our
listeners index into payloads freely (`body["view"]["type"]`, `action.get(...)`): a field of the
wrong type would be a KeyError or AttributeError deep inside, a 500 and a traceback. Anything
that is not shaped like a Slack payload is refused here with a reason; the request gets 400.
"""

from __future__ import annotations

from typing import Any

_INTERACTIVE = ("block_actions", "view_submission", "view_closed", "block_suggestion")
_OBJECTS = ("team", "channel", "container", "message", "view", "enterprise", "user", "state")
_EVENT_TEXTS = ("user", "channel", "text", "ts", "thread_ts", "channel_type", "subtype", "bot_id")


def _object_or_absent(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _text_or_absent(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _texts(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((key for key in keys if not _text_or_absent(data.get(key))), None)


def _objects(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((key for key in keys if not _object_or_absent(data.get(key))), None)


def _event(event: Any) -> str | None:
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event"
    if wrong := _texts(event, _EVENT_TEXTS):
        return f"event.{wrong}"
    if wrong := _objects(event, ("message", "previous_message")):
        return f"event.{wrong}"
    return None


def _actions(actions: Any) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions"
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            return "actions"
        if _texts(action, ("block_id", "value", "type")) or not _object_or_absent(
            action.get("text")
        ):
            return "actions"
    return None


def _message(message: dict[str, Any] | None) -> str | None:
    if message is None:
        return None
    if wrong := _texts(message, ("ts", "text", "thread_ts")):
        return f"message.{wrong}"
    blocks = message.get("blocks")
    if blocks is not None and not (
        isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks)
    ):
        return "message.blocks"
    return None


def _view(view: Any) -> str | None:
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        return "view"
    if not isinstance(view.get("type"), str):
        return "view.type"
    if wrong := _texts(view, ("private_metadata", "id", "hash")):
        return f"view.{wrong}"
    state = view.get("state")
    if not _object_or_absent(state) or not _object_or_absent((state or {}).get("values")):
        return "view.state"
    return None


def problem(body: Any) -> str | None:
    """What is wrong with a parsed request body, or None when it is shaped like Slack's."""
    if not isinstance(body, dict):
        return "not an object"
    if wrong := _objects(body, _OBJECTS):
        return wrong
    kind = body.get("type")
    if not _text_or_absent(kind):
        return "type"
    if kind == "event_callback":
        return _event(body.get("event"))
    if kind in _INTERACTIVE:
        user = body.get("user")
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            return "user"
        if wrong := _texts(body, ("trigger_id", "response_url")):
            return wrong
        if kind == "block_actions":
            return _actions(body.get("actions")) or _message(body.get("message"))
        if kind in ("view_submission", "view_closed"):
            return _view(body.get("view"))
    return None
