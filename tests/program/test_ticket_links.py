"""Tickets know their merchant: linked to the merchant and its active project, named on alerts,
and marked as from a live merchant for Production issues once the project is live."""

from __future__ import annotations

from handlers.delivery import OutboxDispatcher
from storage import Store
from tests.program.helpers import request
from tests.program.test_team import to_uat
from tests.support import Chat, RecordingSender


async def test_alerts_name_merchant_project_and_stage(
    alice: Chat,
    bob: Chat,
    lead: Chat,
    store: Store,
    sent: RecordingSender,
    dispatcher: OutboxDispatcher,
) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    await alice.report(title="Token call returns 401", environment="Staging", severity="Major")
    await bob.report(title="Unlinked merchant", environment="Staging", severity="Minor")
    await dispatcher.deliver_due()
    alerts = [i.payload["text"] for i in sent.items if i.kind == "alert"]
    assert (
        "Reporter: Alice (console:alice) · Duka Online · PRJ-1 · Scope and objectives" in alerts[0]
    )
    assert "Reporter: Bob (console:bob)\n" in alerts[1]
    async with store.transaction() as tx:
        linked = await tx.tickets.get("INT-1")
        unlinked = await tx.tickets.get("INT-2")
        project = await tx.projects.get("PRJ-1")
    assert linked is not None and project is not None and unlinked is not None
    assert (linked.project_id, linked.merchant_id) == (project.id, project.merchant_id)
    assert (unlinked.project_id, unlinked.merchant_id) == (None, None)
    assert "INT-1 (open)" in await lead.say("project PRJ-1")


async def test_production_issue_from_a_live_merchant(
    alice: Chat, lead: Chat, sent: RecordingSender, dispatcher: OutboxDispatcher
) -> None:
    await to_uat(alice, lead)
    for n in range(1, 7):
        await alice.say(f"uat {n} pass")
    await alice.say("uat signoff")
    await lead.say("confirm PRJ-1")
    await lead.say("advance PRJ-1 force go-live today")
    assert "PRJ-1 is now at Live." in await lead.say("advance PRJ-1 force first payment seen")
    await alice.report(title="Payouts stuck", environment="Production", severity="Critical")
    await dispatcher.deliver_due()
    (alert,) = [i.payload["text"] for i in sent.items if i.kind == "alert"]
    assert "Duka Online · PRJ-1 · Live · live merchant" in alert
