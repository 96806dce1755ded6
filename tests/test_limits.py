"""Per-reporter limits, blocks and bulk resolve (issue 13, item 2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from handlers import hidden
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.events import Incoming
from handlers.limits import Limits
from handlers.notify import Target
from handlers.ops.metrics import REGISTRY
from handlers.turn import Turn
from storage import Database, Store
from storage.conversations import ConversationChanged
from storage.models import Status
from tests.conftest import TEAM
from tests.support import Chat, RecordingSender

LIMITS = Limits(
    open_tickets=4,
    tickets_per_hour=3,
    critical_per_hour=2,
    messages_per_minute=12,
    max_followup_length=200,
)


@pytest.fixture
def desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, leads=("console:lead",), limits=LIMITS),
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
    )


async def team_notices(dispatcher: OutboxDispatcher, sent: RecordingSender) -> list[str]:
    await dispatcher.deliver_due()
    return [text for text in sent.texts("team", "direct") if "over the report limit" in text]


async def test_critical_per_hour_offers_major_and_tells_the_team_once(
    alice: Chat, clock: FakeClock, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    assert "INT-1" in await alice.report()
    clock.advance(60)
    assert "INT-2" in await alice.report()
    clock.advance(60)
    refused = await alice.report(title="Third outage")
    assert "2 Critical issues in the last hour" in refused
    assert alice.choices == ["Critical", "Major", "Minor"]  # the report is kept
    assert "Severity: Major" in await alice.press_label("Major")
    assert "INT-3" in await alice.press_label("Confirm")
    assert "3 issues in the last hour" in await alice.say("/report")
    notices = await team_notices(dispatcher, sent)
    assert notices == [
        "⚠ Alice (console:alice) is over the report limit: 2 Critical tickets in the last "
        "hour. To stop their messages: block console:alice [hours]"
    ]
    assert sum(1 for item in sent.items if item.kind == "alert") == 3

    # An hour after the first, one more Critical fits again.
    clock.advance(timedelta(minutes=59))
    assert "INT-4" in await alice.report(title="Next day outage")


def _hits(limit: str) -> float:
    value = REGISTRY.get_sample_value("deskbot_reporter_limit_hits_total", {"limit": limit})
    return value or 0.0


async def test_tickets_per_hour_and_open_tickets(
    alice: Chat, lead: Chat, clock: FakeClock, store: Store
) -> None:
    per_hour, open_tickets = _hits("tickets_per_hour"), _hits("open_tickets")
    for n in range(3):
        assert f"INT-{n + 1}" in await alice.report(severity="Minor")
        clock.advance(60)
    answer = await alice.say("/report")
    assert "3 issues in the last hour" in answer and "try again in 57 minutes" in answer
    assert await alice.say("Still stuck") != ""  # not inside a report: nothing half-filed
    clock.advance(timedelta(hours=1))
    assert "INT-4" in await alice.report(severity="Minor")
    clock.advance(timedelta(hours=1))
    answer = await alice.say("/report")
    assert "4 open tickets" in answer
    # The operator's /metrics counts each refusal by limit.
    assert _hits("tickets_per_hour") == per_hour + 1
    assert _hits("open_tickets") == open_tickets + 1
    await lead.say("resolve INT-1 fixed")
    assert "what is wrong" in await alice.say("/report")
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 4


async def test_messages_per_minute(
    alice: Chat, bob: Chat, clock: FakeClock, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    answers = [await alice.say("hello") for _ in range(15)]
    assert all("menu" in a.lower() or "report" in a.lower() for a in answers[:12])
    assert "more than 12 a minute" in answers[12]
    assert answers[13:] == ["", ""]  # told once; the rest of the flood is not read
    assert "report" in (await bob.say("hello")).lower()  # others are not affected
    clock.advance(61)
    assert "report" in (await alice.say("hello")).lower()
    assert len(await team_notices(dispatcher, sent)) == 1


async def test_a_followup_longer_than_the_limit_is_refused(alice: Chat) -> None:
    await alice.report(severity="Minor")
    answer = await alice.say("x" * 201)
    assert "201 characters" in answer and "200" in answer


async def test_block_and_unblock_survive_a_restart(
    database: Database, clock: FakeClock, dispatcher: OutboxDispatcher
) -> None:
    def fresh_desk() -> Desk:
        # A new process on the same database: nothing in memory carries over.
        return Desk(
            Store(database, "INT"),
            DeskSettings(members=TEAM, limits=LIMITS),
            team_targets=[Target("console", "team")],
            clock=clock,
        )

    desk = fresh_desk()
    lead, alice = Chat(desk, "lead"), Chat(desk, "alice")
    assert "blocked until" in await lead.say("block console:alice 2")
    other = fresh_desk()
    alice = Chat(other, "alice")
    answer = await alice.say("/report")
    assert "paused your messages to the desk until" in answer
    assert await alice.say("/report") == ""  # told once a minute, not per message
    assert "cannot be blocked" in await Chat(other, "lead").say("block console:ops")
    assert "Usage" in await Chat(other, "ops").say("/block")
    assert "not a reporter identity" in await Chat(other, "ops").say("/block alice")
    assert "Hours must be" in await Chat(other, "ops").say("/block console:alice soon")
    assert "integration team only" in await Chat(other, "bob").say("/block console:alice")
    assert "no longer blocked" in await Chat(other, "ops").say("unblock console:alice")
    clock.advance(61)
    assert "what is wrong" in await alice.say("/report")
    assert "was not blocked" in await lead.say("unblock console:alice")

    # A block ends by itself.
    await lead.say("block console:alice 1")
    clock.advance(timedelta(hours=1, seconds=1))
    assert "what is wrong" in await Chat(fresh_desk(), "alice").say("/report")


async def test_resolve_several_references_at_once(
    alice: Chat, lead: Chat, clock: FakeClock, store: Store
) -> None:
    for _ in range(4):
        await alice.report(severity="Minor")
        clock.advance(timedelta(hours=1))
    answer = await lead.say("resolve INT-1 INT-2, #3 spam, closed")
    assert answer.count("resolved by Lead") == 3
    async with store.transaction() as tx:
        statuses = [(await tx.tickets.get(f"INT-{n}")).status for n in range(1, 5)]  # type: ignore[union-attr]
        notes = [m.text for m in await tx.tickets.messages(await tx.tickets.get("INT-2"))]  # type: ignore[arg-type]
    assert statuses == [Status.resolved] * 3 + [Status.open]
    assert "spam, closed" in notes
    # After the first reference, a bare number belongs to the note.
    await lead.say("resolve INT-4 3 retries fixed it")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-4")
        assert ticket is not None and ticket.status == Status.resolved
        assert "3 retries fixed it" in [m.text for m in await tx.tickets.messages(ticket)]


def test_limits_config_is_validated_and_defaults_follow_details() -> None:
    config = parse_config({"desk": {"max_details_length": 3000}}, env={})
    assert config.limits == Limits(max_followup_length=3000)
    config = parse_config({"limits": {"critical_per_hour": 0, "open_tickets": 5}}, env={})
    assert config.limits.critical_per_hour == 0 and config.limits.open_tickets == 5
    for bad, key in (
        ({"open_tickets": -1}, "limits.open_tickets"),
        ({"tickets_per_hour": "ten"}, "limits.tickets_per_hour"),
        ({"max_followup_length": 0}, "limits.max_followup_length"),
        ({"per_day": 3}, "limits.per_day"),
    ):
        with pytest.raises(ConfigError) as error:
            parse_config({"limits": bad}, env={})
        assert error.value.key == key


async def test_critical_alerts_go_ahead_of_the_backlog(
    store: Store, clock: FakeClock, sent: RecordingSender
) -> None:
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock)
    desk = Desk(
        store,
        DeskSettings(members=TEAM, limits=Limits(tickets_per_hour=0, open_tickets=0)),
        team_targets=[Target("console", "team")],
        clock=clock,
    )
    alice, bob = Chat(desk, "alice"), Chat(desk, "bob")
    for n in range(4):  # 7 messages each: under the 30 a minute a merchant may send
        await alice.report(title=f"Minor thing {n}", severity="Minor")
    await bob.report(title="Payouts down", severity="Critical")
    await dispatcher.deliver_due()
    alerts = [item for item in sent.items if item.chat_id == "team"]
    assert "Payouts down" in alerts[0].payload["text"]
    assert ["Minor thing 0" in a.payload["text"] for a in alerts[1:2]] == [True]


class _RunAgainOnce:
    """The first run of each message loses to another turn of the same person (as when a
    double tap reaches two processes), after the limits were applied: the desk runs it again."""

    def __init__(self, tell: Callable[[Turn], None]) -> None:
        self.tell = tell
        self.seen: set[int] = set()

    def __call__(self, turn: Turn) -> None:
        if id(turn.incoming) not in self.seen:
            self.seen.add(id(turn.incoming))
            raise ConversationChanged(turn.incoming.channel, turn.incoming.chat_id)
        self.tell(turn)


@pytest.mark.parametrize("delivery_ids", [False, True])
async def test_a_message_run_again_is_counted_once_and_still_told(
    desk: Desk, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, delivery_ids: bool
) -> None:
    monkeypatch.setattr(hidden, "tell", _RunAgainOnce(hidden.tell))
    answers = []
    for number in range(14):
        incoming = Incoming(
            "console",
            "alice",
            "alice",
            "Alice",
            text="hello",
            delivery_id=f"u{number}" if delivery_ids else None,
        )
        replies = await desk.handle(incoming)
        answers.append("\n".join(reply.text for reply in replies))
    # Twelve read (not six: each counted once though run twice), the thirteenth told (its told
    # run was the discarded one), the rest dropped quietly.
    assert all("report" in answer.lower() for answer in answers[:12])
    assert "more than 12 a minute" in answers[12]
    assert answers[13] == ""
