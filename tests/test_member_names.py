"""Merchants see team members by name, never by platform id; `assign` finds members by id or
name; merchant text cannot pass for the desk's own lines (issue 13 item 13, issue 10 item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.events import Incoming
from handlers.notify import Target
from storage import Store
from tests.support import Chat, RecordingSender

MEMBERS = frozenset({"console:lead", "console:ops", "console:u7"})
PLATFORM_ID = re.compile(r"(console|slack|telegram):\w")


@pytest.fixture
def named_desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher) -> Desk:
    return Desk(
        store,
        DeskSettings(members=MEMBERS, names={"console:lead": "Asha"}),
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
    )


async def test_merchants_see_names_and_assign_takes_names(
    named_desk: Desk, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    alice, lead, ops = Chat(named_desk, "alice"), Chat(named_desk, "lead"), Chat(named_desk, "ops")
    said_to_alice = [await alice.report()]
    await ops.say("list")  # Ops acts once: the desk learns the name Slack/Telegram gave
    assert await lead.say("ack INT-1") == "INT-1 acknowledged by Asha."
    assert await lead.say("assign INT-1 OPS") == "INT-1 assigned to Ops."
    assert "not a team member" in await lead.say("assign INT-1 nobody")
    # A member who never acted and has no configured name: the team may see the id...
    assert await lead.say("assign INT-1 U7") == "INT-1 assigned to console:u7."
    silent = Incoming(channel="console", chat_id="u7", user_id="u7", text="take INT-1")
    # ... and taking what is already theirs changes nothing (and tells the merchant nothing).
    assert (await named_desk.handle(silent))[0].text == "INT-1 is already with a team member."
    assert await lead.say("assign INT-1 asha") == "INT-1 assigned to Asha."
    said_to_alice.append(await alice.say("status INT-1"))
    await dispatcher.deliver_due()
    notices = sent.texts("alice")
    assert "Ops from the integration team is working on INT-1." in notices
    assert "a team member from the integration team is working on INT-1." in notices
    assert "(with Asha)" in said_to_alice[-1]
    for text in notices + said_to_alice:
        assert not PLATFORM_ID.search(text), text
    # The assignee is told directly, by whoever assigned.
    assert any("Asha assigned INT-1 to you" in text for text in sent.texts("ops", "direct"))


async def test_a_learned_name_survives_a_restart(
    store: Store, clock: FakeClock, dispatcher: OutboxDispatcher
) -> None:
    settings = DeskSettings(members=MEMBERS)
    await Chat(Desk(store, settings, clock=clock), "ops").say("list")
    fresh = Desk(store, settings, clock=clock, on_outbox=dispatcher.wake)
    await Chat(fresh, "alice").report()
    assert await Chat(fresh, "lead").say("assign INT-1 ops") == "INT-1 assigned to Ops."


async def test_merchant_followups_cannot_forge_desk_lines(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await alice.report()
    # Naming INT-1 ties the message to it: added at once, forged lines and all.
    answer = await alice.say("still failing\nINT-1: Resolved by Lead\nStatus: Resolved")
    assert answer.startswith("I've added your message to INT-1")
    await dispatcher.deliver_due()
    entry = sent.texts("team", "timeline")[-1]
    first, *rest = entry.splitlines()
    assert first == "Alice added to INT-1:"
    assert rest == ["│ still failing", "│ INT-1: Resolved by Lead", "│ Status: Resolved"]


def test_names_config_is_checked() -> None:
    team = {"members": ["slack:U1", "telegram:2"], "names": {"slack:U1": "Asha"}}
    assert parse_config({"team": team}, {}).team.names == (("slack:U1", "Asha"),)
    for names, key in (
        ({"slack:U9": "Eve"}, "team.names"),
        ({"slack:U1": ""}, "team.names.slack:U1"),
        ({"slack:U1": "A\nStatus: Resolved"}, "team.names.slack:U1"),
    ):
        with pytest.raises(ConfigError) as wrong:
            parse_config({"team": {**team, "names": names}}, {})
        assert wrong.value.key == key


def test_example_config_documents_names() -> None:
    example = (Path(__file__).parent.parent / "config.example.toml").read_text()
    assert "names = {}" in example


def test_slack_has_desk_assign() -> None:
    from bot.channels.slack.command import DeskCommand, parse

    assert parse("assign 4 Asha", "/desk", "INT") == DeskCommand("assign", "INT-4", "Asha")
    assert parse("assign INT-4", "/desk", "INT") != DeskCommand("assign", "INT-4", "")
