"""The work a Slack request started, so that its HTTP answer can wait for it.

Bolt acknowledges first and runs the listener as its own task; our listeners then do the work
(database, outbox) in `SlackBridge.work`. Slack resends an event it got no 200 for, but never an
interaction or a slash command, and it gives up on a 200 it already had. So HTTP mode answers a
request only once the work it started has committed, for at most `ANSWER_WITHIN` (Slack's limit
is 3 s; then the answer goes anyway and the work goes on): a process killed before then leaves
the request unanswered, and Slack either resends it (events, deduplicated by `event_id` in the
work's own transaction) or shows the person that it failed, with the buttons still there to
press again. An event may wait longer (`EVENT_WITHIN`): a resend is harmless.

The request's tracker travels in a context variable, which the listener's task inherits from
the task that dispatched the request.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

ANSWER_WITHIN = 2.5
EVENT_WITHIN = 30.0

_current: ContextVar[RequestWork | None] = ContextVar("slack_request_work", default=None)


class RequestWork:
    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[object]] = []

    def __enter__(self) -> RequestWork:
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)

    async def finished(self, timeout: float) -> bool:
        """Until the work started for this request is done; False if it is still running after
        `timeout` seconds."""
        # Bolt started the listener with ensure_future just before answering; one pass of the
        # event loop lets it run up to `SlackBridge.work`, where it registers.
        await asyncio.sleep(0)
        if not self.tasks:
            return True
        _, running = await asyncio.wait(self.tasks, timeout=max(timeout, 0.0))
        return not running


def register(task: asyncio.Task[object] | None) -> None:
    """Called by the work itself (from the listener's task)."""
    work = _current.get()
    if work is not None and task is not None:
        work.tasks.append(task)
