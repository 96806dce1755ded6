"""The conversation engine: one incoming event in, replies out, state saved in the same
transaction as everything the event changed."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, Protocol

from handlers import (
    entry_points,
    faults,
    hidden,
    language,
    limits,
)
from handlers.attaching import AttachmentSettings
from handlers.clock import Clock, SystemClock
from handlers.dispatch import dispatch
from handlers.escalation.policy import EscalationPolicy
from handlers.events import Incoming, Message, storable_incoming
from handlers.knowledge import KnowledgeSource
from handlers.limits import Limits, MessageRate
from handlers.log_context import log_context
from handlers.messages import speaking
from handlers.notify import DIRECT, REPLY, Notifier, Target, payload
from handlers.ops import metrics
from handlers.program.settings import ProgramSettings
from handlers.tickets import Draft, open_ticket
from handlers.turn import TicketObserver, Turn
from storage.conversations import ConversationChanged, ConversationState
from storage.database import after_commit
from storage.files import FileStore
from storage.models import Ticket
from storage.outbox import Delivery
from storage.people import LanguageChoice
from storage.program_models import Project
from storage.store import Store, Transaction

# How many times one event is run again after losing the race for its person's conversation
# (each loss means another of their turns won, so a few are plenty); the last try's error
# propagates.
RERUNS = 3


def _snapshot(state: ConversationState) -> tuple[str | None, str | None, str]:
    """Where a person stands, to see whether a turn moved them. The data as JSON, not a shallow
    copy: flows change lists inside it in place (a report's files), which a copy would share."""
    return state.flow, state.step, json.dumps(state.data, sort_keys=True, ensure_ascii=False)


async def _typed(turn: Turn) -> None:
    """The work of a typed message or a pressed button in the conversation."""
    if await limits.admit(turn):
        await dispatch(turn)
    hidden.tell(turn)


@dataclass(frozen=True)
class DeskSettings:
    reference_prefix: str = "INT"
    members: frozenset[str] = frozenset()
    leads: tuple[str, ...] = ()
    # `[team] names`: member id -> the name people see.
    names: Mapping[str, str] = field(default_factory=dict)
    max_title_length: int = 120
    max_details_length: int = 4000
    # `[desk] followup_window`: how recently a ticket was touched for a merchant's loose message
    # to be added to it without asking.
    followup_window: timedelta = timedelta(hours=24)
    # `[desk] reopen_within`: how long after a resolve the reporter may reopen the ticket.
    reopen_within: timedelta = timedelta(days=7)
    limits: Limits = field(default_factory=Limits)
    # `[desk] default_language`: for people with no pick, platform hint or clear first message.
    default_language: str = "en"
    # `[team] language`: alerts, pages, timelines and the digest.
    team_language: str = "en"
    # `[escalation] timezone`: dates and times shown to people.
    timezone: str = "Africa/Dar_es_Salaam"
    program: ProgramSettings = field(default_factory=ProgramSettings)
    attachments: AttachmentSettings = field(default_factory=AttachmentSettings)


class Courier(Protocol):
    lease: timedelta

    def send_now(self, deliveries: list[Delivery]) -> None: ...


@dataclass(frozen=True, slots=True)
class ReplyTo:
    """Where the answers to one incoming event go when they are written to the outbox in the
    event's own transaction: a chat (and thread) on the event's channel, plus hints its sender
    understands (`extra` on every answer, `first` on the first one only, e.g. Telegram's
    reply-to)."""

    chat_id: str
    thread_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    first: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Desk:
    store: Store
    settings: DeskSettings = field(default_factory=DeskSettings)
    team_targets: Sequence[Target] = ()
    clock: Clock = field(default_factory=SystemClock)
    observers: list[TicketObserver] = field(default_factory=list)
    # Answers `ask` and free-text questions; None sends every question to the team.
    knowledge: KnowledgeSource | None = None
    # Called after a transaction that queued outgoing messages, to wake the sender.
    on_outbox: Callable[[], None] | None = None
    # Sends answers written leased to this process right after their commit (the outbox
    # dispatcher); None leaves every answer to `on_outbox`'s sender.
    courier: Courier | None = None
    # Business hours and zone for the team's `report` command (None: the default policy).
    policy: EscalationPolicy | None = None
    # Where attachments' bytes are kept, and who to wake when files wait for their download.
    files: FileStore | None = None
    on_files: Callable[[], None] | None = None
    notifier: Notifier = field(init=False)
    message_rate: MessageRate = field(init=False, default_factory=MessageRate)
    # Names this process has stored already (saves a write per team message).
    _learned: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.notifier = Notifier(
            self.team_targets, self.settings.team_language, self.settings.default_language
        )

    async def handle(self, incoming: Incoming, reply_to: ReplyTo | None = None) -> list[Message]:
        """Run one incoming event. With `reply_to`, its answers are also written to the outbox
        in the same transaction (the channel then sends nothing itself): a crash after the
        commit loses no answer, and a redelivered event re-sends none."""
        started = time.perf_counter()
        with log_context(
            channel=incoming.channel, chat=incoming.chat_id, update_id=incoming.delivery_id
        ):
            replies = await self._handle(incoming, reply_to)
        metrics.MESSAGES.labels(incoming.channel).inc()
        metrics.HANDLING.labels(incoming.channel).observe(time.perf_counter() - started)
        return replies

    async def _handle(self, incoming: Incoming, reply_to: ReplyTo | None) -> list[Message]:
        return await self._unit(incoming, reply_to, _typed)

    async def queue(
        self,
        channel: str,
        chat_id: str,
        messages: Sequence[Message],
        thread_id: str | None = None,
    ) -> None:
        """Hand answers a channel could not deliver right now (rate limit, outage) to the
        outbox, which sends them, in order, once the platform takes them again."""
        now = self.clock.now()
        async with self.store.transaction() as tx:
            for message in messages:
                tx.outbox.add(
                    key=f"{DIRECT}:{uuid.uuid4().hex}",
                    channel=channel,
                    chat_id=chat_id,
                    thread_id=thread_id,
                    kind=DIRECT,
                    payload=payload(message),
                    now=now,
                )
        self._wake(tx)

    @property
    def prefixes(self) -> tuple[str, str]:
        """The reference prefixes of tickets and projects, read loosely when typed (`INT4`)."""
        return (self.settings.reference_prefix, self.settings.program.reference_prefix)

    def can_answer(self, question: str) -> bool:
        """Whether the knowledge base has a confident answer to `question` (a channel that can
        answer privately, like Slack's `/desk ask`, does so only when nothing is to be filed)."""
        if self.knowledge is None or len(question) > self.settings.max_details_length:
            return False
        return self.knowledge.current().answer(question) is not None

    async def team_action(
        self,
        incoming: Incoming,
        action: str,
        reference: str,
        text: str = "",
        reply_to: ReplyTo | None = None,
    ) -> list[Message]:
        """Run a team command for an adapter that knows the ticket from context (a button on an
        alert, a reply in a ticket's thread) rather than from typed text."""
        work = partial(entry_points.team_action, action=action, reference=reference, text=text)
        return await self._unit(incoming, reply_to, work)

    async def team_files(
        self,
        incoming: Incoming,
        reference: str,
        reply_to: ReplyTo | None = None,
    ) -> list[Message]:
        """Files a team member posted about a ticket (in its team thread): internal."""
        work = partial(entry_points.team_files, reference=reference)
        return await self._unit(incoming, reply_to, work)

    async def submit_integration(
        self, incoming: Incoming, data: dict[str, Any], reply_to: ReplyTo | None = None
    ) -> list[Message]:
        """File an integration request collected by a channel's own form (Slack's modal)."""
        work = partial(entry_points.integration_request, data=data)
        return await self._unit(incoming, reply_to, work)

    async def open_issue(
        self,
        turn: Turn,
        *,
        title: str,
        description: str,
        severity: str,
        environment: str,
        project: Project | None = None,
    ) -> Ticket:
        """Open an issue from another domain's flow (a failed UAT case) without that flow
        reaching into the ticket flows."""
        draft = Draft(
            title=title, description=description, severity=severity, environment=environment
        )
        return await open_ticket(turn, draft, project)

    async def submit_report(
        self, incoming: Incoming, draft: Draft, reply_to: ReplyTo | None = None
    ) -> list[Message]:
        """File a report collected by a channel's own form (Slack's modal) in one step. A form
        submitted again (same delivery: Slack's view id) files nothing more."""
        work = partial(entry_points.report, draft=draft)
        return await self._unit(incoming, reply_to, work)

    async def language_of(self, incoming: Incoming) -> str:
        """The language to use with the person behind `incoming` outside a conversation turn
        (a channel's own form, such as Slack's report modal)."""
        async with self.store.transaction() as tx:
            return await language.resolve(
                tx, incoming, self.settings.default_language, self.clock.now()
            )

    async def pick_language(self, incoming: Incoming, chosen: str) -> None:
        """Store `chosen` for the person behind `incoming` as if they had typed `lugha`
        (`deskbot chat --lang`)."""
        async with self.store.transaction() as tx:
            await tx.people.set_language(
                incoming.channel,
                incoming.user_id,
                LanguageChoice(chosen, language.PICKED),
                self.clock.now(),
            )

    async def _unit(
        self,
        incoming: Incoming,
        reply_to: ReplyTo | None,
        work: Callable[[Turn], Awaitable[None]],
    ) -> list[Message]:
        """One incoming event (typed text, or an adapter's button, files or form) as one unit of
        work: a redelivered event does nothing, the work runs in the person's language, and its
        answers join the same transaction."""
        for _ in range(RERUNS):
            try:
                return await self._unit_once(incoming, reply_to, work)
            except ConversationChanged:
                # Another turn of this person (a double tap, a form submitted while they type,
                # reaching another process) committed after this one read where they stood;
                # nothing of this run was kept. Run the event again from where they stand now,
                # as if it had come second.
                continue
        return await self._unit_once(incoming, reply_to, work)

    async def _unit_once(
        self,
        incoming: Incoming,
        reply_to: ReplyTo | None,
        work: Callable[[Turn], Awaitable[None]],
    ) -> list[Message]:
        async with self.store.transaction() as tx:
            turn = await self._turn(tx, incoming)
            state = turn.state
            before = _snapshot(state)
            if not await self._first_delivery(turn):
                self._redelivered()
                return []
            with speaking(turn.language):
                await work(turn)
            if _snapshot(state) != before:
                await tx.conversations.save(
                    incoming.channel, incoming.chat_id, incoming.user_id, state, turn.now
                )
            await self._queue_replies(turn, reply_to)
        self._committed(tx)
        return turn.replies

    async def _queue_replies(self, turn: Turn, reply_to: ReplyTo | None) -> None:
        if reply_to is None or not turn.replies:
            return
        incoming = turn.incoming
        # Keyed by the delivery when there is one: the same answer can only be queued once.
        origin = incoming.delivery_id or uuid.uuid4().hex
        lease = None
        courier = self.courier
        if courier is not None and await turn.tx.outbox.chat_idle(
            incoming.channel, reply_to.chat_id
        ):
            # Nothing is waiting for this chat: the answers are leased to this process as they
            # are written and sent right after the commit, without a round through the queue.
            lease = turn.now + courier.lease
        for number, message in enumerate(turn.replies):
            hints = {**reply_to.extra, **(reply_to.first if number == 0 else {})}
            if number == 0:
                hints.update(hidden.delete_hint(turn))
            turn.tx.outbox.add(
                key=f"{REPLY}:{incoming.channel}:{origin}:{number}",
                channel=incoming.channel,
                chat_id=reply_to.chat_id,
                thread_id=reply_to.thread_id,
                kind=REPLY,
                payload=payload(message, **hints),
                now=turn.now,
                ahead=True,
                leased_until=lease,
            )

    def _committed(self, tx: Transaction) -> None:
        faults.reach("work.committed")
        if tx.attachments.added and self.on_files is not None:
            self.on_files()
        leased = tx.outbox.leased_deliveries()
        if leased and self.courier is not None:
            self.courier.send_now(leased)
        self._wake(tx)

    def _redelivered(self) -> None:
        # Whatever answers of the first delivery did not go out are still in the outbox.
        if self.on_outbox is not None:
            self.on_outbox()

    async def _turn(self, tx: Transaction, incoming: Incoming) -> Turn:
        incoming = storable_incoming(incoming)
        state = await tx.start_turn(incoming.channel, incoming.chat_id, incoming.user_id)
        now = self.clock.now()
        findings = hidden.secrets(incoming)
        probe = hidden.language_probe(incoming, findings)
        spoken = await language.resolve(tx, probe, self.settings.default_language, now)
        # Secrets are hidden here, before any flow sees the text: nothing after this point
        # (conversation state, tickets, the outbox, logs) can hold them.
        incoming, kinds = hidden.clean(incoming, spoken, findings)
        turn = Turn(self, incoming, tx, state, now, spoken, hidden=kinds)
        await self._learn_name(turn)
        return turn

    async def _learn_name(self, turn: Turn) -> None:
        """A member acting under a display name the desk has not stored yet: remember it, so
        merchants see that name (not an id) wherever this member is mentioned later."""
        member, name = turn.actor, turn.incoming.display_name.strip()
        if not name or not turn.is_team or member in self.settings.names:
            return
        if self._learned.get(member) != name:
            await turn.tx.members.learn(member, name, turn.now)
            # Only once stored: a unit of work run again must store it again.
            after_commit(turn.tx.session, lambda: self._learned.__setitem__(member, name))

    async def _first_delivery(self, turn: Turn) -> bool:
        delivery = turn.incoming.delivery_id
        if delivery is None:
            return True
        return await turn.tx.updates.first_time(turn.incoming.channel, delivery, turn.now)

    def _wake(self, tx: Transaction) -> None:
        # Only a transaction that queued messages needs the sender; waking it for every turn
        # would cost a database round trip per incoming message.
        if self.on_outbox is not None and tx.outbox.added > tx.outbox.leased:
            self.on_outbox()
