"""Times people read are in the desk's zone with its abbreviation, in their language; a ticket
filed outside business hours says when the team is back and by when to expect an answer (issue
10, item 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from handlers.clock import FakeClock
from handlers.desk import DeskSettings
from tests.program.helpers import request
from tests.support import Chat, sw
from tests.test_console_cli import deskbot

# Monday 30 November 2026, 07:27 in Dar es Salaam: before business hours (08:00-17:00).
MONDAY_EARLY = datetime(2026, 11, 30, 4, 27, tzinfo=UTC)
# Friday 27 November 2026, 18:30 in Dar es Salaam: after hours, the weekend ahead.
FRIDAY_EVENING = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def test_the_desk_zone_defaults_to_dar_es_salaam() -> None:
    assert DeskSettings().timezone == "Africa/Dar_es_Salaam"


async def test_status_shows_the_opening_time_in_eat(alice: Chat) -> None:
    await alice.report()
    answer = await alice.say("status INT-1")
    assert "Opened: Friday, 27 November 2026 12:00 EAT" in answer
    assert "UTC" not in answer


async def test_block_times_are_in_eat(alice: Chat, lead: Chat) -> None:
    told = await lead.say("block console:alice 2")
    assert "blocked until Fri 27 Nov 14:00 EAT" in told
    answer = await alice.say("/report")
    assert "until Fri 27 Nov 14:00 EAT" in answer and "UTC" not in answer


async def test_a_report_before_business_hours_says_when_the_team_looks(
    alice: Chat, clock: FakeClock
) -> None:
    clock.set(MONDAY_EARLY)
    done = await alice.report(severity="Major")
    assert "It is outside business hours now; the team is back Mon 30 Nov 08:00 EAT." in done
    assert "Major: we answer within 4 business hours, by Mon 30 Nov 12:00 EAT." in done


async def test_a_critical_report_at_night_says_the_team_is_paged_now(
    alice: Chat, clock: FakeClock
) -> None:
    clock.set(FRIDAY_EVENING)
    done = await alice.report(severity="Critical")
    assert "the team is back Mon 30 Nov 08:00 EAT" in done
    assert "Critical: the team is paged now, day or night." in done
    assert "we answer within" not in done


async def test_a_minor_report_on_friday_evening_counts_business_hours(
    alice: Chat, clock: FakeClock
) -> None:
    clock.set(FRIDAY_EVENING)
    done = await alice.report(severity="Minor")
    # Two days of business time: 48 working hours (9 a day) from Monday 08:00.
    assert "Minor: we answer within 48 business hours, by Mon 7 Dec 11:00 EAT." in done


async def test_inside_business_hours_nothing_is_added(alice: Chat) -> None:
    done = await alice.report(severity="Major")
    assert "business hours" not in done


async def test_after_hours_texts_in_swahili(alice: Chat, clock: FakeClock) -> None:
    clock.set(MONDAY_EARLY)
    await alice.say("lugha sw")
    done = await alice.ripoti("Webhook haifiki", "Hakuna callback", "majaribio", "kubwa", "ndiyo")
    assert sw("afterhours.back", back="Jumatatu 30 Nov 08:00 EAT") in done
    expected = sw(
        "afterhours.answer_business",
        severity="Kubwa",
        hours="4",
        due="Jumatatu 30 Nov 12:00 EAT",
    )
    assert expected in done


async def test_program_history_shows_local_times(alice: Chat, lead: Chat) -> None:
    await request(alice)
    await lead.say("accept PRJ-1")
    detail = await lead.say("project PRJ-1")
    assert "2026-11-27 12:00 EAT" in detail


def test_cli_show_is_local_and_json_stays_iso_with_offset(tmp_path: Path) -> None:
    deskbot(
        tmp_path, "chat", "--user", "amina", stdin="report\nPayouts stuck\nSince 6am\n1\n1\n3\n1\n"
    )
    text = deskbot(tmp_path, "tickets", "show", "INT-1").stdout
    assert " EAT" in text and "+00:00" not in text
    data = json.loads(deskbot(tmp_path, "tickets", "show", "INT-1", "--json").stdout)
    created = datetime.fromisoformat(data["created_at"])
    assert created.utcoffset() is not None and data["created_at"].endswith("+00:00")
