"""The Bolt app and its Web API client, built from explicit settings (no environment reads here).

The client gets one shared aiohttp session (slack-sdk otherwise opens one per call), the
configured `api_base_url` (the tests' loopback fake), and our 429 handler beside slack-sdk's
connection-error handler.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from .retry import RateLimitRetry, Sleep

logger = logging.getLogger("deskbot.slack")

API_TIMEOUT_SECONDS = 30


def build_client(
    *,
    bot_token: str,
    api_base_url: str,
    session: aiohttp.ClientSession,
    sleep: Sleep,
    max_rate_limit_retries: int = 3,
) -> AsyncWebClient:
    return AsyncWebClient(
        token=bot_token,
        base_url=api_base_url,
        session=session,
        timeout=API_TIMEOUT_SECONDS,
        logger=logger,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            RateLimitRetry(max_retry_count=max_rate_limit_retries, sleep=sleep),
        ],
    )


def build_app(*, client: AsyncWebClient, signing_secret: str) -> AsyncApp:
    return AsyncApp(
        client=client,
        signing_secret=signing_secret,
        name="deskbot",
        logger=logger,
        # Listeners ack first and do their work afterwards; responses never wait for the work.
        process_before_response=False,
        # Bolt keeps these on: signature checks (HTTP mode), dropping our own bot's events,
        # answering url_verification and ssl_check.
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
    )


def api_error(error: SlackApiError) -> str:
    """Slack's error code in a failed call's answer; "" when the answer was not Slack's JSON
    (a proxy's HTML page during an outage: its data is a string, with no `get` to ask)."""
    data = getattr(error.response, "data", None)
    return str(data.get("error") or "") if isinstance(data, dict) else ""
