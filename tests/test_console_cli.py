"""The console channel and operator CLI as a newcomer uses them: real processes, piped input."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.databases import database_url_for

ROOT = Path(__file__).parent.parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKBOT_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[desk]\ndatabase_url = "{database_url_for(tmp_path)}"\n'
        '[team]\nmembers = ["console:lead"]\n'
    )
    return config


def deskbot(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(_config(tmp_path))],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
        timeout=60,
    )


def test_piped_console_session_files_a_critical_production_issue(tmp_path: Path) -> None:
    session = "\n".join(
        [
            "report",
            "Payouts stuck in PROCESSING",
            "Since 09:00 every payout stays PROCESSING; order ref ORD123",
            "continue",  # no screenshots or logs
            "2",  # Production, by number
            "critical",  # by label
            "1",  # Confirm
        ]
    )
    chat = deskbot(tmp_path, "chat", "--user", "amina", stdin=session + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "Your issue is logged as INT-1 (Critical, Production)." in chat.stdout
    assert "[team · alert] New issue INT-1" in chat.stdout

    listing = deskbot(tmp_path, "tickets", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    (ticket,) = json.loads(listing.stdout)
    assert ticket["title"] == "Payouts stuck in PROCESSING"
    assert (ticket["severity"], ticket["environment"], ticket["status"]) == (
        "critical",
        "production",
        "open",
    )
    assert ticket["reporter"] == "console:amina"
    for key in (
        "reference",
        "kind",
        "description",
        "assignee",
        "created_at",
        "acknowledged_at",
        "resolved_at",
    ):
        assert key in ticket


def test_team_member_acknowledges_from_the_console(tmp_path: Path) -> None:
    deskbot(tmp_path, "chat", "--user", "amina", stdin="report\nT\nD\n1\n1\n3\n1\n")
    chat = deskbot(tmp_path, "chat", "--user", "lead", stdin="ack INT-1\nlist\n")
    assert "INT-1 acknowledged by lead." in chat.stdout
    assert "[to amina] Your ticket INT-1 (T) was acknowledged" in chat.stdout
    show = json.loads(deskbot(tmp_path, "tickets", "show", "INT-1", "--json").stdout)
    assert show["status"] == "acknowledged" and show["acknowledged_by"] == "lead"
    assert show["events"][0]["action"] == "created"
    assert {"transcript", "events", "pages"} <= set(show)


def test_tickets_show_unknown_reference(tmp_path: Path) -> None:
    result = deskbot(tmp_path, "tickets", "show", "INT-9")
    assert result.returncode == 1 and "No ticket INT-9." in result.stdout


def test_export_csv_and_json(tmp_path: Path) -> None:
    deskbot(tmp_path, "chat", "--user", "amina", stdin='report\nA, "quoted" title\nD\n1\n1\n3\n1\n')
    csv_out = deskbot(tmp_path, "tickets", "export", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("reference,kind,title")
    assert csv_out[1].startswith('INT-1,issue,"A, ""quoted"" title"')
    json_out = json.loads(deskbot(tmp_path, "tickets", "export", "--format", "json").stdout)
    assert json_out[0]["title"] == 'A, "quoted" title'


async def _read_until(stream: asyncio.StreamReader, marker: str) -> str:
    seen = ""
    while marker not in seen:
        line = await asyncio.wait_for(stream.readline(), 30)
        assert line, f"process ended before printing {marker!r}; saw {seen!r}"
        seen += line.decode()
    return seen


async def test_killed_mid_report_resumes_at_the_same_step(tmp_path: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "bot",
        "chat",
        "--user",
        "amina",
        "--config",
        str(_config(tmp_path)),
    ]
    first = await asyncio.create_subprocess_exec(
        *args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(), cwd=tmp_path
    )
    assert first.stdin is not None and first.stdout is not None
    first.stdin.write(
        b"report\nCallback never arrives\nWebhook for PAYMENT RECEIVED missing\ncontinue\n"
    )
    await first.stdin.drain()
    await _read_until(first.stdout, "Where does it happen?")
    first.send_signal(signal.SIGKILL)
    await first.wait()

    second = await asyncio.create_subprocess_exec(
        *args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(), cwd=tmp_path
    )
    out, _ = await asyncio.wait_for(second.communicate(b"production\nmajor\nconfirm\n"), 60)
    text = out.decode()
    assert "How severe is it?" in text
    assert "Your issue is logged as INT-1 (Major, Production)." in text
    listing = deskbot(tmp_path, "tickets", "list", "--json")
    (ticket,) = json.loads(listing.stdout)
    assert ticket["title"] == "Callback never arrives"
