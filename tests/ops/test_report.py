"""`deskbot report` on a seeded database: known timestamps, an injected clock, and every figure
computed again here, independently, from the seeded rows.

The zone is Africa/Dar_es_Salaam (UTC+3, no DST) with the default policy: critical counts wall
time (acknowledge 15m, resolve 4h); major and minor count business hours, Mon-Fri 08:00-17:00
local (05:00-14:00 UTC).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import struct
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli_report
from bot.cli import _parser
from bot.config import Config, parse_config
from handlers.clock import FakeClock
from storage import Database, Store
from storage.models import KbLog, Ticket
from tests.databases import fresh_database_url

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 12:00 local


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


M, H = 60, 3600

# reference, severity (None: a question), channel, created, acknowledged, resolved,
# acknowledge due, resolve due, acknowledge breached, resolve breached
SEED = [
    # critical, wall time
    ("INT-1", "critical", "telegram", utc(17, 10), utc(17, 10, 5), utc(17, 12),
     utc(17, 10, 15), utc(17, 14), None, None),
    ("INT-2", "critical", "telegram", utc(18, 10), utc(18, 10, 20), utc(18, 15),
     utc(18, 10, 15), utc(18, 14), utc(18, 10, 15), utc(18, 14)),
    ("INT-3", "critical", "slack", utc(24, 10), utc(24, 10, 10), None,
     utc(24, 10, 15), utc(24, 14), None, utc(24, 14)),
    ("INT-4", "critical", "slack", utc(25, 10), None, utc(25, 11),
     utc(25, 10, 15), utc(25, 14), utc(25, 10, 15), None),
    # major, business hours. INT-5: Fri 16:00 local, acknowledged Mon 09:00, resolved Mon 12:00
    ("INT-5", "major", "slack", utc(20, 13), utc(23, 6), utc(23, 9),
     utc(23, 8), utc(26, 8), None, None),
    # INT-6: Tue 08:30 local, acknowledged 14:30 local (due 12:30), still open
    ("INT-6", "major", "console", utc(24, 5, 30), utc(24, 11, 30), None,
     utc(24, 9, 30), utc(30, 14), utc(24, 9, 30), None),
    # minor, not yet due
    ("INT-7", "minor", "console", utc(26, 10), None, None,
     utc(30, 10), utc(30, 14) + timedelta(days=7), None, None),
    # a question, resolved after 30 minutes, no SLA
    ("INT-8", None, "telegram", utc(19, 9), None, utc(19, 9, 30), None, None, None, None),
    # outside the period: before it, and after it (the period ends Sun 29 24:00 local)
    ("INT-9", "critical", "telegram", utc(10, 10), utc(10, 10, 1), None,
     utc(10, 10, 15), utc(10, 14), None, utc(10, 14)),
    ("INT-10", "critical", "telegram", utc(29, 22), utc(29, 22, 1), None,
     utc(29, 22, 15), utc(30, 2), None, utc(30, 2)),
]  # fmt: skip

# Hand-computed times, in seconds, for the tickets inside the period.
TTA = {  # first acknowledgement, or resolution when there was none
    "INT-1": 5 * M, "INT-2": 20 * M, "INT-3": 10 * M, "INT-4": 1 * H,
    "INT-5": 2 * H,  # business: Fri 16-17 + Mon 08-09
    "INT-6": 6 * H,  # business: 08:30-14:30 the same day
    "INT-8": 30 * M,
}  # fmt: skip
TTR = {
    "INT-1": 2 * H, "INT-2": 5 * H, "INT-4": 1 * H,
    "INT-5": 5 * H,  # business: Fri 16-17 + Mon 08-12
    "INT-8": 30 * M,
}  # fmt: skip
SEVERITY = {"INT-1": "critical", "INT-2": "critical", "INT-3": "critical", "INT-4": "critical",
            "INT-5": "major", "INT-6": "major", "INT-7": "minor", "INT-8": "question"}  # fmt: skip
CHANNEL = {"INT-1": "telegram", "INT-2": "telegram", "INT-3": "slack", "INT-4": "slack",
           "INT-5": "slack", "INT-6": "console", "INT-7": "console",
           "INT-8": "telegram"}  # fmt: skip
KB = {"answered": 10, "helpful": 4, "not_helpful": 2, "no_answer": 3, "related": 1}


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered, n = sorted(values), len(values)
    return float(ordered[n // 2]) if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def p90(values: list[float]) -> float | None:
    return float(sorted(values)[math.ceil(0.9 * len(values)) - 1]) if values else None


def expected(refs: list[str]) -> dict[str, object]:
    acks = [TTA[r] for r in refs if r in TTA]
    fixes = [TTR[r] for r in refs if r in TTR]
    return {
        "opened": len(refs),
        "mtta": {"count": len(acks), "median_seconds": median(acks), "p90_seconds": p90(acks)},
        "mttr": {"count": len(fixes), "median_seconds": median(fixes), "p90_seconds": p90(fixes)},
    }


async def seed(url: str) -> None:
    async with Database(url) as database:
        await database.upgrade()
        store = Store(database)
        async with store.transaction() as tx:
            for ref, sev, channel, created, ack, res, ack_due, res_due, ack_b, res_b in SEED:
                tx.session.add(
                    Ticket(
                        reference=ref,
                        kind="issue" if sev else "question",
                        title=f"ticket {ref}",
                        severity=sev,
                        status="resolved" if res else "acknowledged" if ack else "open",
                        reporter_channel=channel,
                        reporter_user_id="u1",
                        reporter_chat_id="c1",
                        created_at=created,
                        updated_at=created,
                        acknowledged_at=ack,
                        resolved_at=res,
                        acknowledge_due_at=ack_due,
                        resolve_due_at=res_due,
                        acknowledge_breached_at=ack_b,
                        resolve_breached_at=res_b,
                    )
                )
            for outcome, count in KB.items():
                for n in range(count):
                    tx.session.add(
                        KbLog(created_at=utc(20, 10, n), channel="telegram", user_id="u",
                              question="q", outcome=outcome)
                    )  # fmt: skip
            tx.session.add(  # outside the period
                KbLog(created_at=utc(5, 10), channel="telegram", user_id="u", question="q",
                      outcome="answered")
            )  # fmt: skip


@pytest.fixture
async def config(tmp_path: Path) -> Config:
    url = await fresh_database_url(tmp_path)
    await seed(url)
    return parse_config({"desk": {"database_url": url}}, {})


async def run(config: Config, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    args: argparse.Namespace = _parser().parse_args(["report", *argv])
    assert await cli_report.run(args, config, FakeClock(NOW)) == 0
    return capsys.readouterr().out


PERIOD = ("--since", "2026-11-16", "--until", "2026-11-29")


async def test_json_figures_match_an_independent_computation(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(await run(config, capsys, *PERIOD, "--format", "json"))
    assert report["since"] == "2026-11-15T21:00:00+00:00"  # Mon 16 00:00 local
    assert report["until"] == "2026-11-29T21:00:00+00:00"  # Sun 29 24:00 local
    inside = list(SEVERITY)
    total = report["total"]
    assert {k: total[k] for k in ("opened", "mtta", "mttr")} == expected(inside)
    groups = {g["name"]: g for g in report["by_severity"]}
    for name in ("critical", "major", "minor", "question"):
        refs = [r for r in inside if SEVERITY[r] == name]
        assert {k: groups[name][k] for k in ("opened", "mtta", "mttr")} == expected(refs), name
    channels = {g["name"]: g for g in report["by_channel"]}
    assert set(channels) == {"console", "slack", "telegram"}
    for name, group in channels.items():
        refs = [r for r in inside if CHANNEL[r] == name]
        assert {k: group[k] for k in ("opened", "mtta", "mttr")} == expected(refs), name
    # The numbers themselves, for the reader: critical MTTA 5, 10, 20, 60 minutes.
    assert groups["critical"]["mtta"]["median_seconds"] == 15 * M
    assert groups["critical"]["mtta"]["p90_seconds"] == 1 * H
    assert groups["major"]["mtta"]["median_seconds"] == 4 * H
    assert groups["major"]["business_hours"] and not groups["critical"]["business_hours"]

    # SLA: met / (met + breached), running clocks left out.
    crit = groups["critical"]["sla"]
    assert crit["acknowledge"] == {"met": 2, "breached": 2, "attainment": 0.5}  # 1, 3 / 2, 4
    assert crit["resolve"] == {"met": 2, "breached": 2, "attainment": 0.5}  # 1, 4 / 2, 3
    major = groups["major"]["sla"]
    assert major["acknowledge"] == {"met": 1, "breached": 1, "attainment": 0.5}
    assert major["resolve"] == {"met": 1, "breached": 0, "attainment": 1.0}  # INT-6 running
    minor = groups["minor"]["sla"]
    assert minor["acknowledge"]["attainment"] is None and minor["resolve"]["met"] == 0
    assert sorted((b["reference"], b["clocks"]) for b in report["breaches"]) == [
        ("INT-2", ["acknowledge", "resolve"]),
        ("INT-3", ["resolve"]),
        ("INT-4", ["acknowledge"]),
        ("INT-6", ["acknowledge"]),
    ]
    kb = report["kb"]
    assert kb["questions"] == 13 and kb["deflected"] == 8
    assert kb["helpful_rate"] == 4 / 6 and kb["deflection"] == 8 / 13
    weeks = report["weeks"]
    assert [w["start"] for w in weeks] == ["2026-11-16T00:00:00+03:00", "2026-11-23T00:00:00+03:00"]
    first_week = [r for r in inside if r in ("INT-1", "INT-2", "INT-5", "INT-8")]
    assert weeks[0]["opened"] == {"critical": 2, "major": 1, "minor": 0, "question": 1}
    assert weeks[0]["mtta_median_seconds"] == median([TTA[r] for r in first_week])
    assert weeks[1]["mttr_median_seconds"] == median([TTR["INT-4"]])


async def test_csv_and_text_carry_the_same_figures(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(await run(config, capsys, *PERIOD, "--format", "csv"))))
    by = {(r["group_by"], r["group"]): r for r in rows}
    critical = by[("severity", "critical")]
    assert critical["mtta_median_s"] == str(15 * M) and critical["mtta_p90_s"] == str(H)
    assert critical["mttr_median_s"] == str(2 * H) and critical["mttr_p90_s"] == str(5 * H)
    assert critical["ack_sla_attainment"] == "0.5" and critical["business_hours"] == "no"
    assert by[("channel", "telegram")]["opened"] == "3"
    assert by[("all", "all")]["opened"] == "8"

    text = await run(config, capsys, *PERIOD)
    assert "Desk report 2026-11-16 00:00 – 2026-11-30 00:00 (EAT, Africa/Dar_es_Salaam)" in text
    assert "Tickets opened: 8 (critical 4, major 2, minor 1, question 1)" in text
    assert "• Critical: 4 opened · MTTA 15m median, 1h p90 · MTTR 2h median, 5h p90" in text
    assert "SLA ack 2/4 met (50%) · resolve 2/4 met (50%)" in text
    assert "• Major: 2 opened · MTTA 4h median, 6h p90" in text and "(business hours)" in text
    assert (
        "SLA breaches (4): INT-2 critical (acknowledge and resolve), INT-6 major (acknowledge), "
        "INT-3 critical (resolve), INT-4 critical (acknowledge)"
    ) in text
    assert "helpful 67% (4 of 6 rated), deflection 62% (8 without a ticket)" in text


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append(kind)
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    ihdr = data[16:24]
    width, height = struct.unpack(">II", ihdr)
    return width, height


async def test_chart_is_a_valid_png(
    config: Config, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chart = tmp_path / "report.png"
    await run(config, capsys, *PERIOD, "--chart", str(chart))
    assert png_size(chart.read_bytes()) == (800, 600)


async def test_default_period_is_the_last_seven_days(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(await run(config, capsys, "--format", "json"))
    assert report["until"] == NOW.isoformat()
    assert report["since"] == (NOW - timedelta(days=7)).isoformat()
    # Created 23 Nov 09:00 UTC or later: INT-3, -4, -6, -7 and INT-10.
    assert report["total"]["opened"] == 5


def test_bad_dates_are_refused_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["report", "--since", "30/11/2026"])
    assert stopped.value.code == 2
    assert "--since: '30/11/2026' is not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parser().parse_args(["report", "--until", "2026-11-30T08:00"])
    assert "needs a UTC offset" in capsys.readouterr().err


async def test_since_after_until_is_refused(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parser().parse_args(["report", "--since", "2026-11-29", "--until", "2026-11-20"])
    assert await cli_report.run(args, config, FakeClock(NOW)) == 2
    assert "--since must be before --until" in capsys.readouterr().out
