"""Several people per merchant: the team links a colleague's chat identity to the merchant, and
from then on that person follows the project and their tickets are the merchant's."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from bot.cli_projects import project_dict
from storage import Store
from tests.program.helpers import request
from tests.support import Chat


async def test_a_linked_colleague_sees_the_project_and_files_linked_tickets(
    alice: Chat, bob: Chat, lead: Chat, store: Store
) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    # Before: Bob is a stranger to PRJ-1.
    assert "I couldn't find a project PRJ-1." in await bob.say("progress PRJ-1")

    answer = await lead.say("link PRJ-1 console:bob")
    assert "console:bob now speaks for Duka Online (PRJ-1)" in answer
    assert "already speaks for" not in await lead.say("link PRJ-1 console:bob")
    assert "Scope and objectives" in await bob.say("progress")
    await bob.report(title="Webhook never arrives", environment="Staging", severity="Major")
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        project = await tx.projects.get("PRJ-1")
        assert ticket is not None and project is not None
        assert (ticket.project_id, ticket.merchant_id) == (project.id, project.merchant_id)
        shown = await project_dict(tx, project)
    assert shown["merchant"]["identities"] == ["console:alice", "console:bob"]
    json.dumps(shown)
    detail = await lead.say("project PRJ-1")
    assert "Speaking for the merchant: console:alice, console:bob" in detail

    assert "console:bob no longer speaks for Duka Online." in await lead.say(
        "unlink PRJ-1 console:bob"
    )
    assert "I couldn't find a project PRJ-1." in await bob.say("progress PRJ-1")


async def test_link_refusals(alice: Chat, bob: Chat, lead: Chat) -> None:
    await request(alice)
    await request(bob, name="Soko Pay")
    assert "Usage: link PRJ-3" in await lead.say("link PRJ-1")
    assert "“telegram:abc” is not a chat identity" in await lead.say("link PRJ-1 telegram:abc")
    assert "is not a chat identity" in await lead.say("link PRJ-1 <!channel>")
    # Bob speaks for Soko Pay (PRJ-2): he cannot be linked to Duka Online as well.
    assert "console:bob already speaks for Soko Pay. Unlink it there first" in await lead.say(
        "link PRJ-1 console:bob"
    )
    assert "console:carol does not speak for Duka Online." in await lead.say(
        "unlink PRJ-1 console:carol"
    )
    assert "console:alice is the only identity speaking for Duka Online" in await lead.say(
        "unlink PRJ-1 console:alice"
    )
    assert "I couldn't find a project PRJ-9." in await lead.say("link PRJ-9 console:carol")
    # Merchants cannot link anyone, not even to their own project.
    assert "for the integration team only" in await alice.say("link PRJ-1 console:carol")


async def test_slack_ids_are_normalised(alice: Chat, lead: Chat) -> None:
    await request(alice)
    assert "slack:U0ABC123 now speaks for" in await lead.say("link PRJ-1 slack:u0abc123")
    assert "telegram:4242 now speaks for" in await lead.say("link PRJ-1 Telegram:4242")


async def test_two_links_of_one_identity_at_once_leave_one_row(
    alice: Chat, bob: Chat, store: Store
) -> None:
    """Two processes linking the same person to two merchants: one wins, the other is told."""
    await request(alice)
    await request(bob, name="Soko Pay")

    async def link(merchant_id: int) -> int:
        async with store.transaction() as tx:
            return await tx.projects.link(merchant_id, "telegram:777", _now())

    owners = await asyncio.gather(link(1), link(2))
    assert owners[0] == owners[1]
    async with store.transaction() as tx:
        linked = [await tx.projects.identities(m) for m in (1, 2)]
    assert sorted("telegram:777" in ids for ids in linked) == [False, True]


def _now() -> datetime:
    return datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
