"""One project from `integrate` to `live` in a piped console session (merchant and team lead),
on the real console channel, with the clock injected for the go-live reminders and a restart
while a reminder is scheduled."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import main
from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.notify import Target
from handlers.program.settings import DEFAULT_CHECKLISTS, ProgramSettings
from handlers.program.sweep import ProgramSweep
from storage import Database, Store
from tests.conftest import TEAM
from tests.program.conftest import Console


def make_desk(store: Store, clock: FakeClock, dispatcher: OutboxDispatcher) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, program=ProgramSettings()),
        team_targets=[Target("console", "team")],
        clock=clock,
        on_outbox=dispatcher.wake,
    )


def sweep_for(store: Store, clock: FakeClock) -> ProgramSweep:
    return ProgramSweep(store, ProgramSettings(), clock, [Target("console", "team")])


async def test_from_integrate_to_live(
    database: Database,
    store: Store,
    clock: FakeClock,
    console_dispatcher: OutboxDispatcher,
    screen: io.StringIO,
    tmp_path: Path,
    capsys: object,
) -> None:
    desk = make_desk(store, clock, console_dispatcher)
    amina = Console(desk, console_dispatcher, "amina", screen)
    lead = Console(desk, console_dispatcher, "lead", screen)

    out = await amina.type(
        "integrate",
        "1",  # Yes, an active merchant account
        "Duka Online",
        "CP-778812",
        "Online shop taking M-Pesa and Airtel Money at checkout",
        "1",  # Collections by USSD push
        "7",  # Done
        "WooCommerce on PHP 8.2",
        "2027-01-15",
        "1",  # Confirm
    )
    assert "Your integration request is PRJ-1" in out
    assert "[team · direct] New integration request PRJ-1" in out
    assert "(accept PRJ-1 | take PRJ-1 | reply PRJ-1)" in out

    out = await lead.type("accept PRJ-1", "take PRJ-1")
    assert "PRJ-1 accepted; now at Scope and objectives." in out
    assert "[to amina] Your integration PRJ-1 moved to the stage: Scope and objectives." in out
    assert "[to amina] lead from the Integration Team is your contact for PRJ-1." in out

    # An open checklist item blocks the advance, and is named.
    out = await lead.type("advance PRJ-1")
    assert "can't advance: open checklist items: 1. Integration scope agreed" in out

    for stage in ("scope", "documentation", "data_mapping", "security", "staging"):
        count = len(DEFAULT_CHECKLISTS[stage])
        out = await lead.type(*[f"check PRJ-1 {n}" for n in range(1, count + 1)], "advance PRJ-1")
        assert "PRJ-1 is now at" in out, out
    out = await amina.type("progress")
    assert "▶ UAT (current)" in out and "✓ Staging" in out
    assert "Waiting for you: run the UAT cases" in out
    assert "Your contact in the Integration Team: lead" in out

    # UAT: case 2 fails and opens a linked Staging issue.
    out = await amina.type("uat")
    assert "UAT cases for PRJ-1:" in out and "2. not run · USSD push succeeds" in out
    out = await amina.type("uat 2 fail", "The push never reaches the phone; order ORD77", "major")
    assert "Case 2 is marked failed and logged as INT-1 (Staging)" in out
    assert "New issue INT-1" in out and "Duka Online · PRJ-1 · UAT" in out
    out = await amina.type("uat signoff")
    assert "UAT can't be signed off yet. Not passed: 1 (not run), 2 (failed)" in out

    out = await lead.type("resolve INT-1 Callback URL fixed on staging")
    assert "[to amina] Your ticket INT-1" in out
    # Every case, by the list's buttons for the first and typed for the rest.
    await amina.type("uat", "2")  # the list's choice "Case 2"
    out = await amina.type("1")  # Pass
    assert "Case 2 passed." in out
    passed = await amina.type(*[f"uat {n} pass" for n in (1, 3, 4, 5, 6)])
    assert "Every required UAT case has passed. Sign UAT off?" in passed
    out = await amina.type("1")  # Sign off UAT
    assert "UAT on PRJ-1 is signed off from your side" in out

    out = await lead.type("golive PRJ-1 2026-12-01 10:00")
    assert "needs both UAT sign-offs" in out
    out = await lead.type("confirm PRJ-1", "golive PRJ-1 2026-12-01 10:00")
    assert "PRJ-1: go-live set for Tuesday, 1 December 2026 10:00 EAT." in out
    assert "[to amina] Go-live for PRJ-1 is set for Tuesday, 1 December 2026 10:00 EAT." in out

    # The business day before (Monday 08:00 EAT = 05:00 UTC): one reminder to each side.
    sweep = sweep_for(store, clock)
    clock.set(datetime(2026, 11, 30, 4, 59, tzinfo=UTC))
    assert await sweep() == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    clock.set(datetime(2026, 11, 30, 5, 0, tzinfo=UTC))
    await sweep()
    await sweep()  # claimed once: a second sweep sends nothing more
    await console_dispatcher.deliver_due()
    assert screen.getvalue().count("Reminder: PRJ-1 goes live tomorrow") == 2

    # Restart: a new desk, sweep and dispatcher on the same database pick up the hour-before
    # reminder from the row.
    restarted = OutboxDispatcher(
        store,
        {"console": console_dispatcher.senders["console"]},
        clock,
        console_dispatcher.notifier,
    )
    sweep = sweep_for(store, clock)
    clock.set(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    await sweep()
    clock.set(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    await sweep()
    await restarted.deliver_due()
    text = screen.getvalue()
    hour_before = "Reminder: PRJ-1 goes live in one hour, Tuesday, 1 December 2026 10:00 EAT."
    assert text.count(hour_before) == 2
    assert "PRJ-1 is going live now" in text

    desk = make_desk(store, clock, restarted)
    lead = Console(desk, restarted, "lead", screen)
    out = await lead.type(
        *[f"check PRJ-1 {n}" for n in (1, 2, 3)], "advance PRJ-1 first payment settled"
    )
    assert "PRJ-1 is now at Live." in out
    out = await lead.type("advance PRJ-1")
    assert "PRJ-1 is live: there is no stage after it." in out

    config = tmp_path / "config.toml"
    config.write_text(f'[desk]\ndatabase_url = "{database.url}"\n')
    argv = ["projects", "show", "PRJ-1", "--json", "--config", str(config)]
    assert await asyncio.to_thread(main, argv) == 0
    shown = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert shown["reference"] == "PRJ-1" and shown["stage"] == "live"
    assert shown["merchant"] == {
        "name": "Duka Online",
        "account_id": "CP-778812",
        "identities": ["console:amina"],
    }
    assert [s["stage"] for s in shown["stages"]] == [
        "requested",
        "scope",
        "documentation",
        "data_mapping",
        "security",
        "staging",
        "uat",
        "go_live",
        "live",
    ]
    assert shown["stages"][-1]["note"] == "first payment settled"
    assert shown["stages"][0]["entered_at"].endswith("+00:00")
    assert shown["tickets"] == ["INT-1"]
    assert shown["signoffs"]["merchant"]["by"] == "amina"
    assert shown["signoffs"]["team"]["by"] == "lead"
    assert shown["go_live_at"] == "2026-12-01T07:00:00+00:00"
    assert {c["status"] for c in shown["uat"] if c["required"]} == {"pass"}
    assert all(item["done"] for item in shown["checklist"] if item["stage"] != "uat")
    assert shown["objectives"] == ["ussd_push"]
    assert shown["target_go_live"] == "2027-01-15"
