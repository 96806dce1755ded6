"""With one channel only there is nobody elsewhere to tell: the alarm is the log's WARNING (and
/readyz), raised once and cleared once, and nothing is queued for a channel that is down."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher, SendError
from handlers.notify import Target
from handlers.ops.alarm import ALARM, DeliveryAlarm
from storage import Store
from tests.support import Chat, RecordingSender


async def test_console_only_alarm_is_logged_once_and_cleared(
    store: Store,
    clock: FakeClock,
    dispatcher: OutboxDispatcher,
    sent: RecordingSender,
    alice: Chat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.ops.alarm")
    alarm = DeliveryAlarm(
        store, clock, ["console"], [Target("console", "team")], ["console:lead"],
        timedelta(minutes=2),
    )  # fmt: skip
    assert alarm.audience("console") == []
    sent.failures = [SendError("console is down") for _ in range(50)]
    await alice.report()
    await dispatcher.deliver_due()
    clock.advance(timedelta(minutes=2))
    await dispatcher.deliver_due()
    assert await alarm.check() == ["raised:console"]
    assert await alarm.check() == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Console has refused the desk's messages for 2m: 1 messages waiting" in warnings[0]
    async with store.transaction() as tx:
        assert not [item for item in await tx.outbox.items() if item.kind == ALARM]

    sent.failures.clear()
    clock.advance(timedelta(minutes=10))
    await dispatcher.deliver_due()
    assert await alarm.check() == ["recovered:console"]
    assert (
        "is taking the desk's messages again (refused for 12m)" in caplog.records[-1].getMessage()
    )
