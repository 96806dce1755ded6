"""Project notices are written in the reader's language: the merchant's notices in the merchant's,
the team's in `[team] language`, whoever's command caused them."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.i18n.dates import when
from handlers.messages import speaking, t, translate
from handlers.notify import Notifier, Target
from handlers.program.settings import DEFAULT_CHECKLISTS, ProgramSettings
from handlers.program.sweep import ProgramSweep
from storage import Store
from tests.program.helpers import request, through_checklist
from tests.support import Chat, RecordingSender

ZONE = "Africa/Dar_es_Salaam"


def stage_sw(stage: str) -> str:
    with speaking("sw"):
        return t.word("stage", stage)


async def test_swahili_merchant_gets_swahili_notices_team_gets_english(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await request(alice)
    await alice.say("lugha sw")
    await lead.say("lugha sw")  # the member's own language does not change the team's notices
    await lead.say("accept PRJ-1")
    await lead.say("reply PRJ-1 Tafadhali tuma nyaraka")
    await dispatcher.deliver_due()

    to_alice = sent.texts(chat_id="alice")
    stage_notice = translate("sw", "prj.notify.stage").format(
        reference="PRJ-1", stage=stage_sw("scope"), note=""
    )
    reply_notice = translate("sw", "prj.notify.reply").format(
        reference="PRJ-1", text="Tafadhali tuma nyaraka"
    )
    assert stage_notice != "Your integration PRJ-1 moved to the stage: Scope and objectives."
    assert to_alice[-2:] == [stage_notice, reply_notice]
    team = [text for text in sent.texts() if "is now at" in text]
    assert team and all(text.startswith("PRJ-1 is now at Scope and objectives") for text in team)


async def test_reminders_follow_the_merchant_language(
    alice: Chat,
    lead: Chat,
    store: Store,
    clock: FakeClock,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    for stage in ("scope", "documentation", "data_mapping", "security", "staging"):
        assert "is now at" in await through_checklist(lead, "PRJ-1", len(DEFAULT_CHECKLISTS[stage]))
    for n in range(1, 8):
        await alice.say(f"uat {n} pass")
    assert "signed off from your side" in await alice.press_label("Sign off UAT")
    assert "sign-off is recorded" in await lead.say("confirm PRJ-1")
    await alice.say("lugha sw")
    answer = await lead.say("golive PRJ-1 2026-12-01 10:00")
    moment = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert f"go-live set for {when(moment, 'en', ZONE)}" in answer
    await dispatcher.deliver_due()
    golive_sw = translate("sw", "prj.notify.golive").format(
        reference="PRJ-1", at=when(moment, "sw", ZONE)
    )
    assert golive_sw in sent.texts(chat_id="alice")

    clock.set(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # one hour before
    team = [Target("console", "team")]
    await ProgramSweep(store, ProgramSettings(), clock, team, notifier=Notifier(team))()
    await dispatcher.deliver_due()
    hour_sw = translate("sw", "prj.notify.reminder_hour").format(
        reference="PRJ-1", at=when(moment, "sw", ZONE)
    )
    hour_en = f"Reminder: PRJ-1 goes live in one hour, {when(moment, 'en', ZONE)}."
    assert sent.texts(chat_id="alice")[-1] == hour_sw
    assert hour_en in sent.texts(chat_id="team")
