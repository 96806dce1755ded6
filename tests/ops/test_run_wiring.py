"""`deskbot run` with `[ops] metrics_port` set: the listener answers next to the console
channel, and the weekly report's cron fires on the configured weekday and local time."""

from __future__ import annotations

import asyncio
import os
import socket
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiohttp

from bot.channels.console import ConsoleService
from bot.config import parse_config
from bot.config_ops import WeeklyAt
from bot.ops.wiring import alarm_interval, weekly_trigger
from bot.run import serve
from tests.databases import fresh_database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_serves_metrics_and_health_beside_the_console(tmp_path: Path) -> None:
    port = free_port()
    raw = {
        "desk": {"database_url": await fresh_database_url(tmp_path)},
        "ops": {"metrics_port": port},
        "reports": {"weekly_at": ""},
    }
    config = parse_config(raw, env={})
    read, write = os.pipe()
    with open(read, encoding="utf-8") as stdin, open(os.devnull, "w") as stdout:
        service = ConsoleService("amina", stdin=stdin, stdout=stdout)
        running = asyncio.create_task(serve(config, [service]))
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession() as http:
                for _ in range(200):  # the listener starts with the desk; a bounded wait
                    try:
                        async with http.get(base + "/healthz") as response:
                            assert response.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.05)
                while not service.started:
                    await asyncio.sleep(0.01)
                os.write(write, b"help\n")
                async with http.get(base + "/readyz") as response:
                    body = await response.json()
                    assert response.status == 200, body
                    assert set(body["checks"]) == {"database", "channel:console", "outbox:console"}
                async with http.get(base + "/metrics") as response:
                    text = await response.text()
                    assert response.headers["Content-Type"].startswith("text/plain")
                    assert 'deskbot_outbox_pending{channel="console"}' in text
        finally:
            os.close(write)  # end of input ends the console, and with it the run
            await asyncio.wait_for(running, 10)


def test_weekly_report_fires_on_the_configured_local_weekday_and_time() -> None:
    trigger = weekly_trigger(WeeklyAt(0, time(8, 0)), "Africa/Dar_es_Salaam")
    tuesday = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    fire = trigger.get_next_fire_time(None, tuesday)
    assert fire is not None
    assert fire.astimezone(UTC) == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # Mon 08:00 +03:00


def test_alarm_checks_often_enough_for_its_threshold() -> None:
    assert alarm_interval(timedelta(minutes=2)) == 30.0
    assert alarm_interval(timedelta(seconds=20)) == 5.0
    assert alarm_interval(timedelta(seconds=2)) == 1.0


def test_start_up_does_not_load_matplotlib() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, bot.cli, bot.run, bot.ops.wiring, handlers.ops.weekly;"
        "print('matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
