"""A loopback fake of the Telegram Bot API that the real python-telegram-bot talks to.

It listens on 127.0.0.1 (port 0) and speaks the real wire format: POST `/bot<token>/<method>` with
form-encoded fields (JSON-typed fields such as `reply_markup` as JSON text; multipart and JSON
bodies are understood too), answers `{"ok": true, "result": ...}` or
`{"ok": false, "error_code": ..., "description": ..., "parameters": {...}}`.

Tests push user actions (`push_text`, `press`), await the bot's calls (`wait_call`) instead of
polling, and can make the next calls of a method fail (`fail_next`) with 400/403/429.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.telegram_html import EntityParseError, parse_html
from tests.fakes.telegram_objects import JSON, FakeChat, FakeUser, bot_user, command_entities

MAX_TEXT = 4096
DEFAULT_TOKEN = "777000111:AAHfakeTokenForLoopbackTestsOnly"


@dataclass
class ApiCall:
    """One request the bot made, with its fields as sent (strings, JSON-typed ones as JSON text)."""

    method: str
    params: dict[str, str]
    status: int = 200
    response: JSON = field(default_factory=dict)

    def json(self, name: str) -> Any:
        return json.loads(self.params[name])

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def button_rows(self) -> list[list[JSON]]:
        if "reply_markup" not in self.params:
            return []
        return list(self.json("reply_markup").get("inline_keyboard", []))

    @property
    def button_labels(self) -> list[str]:
        return [button["text"] for row in self.button_rows for button in row]


@dataclass
class _Failure:
    status: int
    description: str
    parameters: JSON | None
    when: Callable[[ApiCall], bool] | None


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


class FakeTelegramAPI:
    """`async with FakeTelegramAPI() as api:`; point the bot at `api.base_url` (PTB) or
    `api.api_base_url` (the desk's `[telegram] api_base_url`)."""

    def __init__(self, token: str = DEFAULT_TOKEN, now: Callable[[], float] = time.time) -> None:
        self.token = token
        self.bot = bot_user(int(token.split(":")[0]))
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON = {"url": "", "secret_token": None}
        self.answered_callbacks: dict[str, ApiCall] = {}
        self._now = now
        self._pending_updates: list[JSON] = []
        self._update_ids = itertools.count(10_000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._changed = asyncio.Condition()
        self._closing = False
        self.long_polls = 0  # getUpdates calls that found nothing and started waiting
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle ------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeTelegramAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What `telegram.Bot(base_url=...)` takes: the token is appended to it."""
        return f"{self.api_base_url}/bot"

    # test controls --------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        when: Callable[[ApiCall], bool] | None = None,
    ) -> None:
        """The next `times` calls of `method` (matching `when`) get this error instead."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        failures = self._failures.setdefault(method.lower(), [])
        failures.extend(_Failure(status, description, parameters, when) for _ in range(times))

    def flood(self, method: str, retry_after: int, times: int = 1) -> None:
        self.fail_next(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
        )

    def mark(self) -> int:
        """A position in the call log; `wait_call(after=...)` only looks at later calls."""
        return len(self.calls)

    def calls_of(self, method: str, *, after: int = 0, ok_only: bool = True) -> list[ApiCall]:
        return [
            c
            for c in self.calls[after:]
            if c.method.lower() == method.lower() and (c.ok or not ok_only)
        ]

    async def wait_call(
        self,
        method: str,
        when: Callable[[ApiCall], bool] | None = None,
        *,
        after: int = 0,
        ok_only: bool = True,
        timeout: float = 5.0,
    ) -> ApiCall:
        """The first call of `method` at or after `after` that matches, waiting if needed."""

        def found() -> ApiCall | None:
            for call in self.calls_of(method, after=after, ok_only=ok_only):
                if when is None or when(call):
                    return call
            return None

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result

    async def wait_calls(self, method: str, count: int, *, after: int = 0, timeout: float = 5.0):
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.calls_of(method, after=after)) >= count),
                timeout,
            )
        return self.calls_of(method, after=after)

    async def wait_long_poll(self, after: int = 0, timeout: float = 5.0) -> None:
        """Until the bot's getUpdates is waiting for news (more than `after` such polls)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.long_polls > after), timeout)

    async def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates; gives it the next update_id unless it has one."""
        update.setdefault("update_id", next(self._update_ids))
        async with self._changed:
            self._pending_updates.append(update)
            self._changed.notify_all()
        return update

    def make_text_update(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, reply_to: int | None = None
    ) -> JSON:
        """A user's message as an update (not queued): for webhooks or duplicate deliveries."""
        chat = chat or user.private_chat
        message: JSON = {
            "message_id": self._next_message_id(chat.id),
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(self._now()),
            "text": text,
        }
        if entities := command_entities(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat.id, reply_to)]
        self.messages[(chat.id, message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": message}

    async def push_text(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, reply_to: int | None = None
    ) -> JSON:
        return await self.push_update(self.make_text_update(user, text, chat, reply_to))

    def make_press_update(
        self,
        user: FakeUser,
        chat_id: int,
        message_id: int,
        label: str | None = None,
        data: str | None = None,
    ) -> JSON:
        """A tap on an inline button of one of the bot's messages, found by label or data.

        Like a real client, only a button currently on the message can be pressed; `data`
        without a matching button simulates a stale client still showing an old keyboard.
        """
        message = self.messages[(chat_id, message_id)]
        buttons = [b for row in _keyboard(message) for b in row]
        if label is not None:
            matching = [b for b in buttons if b["text"] == label]
            assert matching, f"no button {label!r} on message {message_id}: {buttons}"
            data = matching[0]["callback_data"]
        assert data is not None, "press needs a label or data"
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": message,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    async def press(
        self,
        user: FakeUser,
        chat_id: int,
        message_id: int,
        label: str | None = None,
        data: str | None = None,
    ) -> JSON:
        return await self.push_update(
            self.make_press_update(user, chat_id, message_id, label, data)
        )

    async def redeliver(self, update: JSON) -> None:
        """Offer an update again although it was confirmed, as after a crash that lost the
        confirmation: a freshly started poller (no offset yet) receives it a second time."""
        async with self._changed:
            self._pending_updates.append(update)
            self._pending_updates.sort(key=lambda u: u["update_id"])
            self._changed.notify_all()

    async def post_to_webhook(
        self, update: JSON, secret: str | None = None, url: str | None = None
    ) -> int:
        """Deliver `update` as Telegram does to a webhook (the registered URL unless `url`, e.g.
        the local address behind the public one); returns the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url or self.webhook["url"], json=update, headers=headers) as response,
        ):
            return response.status

    # server ---------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        call = ApiCall(method, params)
        if request.match_info["token"] != self.token:
            return await self._finish(call, ApiError(401, "Unauthorized"))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return await self._finish(call, ApiError(404, "Not Found"))
        failure = self._take_failure(call)
        if failure is not None:
            return await self._finish(call, failure)
        try:
            result = await handler(call)
        except ApiError as error:
            return await self._finish(call, error)
        except (KeyError, ValueError) as error:
            return await self._finish(call, ApiError(400, f"Bad Request: {error}"))
        return await self._finish(call, result)

    def _take_failure(self, call: ApiCall) -> ApiError | None:
        failures = self._failures.get(call.method.lower(), [])
        for index, failure in enumerate(failures):
            if failure.when is None or failure.when(call):
                del failures[index]
                return ApiError(failure.status, failure.description, failure.parameters)
        return None

    async def _finish(self, call: ApiCall, outcome: Any) -> web.Response:
        if isinstance(outcome, ApiError):
            body: JSON = {
                "ok": False,
                "error_code": outcome.status,
                "description": outcome.description,
            }
            if outcome.parameters:
                body["parameters"] = outcome.parameters
            call.status = outcome.status
        else:
            body = {"ok": True, "result": outcome}
        call.response = body
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return web.json_response(body, status=call.status)

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _rendered(self, call: ApiCall) -> JSON:
        """The text fields of a message as Telegram stores them after applying `parse_mode`."""
        text = call.params["text"]
        parse_mode = call.params.get("parse_mode", "")
        if parse_mode.upper() == "HTML":
            try:
                parsed = parse_html(text)
            except EntityParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
            text, entities = parsed.text, parsed.entities
        elif parse_mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        else:
            entities = []
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        return fields

    # methods --------------------------------------------------------------------------------
    async def _api_getme(self, call: ApiCall) -> JSON:
        return self.bot

    async def _api_getupdates(self, call: ApiCall) -> list[JSON]:
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(call.params.get("offset", 0))
        limit = int(call.params.get("limit", 100))
        timeout = float(call.params.get("timeout", 0))
        async with self._changed:
            if offset > 0:
                # Asking from `offset` confirms every earlier update: Telegram forgets them.
                self._pending_updates = [
                    u for u in self._pending_updates if u["update_id"] >= offset
                ]
            if timeout > 0 and not self._pending_updates and not self._closing:
                self.long_polls += 1
                self._changed.notify_all()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(
                            lambda: bool(self._pending_updates or self._closing)
                        ),
                        timeout,
                    )
            return list(self._pending_updates[:limit])

    async def _api_sendmessage(self, call: ApiCall) -> JSON:
        chat_id = int(call.params["chat_id"])
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot,
            "chat": self._chat_of(chat_id),
            "date": int(self._now()),
            **self._rendered(call),
        }
        reply_to = call.params.get("reply_to_message_id") or _reply_parameter(call)
        if reply_to:
            replied = self.messages.get((chat_id, int(reply_to)))
            if replied is not None:
                message["reply_to_message"] = replied
            elif not _may_send_without_reply(call):
                raise ApiError(400, "Bad Request: message to be replied not found")
        if "reply_markup" in call.params and _keyboard({"reply_markup": call.json("reply_markup")}):
            message["reply_markup"] = call.json("reply_markup")
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _chat_of(self, chat_id: int) -> JSON:
        for (known_chat, _), message in self.messages.items():
            if known_chat == chat_id:
                return message["chat"]
        kind = "private" if chat_id > 0 else "supergroup"
        return {"id": chat_id, "type": kind}

    def _existing(self, call: ApiCall) -> JSON:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    async def _api_editmessagetext(self, call: ApiCall) -> JSON:
        message = self._existing(call)
        edited = {k: v for k, v in message.items() if k not in ("entities", "reply_markup")}
        edited.update(self._rendered(call))
        if "reply_markup" in call.params and _keyboard({"reply_markup": call.json("reply_markup")}):
            edited["reply_markup"] = call.json("reply_markup")
        return self._store_edit(message, edited)

    async def _api_editmessagereplymarkup(self, call: ApiCall) -> JSON:
        message = self._existing(call)
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if "reply_markup" in call.params and _keyboard({"reply_markup": call.json("reply_markup")}):
            edited["reply_markup"] = call.json("reply_markup")
        return self._store_edit(message, edited)

    def _store_edit(self, old: JSON, new: JSON) -> JSON:
        same = all(old.get(k) == new.get(k) for k in ("text", "entities", "reply_markup"))
        if same:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        new["edit_date"] = int(self._now())
        self.messages[(new["chat"]["id"], new["message_id"])] = new
        return new

    async def _api_answercallbackquery(self, call: ApiCall) -> bool:
        query_id = call.params["callback_query_id"]
        if query_id not in self._open_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        self.answered_callbacks[query_id] = call
        return True

    async def _api_setmycommands(self, call: ApiCall) -> bool:
        scope = call.params.get("scope", '{"type": "default"}')
        self.commands[json.loads(scope)["type"]] = call.json("commands")
        return True

    async def _api_getmycommands(self, call: ApiCall) -> list[JSON]:
        scope = call.params.get("scope", '{"type": "default"}')
        return self.commands.get(json.loads(scope)["type"], [])

    async def _api_setwebhook(self, call: ApiCall) -> bool:
        self.webhook = {"url": call.params["url"], "secret_token": call.params.get("secret_token")}
        return True

    async def _api_deletewebhook(self, call: ApiCall) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        if call.params.get("drop_pending_updates") == "true":
            self._pending_updates.clear()
        return True

    async def _api_getwebhookinfo(self, call: ApiCall) -> JSON:
        return {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending_updates),
        }


def _keyboard(message: JSON) -> list[list[JSON]]:
    return list((message.get("reply_markup") or {}).get("inline_keyboard", []))


def _may_send_without_reply(call: ApiCall) -> bool:
    if call.params.get("allow_sending_without_reply") == "true":
        return True
    if "reply_parameters" in call.params:
        return bool(call.json("reply_parameters").get("allow_sending_without_reply"))
    return False


def _reply_parameter(call: ApiCall) -> str | None:
    if "reply_parameters" not in call.params:
        return None
    return str(call.json("reply_parameters")["message_id"])


async def _read_params(request: web.Request) -> dict[str, str]:
    """Fields as Telegram reads them: query string, then form, multipart or JSON body."""
    params: dict[str, str] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        for key, value in body.items():
            params[key] = value if isinstance(value, str) else json.dumps(value)
        return params
    form = await request.post()
    for key, value in form.items():
        params[key] = value if isinstance(value, str) else f"<file {value.filename}>"
    return params
