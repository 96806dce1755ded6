"""`integrate` and `progress`, with their refusals."""

from __future__ import annotations

from handlers.delivery import OutboxDispatcher
from tests.program.helpers import request
from tests.support import Chat, RecordingSender


async def test_integrate_files_a_project_and_alerts_the_team(
    alice: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    answer = await request(alice)
    assert "Your integration request is PRJ-1" in answer
    await dispatcher.deliver_due()
    (alert,) = [i for i in sent.items if i.chat_id == "team"]
    assert alert.payload["text"].startswith("New integration request PRJ-1\nBusiness: Duka Online")
    values = [c["value"] for c in alert.payload["choices"]]
    assert values == ["team:accept:PRJ-1", "team:take:PRJ-1", "team:reply:PRJ-1"]
    progress = await alice.say("progress")
    assert "PRJ-1 · current stage: Requested" in progress
    assert "▶ Requested (current)" in progress and "· Live" in progress
    assert "Waiting for the Integration Team to accept your request." in progress
    assert "Next stage: Scope and objectives. It needs: Integration scope agreed" in progress


async def test_no_active_account_files_nothing(alice: Chat, lead: Chat) -> None:
    await alice.say("integrate")
    answer = await alice.press_label("No")
    assert "An active ClickPesa merchant account comes first" in answer
    assert "Nothing was filed" in answer
    assert "No projects match." in await lead.say("projects")


async def test_objectives_several_and_typed(alice: Chat) -> None:
    await alice.say("integrate")
    await alice.say("yes")
    await alice.say("Duka Online")
    await alice.say("CP-1")
    await alice.say("Shop")
    assert "Please choose at least one objective first." in await alice.press_label("Done")
    assert "I didn't recognise that" in await alice.say("bitcoin")
    assert "Which systems are involved?" in await alice.say("Card payments, payout")
    await alice.say("Django")
    assert "is not a date like" in await alice.say("next week")
    assert "is not in the future" in await alice.say("2020-01-01")
    summary = await alice.say("2027-02-01")
    assert "Objectives: Card payments, Payouts to mobile money or bank" in summary
    assert "Target go-live: 2027-02-01" in summary


async def test_second_integrate_is_refused(alice: Chat) -> None:
    await alice.say("integrate")
    await alice.press_label("Yes")
    answer = await alice.say("integrate")
    assert "already in the middle of your integration request" in answer
    assert "already in the middle" in await alice.say("/integrate")
    assert "business name" not in (await alice.say("cancel")).lower()
    await request(alice)
    assert "PRJ-1 is already waiting for the Integration Team" in await alice.say("integrate")


async def test_markup_and_emoji_are_stored_verbatim(alice: Chat, lead: Chat) -> None:
    await request(alice, name="<b>Duka</b> *Online* 🛒 <!channel>")
    detail = await lead.say("project PRJ-1")
    assert "<b>Duka</b> *Online* 🛒 <!channel> (merchant account CP-778812)" in detail


async def test_a_merchant_sees_only_their_own_projects(alice: Chat, bob: Chat) -> None:
    await request(alice)
    assert "I couldn't find a project PRJ-1." in await bob.say("progress PRJ-1")
    assert "I couldn't find a project PRJ-1." in await bob.say("uat PRJ-1")
    assert "I couldn't find a project PRJ-2." in await alice.say("progress PRJ-2")
    assert "no integration project yet" in await bob.say("progress")


async def test_merchants_cannot_use_team_commands(alice: Chat) -> None:
    await request(alice)
    for command in (
        "accept PRJ-1",
        "advance PRJ-1",
        "check PRJ-1 1",
        "golive PRJ-1 2027-01-01 10:00",
        "projects",
        "take PRJ-1",
        "confirm PRJ-1",
    ):
        assert "for the integration team only" in await alice.say(command), command


async def test_prose_is_not_taken_for_a_command(alice: Chat) -> None:
    answer = await alice.say("check 5 times the payout")
    assert "for the integration team only" not in answer
