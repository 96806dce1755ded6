"""Waiting out Slack's rate limits instead of dropping the message.

slack-sdk's own `AsyncRateLimitErrorRetryHandler` sleeps `Retry-After` plus a random second with
`asyncio.sleep`, and gives up after one retry. Ours honours `Retry-After` exactly, retries as often
as configured and sleeps through an injected function, so tests observe the waits instead of
spending them. When it gives up, the SlackApiError reaches the caller (the outbox keeps the row).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from handlers.ops import metrics

Sleep = Callable[[float], Awaitable[None]]

DEFAULT_RETRY_AFTER = 1.0


def retry_after_seconds(response: HttpResponse | None) -> float:
    """The `Retry-After` of a 429 answer in seconds (1 when absent or unreadable)."""
    if response is None:
        return DEFAULT_RETRY_AFTER
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            raw = values[0] if isinstance(values, list) else values
            try:
                return max(0.0, float(raw))
            except ValueError:
                return DEFAULT_RETRY_AFTER
    return DEFAULT_RETRY_AFTER


class RateLimitRetry(AsyncRetryHandler):
    """Retry HTTP 429 after exactly `Retry-After` seconds, up to `max_retry_count` times.

    A wait longer than `max_wait` is not spent inside the call: the error goes back to the caller
    at once, and the outbox (which leases rows for a bounded time) reschedules the message.
    """

    def __init__(
        self, max_retry_count: int = 3, sleep: Sleep = asyncio.sleep, max_wait: float = 20.0
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep
        self._max_wait = max_wait

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        # Asked about every failed answer, the last one too (whose retry the count forbids).
        if response is not None and response.status_code == 429:
            metrics.rate_limited("slack")
        return await super().can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code == 429
            and retry_after_seconds(response) <= self._max_wait
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        await self._sleep(retry_after_seconds(response))
        state.increment_current_attempt()


def retry_after_seconds_from_headers(headers: Any) -> float:
    """`Retry-After` read from a SlackResponse's headers (a plain mapping of strings)."""
    raw = None
    for name, value in dict(headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
    try:
        return max(0.0, float(raw)) if raw is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER
