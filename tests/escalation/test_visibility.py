"""SLA state and pages where people look: the team's chat list, `deskbot tickets list/show`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from handlers.clock import FakeClock
from handlers.escalation.escalator import Escalator
from tests.databases import database_url_for
from tests.escalation.conftest import run_minutes
from tests.support import Chat
from tests.test_console_cli import ROOT, _env


def deskbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "cli.toml"
    url = database_url_for(tmp_path)
    config.write_text(f'[desk]\ndatabase_url = "{url}"\n')
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=60,
    )


async def test_team_list_shows_breached_and_at_risk_slas(
    alice: Chat, bob: Chat, lead: Chat, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(title="Payouts down", severity="Critical")
    await run_minutes(clock, escalator, clock.now() + timedelta(minutes=20), timedelta(minutes=1))
    await bob.report(title="Checksum mismatch", severity="Critical")
    clock.advance(timedelta(minutes=12))  # bob's 15 minute acknowledge clock: 3 minutes left
    listing = await lead.say("list")
    lines = listing.splitlines()
    payouts = next(line for line in lines if "INT-1" in line)
    checksum = next(line for line in lines if "INT-2" in line)
    assert payouts.endswith("· SLA: ack breached")
    assert checksum.endswith("· SLA: ack at risk")


async def test_tickets_show_json_lists_pages_and_sla(
    tmp_path: Path, alice: Chat, lead: Chat, clock: FakeClock, escalator: Escalator
) -> None:
    await alice.report(severity="Critical")
    await run_minutes(clock, escalator, clock.now() + timedelta(minutes=31), timedelta(minutes=1))
    await lead.say("ack INT-1")
    show = deskbot(tmp_path, "tickets", "show", "INT-1", "--json")
    assert show.returncode == 0, show.stderr
    detail = json.loads(show.stdout)
    assert [(p["level"], p["repeat"], p["targets"]) for p in detail["pages"]] == [
        (1, 0, "console:team"),
        (2, 0, "console:team"),
        (3, 0, "console:team,console:lead"),
    ]
    assert detail["pages"][1]["sent_at"] == "2026-11-27T09:15:00+00:00"
    assert detail["acknowledge_breached_at"] == "2026-11-27T09:15:00+00:00"
    assert detail["escalation_level"] == 3
    assert detail["sla"]["acknowledge"] == "breached"
    assert detail["next_escalation_at"] == "2026-11-27T13:00:00+00:00"
    listing = deskbot(tmp_path, "tickets", "list")
    row = next(line for line in listing.stdout.splitlines() if line.startswith("INT-1"))
    # The CLI judges open clocks by the real time, so only the recorded breach is certain here.
    assert "ack breached" in row
    as_json = json.loads(deskbot(tmp_path, "tickets", "list", "--json").stdout)
    assert as_json[0]["sla"]["acknowledge"] == "breached"
