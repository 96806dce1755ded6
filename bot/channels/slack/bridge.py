"""What the Slack listeners share: the desk, the Web API client, and the small helpers around them.

Listeners acknowledge Slack first and then call in here for the slow part (database, Web API).
`work()` tracks that part so shutdown can let it finish (and HTTP mode's answer can wait for it,
see pending.py), and turns a failure into an apology for the person instead of silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.config import SlackConfig
from handlers.desk import Desk, ReplyTo
from handlers.events import Incoming, Message
from handlers.tickets import Draft
from storage.store import Store

from . import pending
from .blocks import render
from .client import api_error
from .inbound import CHANNEL, Where, member_id

log = logging.getLogger("deskbot.slack")

NAME_CACHE_SIZE = 2000
# Acknowledged requests worked on at once. Under a burst the event loop's ready queue then holds
# a bounded amount of follow-up work ahead of each new request's ack, so acks stay quick (Slack
# allows 3 s). Opening a modal skips this queue (`urgent`): its trigger_id lives only 3 seconds.
WORK_SLOTS = 8
# Of those, desk (database) calls at once: that work is CPU on the event loop, while the rest of
# a request mostly waits on the Web API.
DESK_SLOTS = 4


class SlackBridge:
    def __init__(
        self,
        *,
        desk: Desk,
        store: Store,
        client: AsyncWebClient,
        config: SlackConfig,
    ) -> None:
        self.desk = desk
        self.store = store
        self.client = client
        self.config = config
        # user id -> (name, locale) from users.info
        self._people: OrderedDict[str, tuple[str, str | None]] = OrderedDict()
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._inflight: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        # How many acknowledged requests have been worked off; lets callers (tests, benchmarks)
        # await completion instead of sleeping.
        self.finished = 0
        self._progress = asyncio.Event()
        self._desk_slots = asyncio.Semaphore(DESK_SLOTS)
        self._work_slots = asyncio.Semaphore(WORK_SLOTS)
        self._gates: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    # ---- who ---------------------------------------------------------------------------------

    def is_member(self, user_id: str) -> bool:
        return member_id(user_id) in self.desk.settings.members

    async def name_of(self, user_id: str, fallback: str = "") -> str:
        """The person's Slack name (users.info, cached); the fallback when Slack cannot say."""
        found = await self._person(user_id)
        # Never the id as a name: the desk shows members by name (or "a team member").
        return (found[0] if found else "") or fallback

    async def locale_of(self, user_id: str) -> str | None:
        """The person's Slack locale ("sw-TZ", "en-US"; users.info, cached), or None."""
        found = await self._person(user_id)
        return found[1] if found else None

    async def _person(self, user_id: str) -> tuple[str, str | None] | None:
        if user_id in self._people:
            self._people.move_to_end(user_id)
            return self._people[user_id]
        try:
            answer = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as exc:
            log.info("users.info %s failed: %s", user_id, api_error(exc))
            return None
        except (SlackRequestError, aiohttp.ClientError, TimeoutError) as exc:
            # Slack unreachable: the person's words still reach the desk, without a name.
            log.info("users.info %s failed: %s", user_id, type(exc).__name__)
            return None
        user = answer.get("user") or {}
        profile = user.get("profile") or {}
        name = str(
            profile.get("display_name")
            or user.get("real_name")
            or profile.get("real_name")
            or user.get("name")
            or ""
        )
        locale = user.get("locale")
        self._people[user_id] = (name, str(locale) if locale else None)
        if len(self._people) > NAME_CACHE_SIZE:
            self._people.popitem(last=False)
        return self._people[user_id]

    async def language_of(self, user_id: str, *, ask_slack: bool = True) -> str:
        """The language to write to `user_id` in outside a conversation turn (forms, usage,
        refusals). `ask_slack=False` uses only what is known already: for answers that go back
        with the 3-second acknowledgement."""
        if ask_slack:
            locale = await self.locale_of(user_id)
        else:
            locale = self._people[user_id][1] if user_id in self._people else None
        person = Incoming(CHANNEL, "", user_id, language_hint=locale)
        async with self._desk_slots:
            return await self.desk.language_of(person)

    async def _with_hint(self, incoming: Incoming) -> Incoming:
        if incoming.language_hint is not None:
            return incoming
        return replace(incoming, language_hint=await self.locale_of(incoming.user_id))

    # ---- doing the work after ack ------------------------------------------------------------

    def lock(self, chat_id: str, user_id: str) -> asyncio.Lock:
        """One person's messages in one conversation are handled in order, one at a time."""
        key = (chat_id, user_id)
        if key not in self._locks:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            self._locks[key] = asyncio.Lock()
        return self._locks[key]

    async def work(
        self,
        job: Coroutine[Any, Any, None],
        on_error: Callable[[], Awaitable[None]] | None = None,
        urgent: bool = False,
        who: str | None = None,
    ) -> None:
        """Run `job`, the part of a request that comes after its ack. `who` (the Slack user)
        waits for their own earlier requests before taking one of the shared slots, so one
        person's burst holds one slot, not all of them (issue 13: 40 DMs from one merchant made
        everyone else wait 32 s when the slot came first)."""
        task = asyncio.current_task()
        pending.register(task)
        if task is not None:
            self._inflight.add(task)
            self._idle.clear()
        try:
            if urgent:
                await job
            else:
                async with self._turn_of(who), self._work_slots:
                    await job
        except Exception:
            log.exception("Slack request failed after it was acknowledged")
            if on_error is not None:
                try:
                    await on_error()
                except Exception:
                    log.exception("could not tell the user about the failure")
        finally:
            if task is not None:
                self._inflight.discard(task)
                if not self._inflight:
                    self._idle.set()
            self.finished += 1
            self._progress.set()
            self._progress = asyncio.Event()

    @contextlib.asynccontextmanager
    async def _turn_of(self, who: str | None) -> AsyncIterator[None]:
        if who is None:
            yield
            return
        gate = self._gates.setdefault(who, asyncio.Lock())
        self._waiting[who] = self._waiting.get(who, 0) + 1
        try:
            async with gate:
                yield
        finally:
            self._waiting[who] -= 1
            if not self._waiting[who]:
                del self._waiting[who], self._gates[who]

    async def wait_finished(self, count: int, timeout: float = 10.0) -> None:
        """Wait until `count` acknowledged requests in total have been worked off."""
        async with asyncio.timeout(timeout):
            while self.finished < count:
                await self._progress.wait()

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait (bounded) for acknowledged requests still being worked on."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("%d Slack requests still running at shutdown", len(self._inflight))

    async def first_time(self, event_id: str | None) -> bool:
        """Record an Events API delivery; False when it was seen before (a retry)."""
        if not event_id:
            return True
        async with self._desk_slots, self.store.transaction() as tx:
            return await tx.updates.first_time(CHANNEL, event_id, self.desk.clock.now())

    async def handled_before(self, delivery: str | None) -> bool:
        """Whether a form with this delivery id (`view:<view id>`) was filed already: the same
        form submitted again, after a crash or a slow answer, perhaps to another process. Its
        answers are in the outbox since its work committed; the sender is woken for them."""
        if not delivery:
            return False
        async with self._desk_slots, self.store.transaction() as tx:
            seen = await tx.updates.seen(CHANNEL, delivery)
        if seen and self.desk.on_outbox is not None:
            self.desk.on_outbox()
        return seen

    # ---- the desk, one slot at a time ---------------------------------------------------------

    # With `reply_to`, the answers are written to the outbox with the work and sent from there.

    async def handle(self, incoming: Incoming, reply_to: ReplyTo | None = None) -> list[Message]:
        incoming = await self._with_hint(incoming)
        async with self._desk_slots:
            return await self.desk.handle(incoming, reply_to)

    async def team_action(
        self,
        incoming: Incoming,
        action: str,
        reference: str,
        text: str = "",
        reply_to: ReplyTo | None = None,
    ) -> list[Message]:
        incoming = await self._with_hint(incoming)
        async with self._desk_slots:
            return await self.desk.team_action(incoming, action, reference, text, reply_to)

    async def team_files(
        self,
        incoming: Incoming,
        reference: str,
        reply_to: ReplyTo | None,
    ) -> list[Message]:
        incoming = await self._with_hint(incoming)
        async with self._desk_slots:
            return await self.desk.team_files(incoming, reference, reply_to)

    async def submit_report(
        self, incoming: Incoming, draft: Draft, reply_to: ReplyTo | None = None
    ) -> list[Message]:
        incoming = await self._with_hint(incoming)
        async with self._desk_slots:
            return await self.desk.submit_report(incoming, draft, reply_to)

    # ---- answering ---------------------------------------------------------------------------

    async def post(self, where: Where, messages: list[Message]) -> str | None:
        """Post answers in order. If Slack is still rate limiting after the client's own
        retries, the rest go to the outbox, which sends them once Slack lets us."""
        last: str | None = None
        for index, message in enumerate(messages):
            text, blocks = render(message)
            try:
                answer = await self.client.chat_postMessage(
                    channel=where.chat_id,
                    thread_ts=where.thread_id,
                    text=text,
                    blocks=blocks,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                if exc.response is None or exc.response.status_code != 429:
                    raise
                await self._queue(where, messages[index:])
                return None
            last = answer.get("ts")
        return last

    async def _queue(self, where: Where, messages: list[Message]) -> None:
        async with self._desk_slots:
            await self.desk.queue(CHANNEL, where.chat_id, messages, where.thread_id)
        log.info("Slack is rate limiting; %d answer(s) queued in the outbox", len(messages))

    async def ephemeral(
        self, channel: str, user_id: str, messages: list[Message], thread_ts: str | None = None
    ) -> None:
        for message in messages:
            text, blocks = render(Message(message.text))
            await self.client.chat_postEphemeral(
                channel=channel, user=user_id, text=text, blocks=blocks, thread_ts=thread_ts
            )

    async def respond(
        self,
        response_url: str,
        messages: list[Message],
        *,
        replace_original: bool = False,
        blocks_for: Any = None,
    ) -> None:
        """Ephemeral answers through a `response_url`. Bolt's `respond()` opens a new HTTP
        session per call; under load that costs more than the answer, so ours reuses the
        client's session and its retry handlers."""
        hook = AsyncWebhookClient(
            response_url,
            session=self.client.session,
            retry_handlers=self.client.retry_handlers,
        )
        for message in messages:
            text, blocks = render(message) if blocks_for is None else blocks_for(message)
            await hook.send(
                text=text,
                blocks=blocks,
                response_type="ephemeral",
                replace_original=replace_original,
            )

    async def dm(self, user_id: str) -> Where:
        opened = await self.client.conversations_open(users=user_id)
        return Where(str(opened["channel"]["id"]))

    async def talks_in_thread(self, channel: str, thread_ts: str, user_id: str) -> bool:
        """Whether the desk is in conversation with `user_id` in this channel thread: a flow is
        under way with them there, or the thread belongs to a ticket they reported."""
        async with self._desk_slots, self.store.transaction() as tx:
            state = await tx.conversations.load(CHANNEL, channel, user_id)
            if state.flow is not None:
                return True
            mine = await tx.tickets.for_reporter(CHANNEL, user_id, limit=50)
        return any(
            t.reporter_chat_id == channel and t.reporter_thread_id == thread_ts for t in mine
        )

    async def alert_ticket(self, thread_ts: str) -> str | None:
        """The reference of the ticket whose team alert is the root of `thread_ts`."""
        async with self._desk_slots, self.store.transaction() as tx:
            ticket = await tx.tickets.by_platform_message(
                CHANNEL, self.config.team_channel, thread_ts
            )
            return ticket.reference if ticket is not None else None
