"""The conversation engine: one incoming event in, replies out, state saved in the same
transaction as everything the event changed."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from handlers import ask, commands, merchant, report, team
from handlers.clock import Clock, SystemClock
from handlers.events import Incoming, Message, storable, storable_incoming
from handlers.knowledge import KnowledgeSource
from handlers.messages import t
from handlers.notify import DIRECT, Notifier, Target, payload
from handlers.tickets import Draft, created_replies, open_ticket
from handlers.turn import TicketObserver, Turn
from storage.store import Store, Transaction

FLOWS = {report.FLOW: report, ask.FLOW: ask}


@dataclass(frozen=True)
class DeskSettings:
    reference_prefix: str = "INT"
    members: frozenset[str] = frozenset()
    leads: tuple[str, ...] = ()
    max_title_length: int = 120
    max_details_length: int = 4000


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
    notifier: Notifier = field(init=False)

    def __post_init__(self) -> None:
        self.notifier = Notifier(self.team_targets)

    async def handle(self, incoming: Incoming) -> list[Message]:
        async with self.store.transaction() as tx:
            turn = await self._turn(tx, incoming)
            state = turn.state
            before = (state.flow, state.step, dict(state.data))
            if not await self._first_delivery(turn):
                return []
            await self._dispatch(turn)
            if (state.flow, state.step, state.data) != before:
                await tx.conversations.save(
                    incoming.channel, incoming.chat_id, incoming.user_id, state, turn.now
                )
        self._wake(tx)
        return turn.replies

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

    def can_answer(self, question: str) -> bool:
        """Whether the knowledge base has a confident answer to `question` (a channel that can
        answer privately, like Slack's `/desk ask`, does so only when nothing is to be filed)."""
        if self.knowledge is None or len(question) > self.settings.max_details_length:
            return False
        return self.knowledge.current().answer(question) is not None

    async def team_action(
        self, incoming: Incoming, action: str, reference: str, text: str = ""
    ) -> list[Message]:
        """Run a team command for an adapter that knows the ticket from context (a button on an
        alert, a reply in a ticket's thread) rather than from typed text."""
        async with self.store.transaction() as tx:
            turn = await self._turn(tx, incoming)
            if not await self._first_delivery(turn):
                return []
            await team.run(turn, action, f"{reference} {storable(text)}".strip())
        self._wake(tx)
        return turn.replies

    async def submit_report(self, incoming: Incoming, draft: Draft) -> list[Message]:
        """File a report collected by a channel's own form (Slack's modal) in one step."""
        async with self.store.transaction() as tx:
            turn = await self._turn(tx, incoming)
            draft = replace(
                draft, title=storable(draft.title), description=storable(draft.description)
            )
            ticket = await open_ticket(turn, draft)
            created_replies(turn, ticket)
        self._wake(tx)
        return turn.replies

    async def _turn(self, tx: Transaction, incoming: Incoming) -> Turn:
        incoming = storable_incoming(incoming)
        state = await tx.conversations.load(incoming.channel, incoming.chat_id, incoming.user_id)
        return Turn(self, incoming, tx, state, self.clock.now())

    async def _first_delivery(self, turn: Turn) -> bool:
        delivery = turn.incoming.delivery_id
        if delivery is None:
            return True
        return await turn.tx.updates.first_time(turn.incoming.channel, delivery, turn.now)

    def _wake(self, tx: Transaction) -> None:
        # Only a transaction that queued messages needs the sender; waking it for every turn
        # would cost a database round trip per incoming message.
        if self.on_outbox is not None and tx.outbox.added:
            self.on_outbox()

    async def _dispatch(self, turn: Turn) -> None:
        incoming, state = turn.incoming, turn.state
        if incoming.choice is not None:
            await self._choice(turn, incoming.choice)
            return
        parsed = commands.parse(incoming.text, in_flow=state.flow in FLOWS)
        if parsed is not None:
            await self._command(turn, *parsed)
            return
        flow = FLOWS.get(state.flow or "")
        if flow is not None:
            await flow.step(turn, incoming.text, None)
            return
        if await ask.typed_feedback(turn, incoming.text):
            return
        if not incoming.text.strip():
            merchant.show_menu(turn, t("empty"))
            return
        if ask.looks_like_question(incoming.text) and await ask.free_question(turn, incoming.text):
            return
        if not await merchant.free_text(turn, incoming.text):
            merchant.show_menu(turn)

    async def _command(self, turn: Turn, name: str, args: str) -> None:
        if name in ("start", "help", "menu"):
            merchant.show_menu(turn)
        elif name == "cancel":
            had_flow = turn.state.flow is not None
            turn.reset()
            turn.say(t("cancelled" if had_flow else "nothing_to_cancel"))
        elif name == "report":
            await report.start(turn, args)
        elif name == "ask":
            await ask.start(turn, args)
        elif name == "status":
            await merchant.status(turn, args)
        elif name in ("mytickets", "mine"):
            await merchant.my_tickets(turn)
        elif name in commands.TEAM:
            await team.run(turn, name, args)
        else:
            merchant.show_menu(turn, t("unknown_command", command=f"/{name}"[:60]))

    async def _choice(self, turn: Turn, value: str) -> None:
        kind, _, rest = value.partition(":")
        if kind == "team":
            action, _, reference = rest.partition(":")
            if action in team.ACTIONS:
                await team.run(turn, action, reference)
                return
        elif kind == "menu" and rest in ("report", "ask", "mytickets"):
            # From the follow-up offer, the message already sent is the question or the title.
            await self._command(turn, rest, merchant.pending_text(turn, rest))
            return
        elif kind == "followup":
            await merchant.add_followup(turn, rest)
            return
        elif kind == "kb" and await ask.feedback_choice(turn, value):
            return
        flow = FLOWS.get(turn.state.flow or "")
        if flow is not None and await flow.step(turn, "", value):
            return
        turn.say(t("stale_choice"))
