"""Payment details on tickets: found when a report is filed and in the reporter's follow-ups,
shown on the team's alert in one line, in `deskbot tickets show` and in the ticket's JSON."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from handlers.delivery import OutboxDispatcher
from handlers.facts import loads
from handlers.notify import ALERT, ALERT_UPDATE
from storage import Store
from tests.support import Chat, RecordingSender

DETAILS = (
    "Customer 0754 111 222 paid TZS 50,000 for order ORD20261130A7K9 but "
    "GET /third-parties/payments/ORD20261130A7K9 returns 404 and the status stays PROCESSING"
)
LINE = (
    "Payment details: ORD20261130A7K9 · +255754111222 · TZS 50,000 · HTTP 404 · "
    "/third-parties/payments/ORD20261130A7K9 · PROCESSING"
)


async def test_a_report_keeps_its_payment_details_and_the_alert_shows_them(
    alice: Chat, store: Store, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    await alice.report(title="USSD push paid but PENDING", details=DETAILS)
    await dispatcher.deliver_due()
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert loads(ticket.facts) == {
        "order_references": ["ORD20261130A7K9"],
        "phone_numbers": ["+255754111222"],
        "amounts": ["TZS 50000"],
        "http_statuses": ["404"],
        "endpoints": ["/third-parties/payments/ORD20261130A7K9"],
        "statuses": ["PENDING", "PROCESSING"],
    }
    alert = sent.texts("team", ALERT)[0]
    assert (
        "Payment details: ORD20261130A7K9 · +255754111222 · TZS 50,000 · HTTP 404 · "
        "/third-parties/payments/ORD20261130A7K9 · PENDING · PROCESSING"
    ) in alert.splitlines()


async def test_a_follow_up_adds_facts_and_the_alert_is_updated(
    alice: Chat, store: Store, dispatcher: OutboxDispatcher, sent: RecordingSender
) -> None:
    await alice.report(title="Payout reversed", details="Payout was REVERSED, amount $12.50")
    await alice.say("Muamala namba MP231130.1234.A56789, mteja 255712345678, hali ni FAILED")
    await alice.press_label(alice.choices[0])
    await dispatcher.deliver_due()
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        events = await tx.tickets.events(ticket)
    assert loads(ticket.facts) == {
        "request_ids": ["MP231130.1234.A56789"],
        "phone_numbers": ["+255712345678"],
        "amounts": ["USD 12.50"],
        "statuses": ["REVERSED", "FAILED"],
    }
    assert [e.field for e in events if e.action == "changed"] == ["facts"]
    updated = sent.texts("team", ALERT_UPDATE)[-1]
    assert (
        "Payment details: MP231130.1234.A56789 · +255712345678 · USD 12.50 · REVERSED · FAILED"
        in updated
    )
    # A follow-up with nothing new leaves the alert as it is.
    before = len(sent.texts("team", ALERT_UPDATE))
    await alice.say("Any news?")
    await alice.press_label(alice.choices[0])
    await dispatcher.deliver_due()
    assert len(sent.texts("team", ALERT_UPDATE)) == before


async def test_swahili_team_reads_the_line_in_swahili(store: Store) -> None:
    from handlers.desk import Desk, DeskSettings
    from handlers.notify import Target
    from tests.conftest import TEAM

    desk = Desk(
        store,
        DeskSettings(members=TEAM, team_language="sw"),
        team_targets=[Target("console", "team")],
    )
    sent = RecordingSender()
    dispatcher = OutboxDispatcher(store, {"console": sent}, desk.clock, desk.notifier)
    await Chat(desk, "amina").report(title="Malipo yamekwama", details=DETAILS)
    await dispatcher.deliver_due()
    assert (
        LINE.replace("Payment details", "Taarifa za malipo")
        in sent.texts("team", ALERT)[0].splitlines()
    )


async def test_tickets_show_prints_the_line_and_the_json_has_a_facts_object(
    alice: Chat, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await alice.report(title="Paid but not settled", details=DETAILS)
    config = tmp_path / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{database_url}"\n')
    assert await asyncio.to_thread(main, ["tickets", "show", "INT-1", "--config", str(config)]) == 0
    shown = capsys.readouterr().out
    assert LINE.replace("Payment details", "facts") in shown.splitlines()
    await asyncio.to_thread(main, ["tickets", "show", "INT-1", "--json", "--config", str(config)])
    detail = json.loads(capsys.readouterr().out)
    assert detail["facts"]["phone_numbers"] == ["+255754111222"]
    await asyncio.to_thread(main, ["tickets", "list", "--json", "--config", str(config)])
    assert json.loads(capsys.readouterr().out)[0]["facts"]["amounts"] == ["TZS 50000"]
    await asyncio.to_thread(main, ["tickets", "export", "--format", "csv", "--config", str(config)])
    exported = capsys.readouterr().out
    assert exported.splitlines()[0].endswith(",facts")
    assert "ORD20261130A7K9 · +255754111222" in exported
