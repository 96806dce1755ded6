"""The team's project commands and their refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.program.settings import DEFAULT_CHECKLISTS
from storage import Store
from tests.program.helpers import request, through_checklist
from tests.support import Chat, RecordingSender


async def to_uat(alice: Chat, lead: Chat) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    for stage in ("scope", "documentation", "data_mapping", "security", "staging"):
        assert "is now at" in await through_checklist(lead, "PRJ-1", len(DEFAULT_CHECKLISTS[stage]))


async def test_projects_list_and_bad_stage(alice: Chat, bob: Chat, lead: Chat) -> None:
    await request(alice)
    await request(bob, name="Soko Pay")
    listing = await lead.say("projects")
    assert "2 project(s), stalled first:" in listing
    assert "PRJ-1 · Duka Online · Requested" in listing
    assert "PRJ-2 · Soko Pay" in await lead.say("projects requested")
    assert "No projects match." in await lead.say("projects live")
    answer = await lead.say("projects launched")
    assert "“launched” is not a stage. Stages: requested, scope," in answer


async def test_stalled_projects_come_first(
    alice: Chat, bob: Chat, lead: Chat, clock: FakeClock
) -> None:
    await request(alice)
    clock.set(datetime(2026, 12, 9, 9, 0, tzinfo=UTC))  # 8 business days later
    await request(bob, name="Soko Pay")
    await lead.say("accept PRJ-2")
    lines = (await lead.say("projects")).splitlines()
    assert lines[1].startswith("PRJ-1") and lines[1].endswith("STALLED")
    assert "STALLED" not in lines[2]


async def test_accept_take_owner_reply_note(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await request(alice)
    assert "PRJ-1 accepted; now at Scope and objectives." in await lead.say("accept PRJ-1")
    assert "is not waiting for acceptance: it is at Scope" in await lead.say("accept PRJ-1")
    assert "PRJ-1 is now with Lead." in await lead.say("take PRJ-1")
    assert "PRJ-1 is already with Lead." in await lead.say("take PRJ-1")
    assert "PRJ-1 is now with ops." in await lead.say("owner PRJ-1 ops")
    assert "is not a team member" in await lead.say("owner PRJ-1 nobody")
    assert "Sent to the merchant" in await lead.say("reply PRJ-1 Please share your API docs")
    assert "Internal note added to PRJ-1." in await lead.say("note PRJ-1 big merchant")
    assert "Please add the text" in await lead.say("reply PRJ-1")
    await dispatcher.deliver_due()
    to_alice = sent.texts(chat_id="alice")
    assert to_alice == [
        "Your integration PRJ-1 moved to the stage: Scope and objectives.",
        "Lead from the Integration Team is your contact for PRJ-1.",
        "ops from the Integration Team is your contact for PRJ-1.",
        "The Integration Team wrote about PRJ-1:\nPlease share your API docs",
    ]
    assert not any("big merchant" in text for text in sent.texts())


async def test_check_and_advance_refusals(alice: Chat, lead: Chat) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    assert "There is no item 9 in the Scope and objectives checklist (it has 3)." in await lead.say(
        "check PRJ-1 9"
    )
    assert "checked 1." in await lead.say("check PRJ-1 1")
    assert "Item 1 is already done" in await lead.say("check PRJ-1 1")
    answer = await lead.say("advance PRJ-1")
    assert (
        "open checklist items: 2. Payment methods" in answer and "3. Technical contacts" in answer
    )
    assert "Please give the reason" in await lead.say("advance PRJ-1 force")
    assert "PRJ-1 is now at Documentation." in await lead.say(
        "advance PRJ-1 force merchant in a hurry"
    )
    detail = await lead.say("project PRJ-1")
    assert "Documentation (Lead): forced: merchant in a hurry" in detail


async def test_uat_rules_sign_offs_and_go_live(alice: Chat, lead: Chat, clock: FakeClock) -> None:
    await to_uat(alice, lead)
    assert "needs both UAT sign-offs" in await lead.say("advance PRJ-1")
    assert "UAT can't be signed off yet" in await lead.say("confirm PRJ-1")
    assert "UAT case 8 added" in await lead.say("uatcase PRJ-1 add Refund shown in the shop")
    assert "Usage: uatcase" in await lead.say("uatcase PRJ-1 remove 3")
    await alice.say("uat 1 fail")
    await alice.say("Token call returns 401")
    await alice.press_label("Minor")
    assert "Not passed: 1 (failed)" in await alice.say("uat signoff")
    for n in (1, 2, 3, 4, 5, 6, 8):
        await alice.say(f"uat {n} pass")
    assert "Sign off UAT" in alice.choices
    assert "signed off from your side" in await alice.press_label("Sign off UAT")
    assert "already signed off" in await alice.say("uat 1 fail")
    assert "no cases can be added now" in await lead.say("uatcase PRJ-1 add Late case")
    assert "the team's UAT sign-off is recorded" in await lead.say("confirm PRJ-1")
    assert "already signed UAT off" in await lead.say("confirm PRJ-1")
    assert "is not a date and time" in await lead.say("golive PRJ-1 tomorrow 10:00")
    assert "is not a date and time" in await lead.say("golive PRJ-1 2026-13-01 10:00")
    assert "is in the past" in await lead.say("golive PRJ-1 2026-11-27 11:00")  # 11:00 EAT < now
    answer = await lead.say("golive PRJ-1 2026-11-30 10:00")
    assert "go-live set for Monday, 30 November 2026 10:00 EAT" in answer
    # `advance` from uat means go-live now.
    assert "PRJ-1 is now at Go-live." in await lead.say("advance PRJ-1 force early go-live")
    assert "Go-live can be set only at UAT" in await lead.say("golive PRJ-1 2026-12-30 10:00")


async def test_a_stale_change_loses(
    store: Store, alice: Chat, lead: Chat, clock: FakeClock
) -> None:
    """Two processes pressing Accept: the second one's conditional UPDATE matches nothing."""
    await request(alice)
    async with store.transaction() as tx:
        stale = await tx.projects.get("PRJ-1")
    await lead.say("accept PRJ-1")
    assert stale is not None and stale.stage == "requested"
    async with store.transaction() as tx:
        assert not await tx.projects.move(stale, "scope", "other", "", clock.now())
        history = await tx.projects.history(stale)
    assert [h.stage for h in history] == ["requested", "scope"]
