"""Scheduled work from project rows: stall nudges (once, to the owner), the digest's stalled
list, and after downtime only the latest go-live reminder."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.escalation.digest_job import DigestJob
from handlers.escalation.policy import EscalationPolicy
from handlers.notify import Notifier, Target
from handlers.program.settings import ProgramSettings
from handlers.program.sweep import ProgramSweep, stalled_section
from storage import Store
from tests.program.test_team import to_uat
from tests.support import Chat, RecordingSender

TEAM = [Target("console", "team")]


async def test_a_stalled_project_nudges_its_owner_once(
    store: Store,
    alice: Chat,
    lead: Chat,
    clock: FakeClock,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
) -> None:
    from tests.program.helpers import request

    await request(alice)
    await lead.say("accept PRJ-1")
    await lead.say("take PRJ-1")
    sweep = ProgramSweep(store, ProgramSettings(), clock, TEAM)
    due = await sweep()
    # Accepted Friday 2026-11-27 12:00 EAT; five business days (9 h each) later.
    assert due == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    clock.set(due)
    await sweep()
    await sweep()
    await dispatcher.deliver_due()
    nudges = [i for i in sent.items if "business days with no change" in i.payload["text"]]
    assert [(i.chat_id, i.kind) for i in nudges] == [("lead", "direct")]

    digest = DigestJob(
        store, EscalationPolicy(), clock, Notifier(TEAM), extra=stalled_section(ProgramSettings())
    )
    body = await digest()
    assert body is not None and "Stalled integration projects: 1" in body
    assert "• PRJ-1 at Scope and objectives (owner Lead)" in body

    # A stage change makes it fresh again: no longer stalled.
    for n in (1, 2, 3):
        await lead.say(f"check PRJ-1 {n}")
    await lead.say("advance PRJ-1")
    assert "STALLED" not in await lead.say("projects")


async def test_after_downtime_only_the_latest_reminder(
    store: Store,
    alice: Chat,
    lead: Chat,
    clock: FakeClock,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
) -> None:
    await to_uat(alice, lead)
    for n in range(1, 7):
        await alice.say(f"uat {n} pass")
    await alice.say("uat signoff")
    await lead.say("confirm PRJ-1")
    await lead.say("golive PRJ-1 2026-12-01 10:00")
    clock.set(datetime(2026, 12, 1, 6, 30, tzinfo=UTC))  # down through the day-before moment
    await ProgramSweep(store, ProgramSettings(), clock, TEAM)()
    await dispatcher.deliver_due()
    texts = sent.texts()
    assert not any("goes live tomorrow" in text for text in texts)
    assert sum("goes live in one hour" in text for text in texts) == 2
