"""Delivering the desk's outbox to Slack.

Alerts go to the team channel and their `ts` becomes the ticket's platform message id; changes
edit that alert in place (chat.update) and timeline entries go into its thread. Notices go to the
reporter's DM, or to the thread they reported from in a shared channel. A 429 is first waited out
inside slack-sdk (our RateLimitRetry); if Slack keeps limiting, the row is rescheduled after
`Retry-After` by the outbox, so nothing is dropped.
"""

from __future__ import annotations

import base64
import logging
from typing import Any, cast

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from handlers.delivery import SendError
from handlers.events import Choice, Message
from handlers.notify import ALERT, ALERT_UPDATE, ATTACHMENT, PAGE, REPLY, TIMELINE
from handlers.ops.weekly import REPORT
from storage.files import FileStore
from storage.outbox import Delivery

from .alerts import alert_blocks, page_blocks, timeline_blocks
from .blocks import owned, render
from .client import api_error
from .files import upload_file
from .mrkdwn import escape_clipped
from .retry import retry_after_seconds_from_headers

log = logging.getLogger("deskbot.slack")

# Errors where trying again cannot help: the conversation is gone or closed to the bot.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "message_not_found",
        "cant_update_message",
        "restricted_action",
        "invalid_blocks",
        "msg_too_long",
    }
)


def _message(payload: dict[str, Any]) -> Message:
    choices = tuple(
        Choice(str(c.get("label", "")), str(c.get("value", "")), str(c.get("description", "")))
        for c in payload.get("choices", [])
    )
    return Message(str(payload.get("text", "")), choices)


def send_error(exc: Exception) -> SendError:
    """Translate a Slack failure into what the outbox needs to decide when to try again."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        error = api_error(exc)
        if response is not None and response.status_code == 429:
            return SendError(
                "ratelimited", retry_after=retry_after_seconds_from_headers(response.headers)
            )
        return SendError(f"slack: {error or exc}", permanent=error in PERMANENT_ERRORS)
    return SendError(f"{type(exc).__name__}: {exc}")


class SlackSender:
    def __init__(self, client_factory: Any) -> None:
        # A callable giving the AsyncWebClient; it is created inside the running loop.
        self._client_factory = client_factory
        # Where attachments' bytes are read from for uploads (set by the wiring).
        self.files: FileStore | None = None

    def use_files(self, files: FileStore) -> None:
        self.files = files

    @property
    def client(self) -> AsyncWebClient:
        return cast(AsyncWebClient, self._client_factory())

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        try:
            return await self._deliver(item, alert_message_id)
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError) as exc:
            raise send_error(exc) from exc

    async def _deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        payload = item.payload
        if item.kind == ALERT:
            text, blocks = alert_blocks(payload)
            return await self._post(item.chat_id, text, blocks)
        if item.kind == ALERT_UPDATE:
            if alert_message_id is None:
                # The alert itself never made it (it failed for good); nothing to edit.
                log.warning("no Slack alert to update for %s", item.ticket_reference)
                return None
            text, blocks = alert_blocks(payload)
            await self.client.chat_update(
                channel=item.chat_id, ts=alert_message_id, text=text, blocks=blocks
            )
            return alert_message_id
        if item.kind == TIMELINE:
            text, blocks = timeline_blocks(payload)
            return await self._post(item.chat_id, text, blocks, thread_ts=alert_message_id)
        if item.kind == ATTACHMENT:
            return await upload_file(self.client, self.files, item, alert_message_id)
        if item.kind == REPORT and payload.get("image_png"):
            return await self._upload_report(item)
        if item.kind == PAGE:
            text, blocks = page_blocks(payload)
            # In the ticket's thread (its timeline) and broadcast to the channel, so the page is
            # seen; a page to a lead's DM has no thread.
            return await self._post(
                item.chat_id, text, blocks, thread_ts=alert_message_id, broadcast=True
            )
        if item.kind == REPLY and payload.get("response_url"):
            await self._respond(payload)
            return None
        if item.kind == REPLY and payload.get("private_to"):
            # Answers for one person carry no buttons: they would lead nowhere.
            text, blocks = render(Message(str(payload.get("text", ""))))
            await self.client.chat_postEphemeral(
                channel=item.chat_id,
                user=str(payload["private_to"]),
                text=text,
                blocks=blocks,
                thread_ts=item.thread_id,
            )
            return None
        # Answers in a conversation, notices to the reporter, direct messages, digests.
        text, blocks = render(_message(payload))
        if payload.get("owner"):
            blocks = owned(blocks, str(payload["owner"]))
        return await self._post(item.chat_id, text, blocks, thread_ts=item.thread_id)

    async def _respond(self, payload: dict[str, Any]) -> None:
        """An ephemeral answer through a `response_url`, on the Web API client's session."""
        message = _message(payload)
        hint = str(payload.get("hint") or "")
        if hint:
            # Buttons outside a conversation would lead nowhere; a hint at the subcommand does.
            text, blocks = render(Message(message.text))
            if message.choices:
                blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
        else:
            text, blocks = render(message)
        client = self.client
        hook = AsyncWebhookClient(
            str(payload["response_url"]),
            session=client.session,
            retry_handlers=client.retry_handlers,
        )
        answer = await hook.send(text=text, blocks=blocks, response_type="ephemeral")
        if answer.status_code == 429 or answer.status_code >= 500:
            raise SendError(f"slack response_url: HTTP {answer.status_code}")
        if answer.status_code >= 400:
            # Expired (30 minutes, 5 uses) or unknown: trying again cannot help.
            raise SendError(f"slack response_url: HTTP {answer.status_code}", permanent=True)

    async def _upload_report(self, item: Delivery) -> str | None:
        """The chart uploaded into the channel with the report as its comment (slack-sdk's
        files_upload_v2: files.getUploadURLExternal, the upload, files.completeUploadExternal)."""
        payload = item.payload
        answer = await self.client.files_upload_v2(
            channel=item.chat_id,
            file=base64.b64decode(payload["image_png"]),
            filename=str(payload.get("filename", "report.png")),
            title=str(payload.get("title", "")),
            initial_comment=escape_clipped(str(payload.get("text", "")), 3000),
        )
        uploaded = answer.get("file") or {}
        return str(uploaded.get("id") or "") or None

    async def _post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None = None,
        broadcast: bool = False,
    ) -> str | None:
        answer = await self.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            reply_broadcast=True if broadcast and thread_ts else None,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(answer.get("ts") or "") or None
