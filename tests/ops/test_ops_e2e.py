"""Operations end to end, on Telegram and Slack at once through the loopback fakes: /metrics
after real traffic, /readyz, the delivery alarm in both directions, the weekly report post and
the team's `report` command."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from handlers.events import Incoming
from handlers.ops.weekly import REPORT
from handlers.tickets import Draft
from storage.models import Kind
from tests.databases import driver_dsn
from tests.ops.harness import (
    MEMBER,
    MERCHANT,
    SLACK_MEMBER,
    TEAM,
    TEAM_CHANNEL,
    DeskOnBoth,
    desk_on_both,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[DeskOnBoth]:
    async with desk_on_both(tmp_path) as desk:
        yield desk


def key(name: str, **labels: str) -> str:
    inside = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inside}}}" if inside else name


def moved(before: dict[str, float], after: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


def slack_texts(env: DeskOnBoth, channel: str) -> list[str]:
    return [m.text for m in env.slack.messages.values() if m.channel == channel]


def telegram_texts(env: DeskOnBoth, chat_id: int) -> list[str]:
    return [
        c.params.get("text", "")
        for c in env.telegram.calls_of("sendMessage")
        if c.chat_id == chat_id
    ]


async def telegram_files_report(env: DeskOnBoth, severity: str = "critical") -> str:
    """A Telegram merchant's report, filed through the engine (as the report form does); the
    outbox then carries its alerts to both team chats."""
    merchant = Incoming(
        channel="telegram",
        chat_id=str(MERCHANT.id),
        user_id=str(MERCHANT.id),
        display_name="Alice",
    )
    draft = Draft(
        "Callbacks never arrive", "No webhook since 09:00", Kind.issue, severity, "production"
    )
    await env.runtime.desk.submit_report(merchant, draft)
    async with env.runtime.store.transaction() as tx:
        tickets = await tx.tickets.search()
    return tickets[-1].reference


async def test_metrics_move_after_real_traffic(env: DeskOnBoth) -> None:
    before = await env.metrics()
    await env.telegram_says(MERCHANT, "/start")
    await env.telegram_says(MERCHANT, "/ask how do I get an API key?")
    await env.slack_report("USSD push returns 500")
    await env.escalator.sweep()  # the critical ticket's first page, due at once
    pending = await env.metrics()
    assert pending[key("deskbot_outbox_pending", channel="telegram")] >= 2  # alert and page
    assert pending[key("deskbot_outbox_pending", channel="slack")] >= 2
    # Both platforms answer 429 once before taking the messages.
    env.telegram.flood("sendMessage", retry_after=1)
    env.slack.rate_limit("chat.postMessage", 1, retry_after=1)
    await env.deliver()
    after = await env.metrics()

    assert moved(before, after, key("deskbot_messages_handled_total", channel="telegram")) == 2
    handled = key("deskbot_message_handling_seconds_count", channel="telegram")
    assert moved(before, after, handled) == 2
    opened = key("deskbot_tickets_opened_total", severity="critical", channel="slack")
    assert moved(before, after, opened) == 1
    assert moved(before, after, key("deskbot_pages_sent_total", severity="critical")) == 1
    assert moved(before, after, "deskbot_page_lateness_seconds_count") == 1
    assert moved(before, after, key("deskbot_kb_outcomes_total", outcome="answered")) == 1
    for channel in ("telegram", "slack"):
        assert (
            moved(before, after, key("deskbot_platform_rate_limited_total", channel=channel)) == 1
        )
        assert after[key("deskbot_outbox_pending", channel=channel)] == 0
        assert after[key("deskbot_outbox_oldest_pending_seconds", channel=channel)] == 0
        assert after[key("deskbot_delivery_alarm", channel=channel)] == 0


async def test_readyz_turns_unready_when_an_outbox_is_stuck(env: DeskOnBoth) -> None:
    status, body = await env.get("/readyz")
    assert status == 200, body
    checks = json.loads(body)["checks"]
    assert set(checks) == {
        "database", "channel:telegram", "channel:slack", "outbox:telegram", "outbox:slack"
    }  # fmt: skip
    assert await env.get("/healthz") == (200, '{"status": "alive"}')

    env.telegram.fail_next("sendMessage", 502, "Bad Gateway", times=100)
    await telegram_files_report(env)
    await env.deliver()
    assert (await env.get("/readyz"))[0] == 200  # failing, but not for long yet
    env.clock.advance(timedelta(minutes=2))
    await env.deliver()
    status, body = await env.get("/readyz")
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["outbox:telegram"]["ok"] is False
    assert "waiting for 2m" in checks["outbox:telegram"]["detail"]
    assert checks["outbox:slack"]["ok"] is True
    assert (await env.metrics())["deskbot_ready"] == 0

    env.telegram.stop_failing("sendMessage")
    env.clock.advance(timedelta(minutes=5))
    await env.deliver()
    assert (await env.get("/readyz"))[0] == 200


@asynccontextmanager
async def database_gone(env: DeskOnBoth, tmp_path: Path) -> AsyncIterator[None]:
    """SQLite: the database file's folder disappears (a lost volume). PostgreSQL: the database
    stops taking connections and the open ones are cut. Either way the pool is emptied, so the
    next check has to connect again."""
    url = make_url(env.config.desk.database_url)
    if url.get_backend_name() == "sqlite":
        hidden = tmp_path.with_name(tmp_path.name + "-gone")
        tmp_path.rename(hidden)
        await env.runtime.database.engine.dispose()
        try:
            yield
        finally:
            hidden.rename(tmp_path)
        return
    name = url.database
    admin = await asyncpg.connect(driver_dsn(url.set(database="postgres").render_as_string(False)))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        await env.runtime.database.engine.dispose()
        try:
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    finally:
        await admin.close()


async def test_readyz_turns_unready_when_the_database_is_gone(
    env: DeskOnBoth, tmp_path: Path
) -> None:
    assert (await env.get("/readyz"))[0] == 200
    async with database_gone(env, tmp_path):
        status, body = await env.get("/readyz")
        assert status == 503
        checks = json.loads(body)["checks"]
        assert checks["database"]["ok"] is False
        assert "unreachable" in checks["database"]["detail"]
        # /metrics still answers with the counters.
        assert "deskbot_messages_handled" in (await env.get("/metrics"))[1]
    assert (await env.get("/readyz"))[0] == 200


async def test_alarm_on_slack_when_telegram_refuses_once_then_recovery(
    env: DeskOnBoth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.ops.alarm")
    env.telegram.fail_next("sendMessage", 502, "Bad Gateway", times=1000)
    await env.slack_report("Payouts stuck in PROCESSING")
    await env.escalator.sweep()
    await env.deliver()
    assert await env.ops.alarm.check() == []  # refused, but just now

    env.clock.advance(timedelta(minutes=1))
    await env.deliver()
    assert await env.ops.alarm.check() == []
    env.clock.advance(timedelta(minutes=2))
    await env.deliver()
    assert await env.ops.alarm.check() == ["raised:telegram"]
    await env.deliver()

    alarm = [t for t in slack_texts(env, TEAM_CHANNEL) if "has refused" in t]
    assert len(alarm) == 1
    assert "Telegram has refused the desk's messages for 3m" in alarm[0]
    assert "2 messages waiting, 1 of them pages, oldest page INT-1 Level 1" in alarm[0]
    # The lead hears it in a direct message on Slack too; nothing is tried on Telegram.
    assert [t for t in slack_texts(env, SLACK_MEMBER) if "has refused" in t] == alarm
    assert not any("has refused" in c.params.get("text", "") for c in env.telegram.calls)
    assert any("delivery alarm" in r.getMessage() and r.levelno == logging.WARNING
               for r in caplog.records)  # fmt: skip

    # Still refusing: no second alarm.
    for _ in range(3):
        env.clock.advance(timedelta(minutes=1))
        await env.deliver()
        assert await env.ops.alarm.check() == []
    await env.deliver()
    assert len([t for t in slack_texts(env, TEAM_CHANNEL) if "has refused" in t]) == 1

    # Telegram takes messages again: the backlog drains, then the recovery message.
    env.telegram.stop_failing("sendMessage")
    env.clock.advance(timedelta(minutes=5))
    await env.deliver()
    assert "Payouts stuck in PROCESSING" in "\n".join(telegram_texts(env, TEAM.id))
    assert await env.ops.alarm.check() == ["recovered:telegram"]
    await env.deliver()
    recovered = [t for t in slack_texts(env, TEAM_CHANNEL) if "taking the desk's messages" in t]
    assert len(recovered) == 1 and "Telegram is taking" in recovered[0]
    assert "refused for 11m" in recovered[0]
    assert await env.ops.alarm.check() == []


async def test_alarm_on_telegram_when_slack_refuses_once_then_recovery(env: DeskOnBoth) -> None:
    env.slack.rate_limit("chat.postMessage", 10**6, retry_after=60)
    reference = await telegram_files_report(env)
    await env.escalator.sweep()
    await env.deliver()
    env.clock.advance(timedelta(minutes=2, seconds=30))
    await env.deliver()
    assert await env.ops.alarm.check() == ["raised:slack"]
    await env.deliver()
    group = [t for t in telegram_texts(env, TEAM.id) if "has refused" in t]
    assert len(group) == 1
    assert "Slack has refused the desk's messages for 2m" in group[0]
    assert f"1 of them pages, oldest page {reference} Level 1" in group[0]
    assert [t for t in telegram_texts(env, MEMBER.id) if "has refused" in t] == group

    env.clock.advance(timedelta(minutes=1))
    assert await env.ops.alarm.check() == []
    env.slack.rate_limit("chat.postMessage", 0)
    env.clock.advance(timedelta(minutes=2))
    await env.deliver()
    assert any(
        reference in m.text for m in env.slack.messages.values() if m.channel == TEAM_CHANNEL
    )
    assert await env.ops.alarm.check() == ["recovered:slack"]
    await env.deliver()
    assert len([t for t in telegram_texts(env, TEAM.id) if "Slack is taking" in t]) == 1
    assert len([t for t in telegram_texts(env, TEAM.id) if "has refused" in t]) == 1


async def test_weekly_report_reaches_both_team_chats(env: DeskOnBoth) -> None:
    await env.slack_report("USSD push returns 500")
    env.clock.advance(timedelta(minutes=5))
    await env.deliver()
    assert await env.ops.weekly.post() == 2
    assert await env.ops.weekly.post() == 0  # the same week's report is queued once
    await env.deliver()

    (shared,) = env.slack.shared_files
    assert shared["channel"] == TEAM_CHANNEL
    assert shared["content"].startswith(PNG)
    assert "Desk report" in shared["comment"] and "Tickets opened: 1" in shared["comment"]
    assert [c.method for c in env.slack.calls if c.method.startswith(("files.", "upload"))] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    (photo,) = env.telegram.calls_of("sendPhoto")
    assert photo.chat_id == TEAM.id
    assert photo.files["photo"].startswith(PNG)
    assert "Desk report" in photo.params["caption"]
    assert "critical 1" in photo.params["caption"]
    # Both deliveries were recorded as sent: nothing waits for a retry.
    scrape = await env.metrics()
    for channel in ("telegram", "slack"):
        assert scrape[key("deskbot_outbox_pending", channel=channel)] == 0, channel


async def test_team_report_command_answers_the_asker(env: DeskOnBoth) -> None:
    await env.slack_report("USSD push returns 500")
    # The ticket's alert goes out first: an answer in the team group waits behind it.
    await env.deliver()
    env.clock.advance(timedelta(minutes=1))
    mark = env.telegram.mark()
    await env.telegram.push_text(MEMBER, "/report 7", chat=TEAM)
    answer = await env.telegram.wait_call("sendMessage", lambda c: c.chat_id == TEAM.id, after=mark)
    assert "Desk report" in answer.params["text"]
    assert "Tickets opened: 1 (critical 1)" in answer.params["text"]
    # A merchant's /report still starts filing an issue.
    await env.telegram_says(MERCHANT, "/report")
    assert "what is wrong" in telegram_texts(env, MERCHANT.id)[-1]
    # On Slack: /desk report 30, answered privately.
    answered = len(env.slack.calls_of("response_url"))
    status, _ = await env.slack_harness.command(SLACK_MEMBER, "report 30", channel=TEAM_CHANNEL)
    assert status == 200
    private = (await env.slack.called("response_url", answered + 1)).params
    assert "Tickets opened: 1" in json.dumps(private)


async def test_a_report_too_long_for_a_caption_follows_its_photo_on_telegram(
    env: DeskOnBoth,
) -> None:
    text = "Desk report (long)\n" + "\n".join(f"• line {n} " + "x" * 60 for n in range(30))
    assert len(text) > 1024
    async with env.runtime.store.transaction() as tx:
        tx.outbox.add(
            key="report:long:telegram",
            channel="telegram",
            chat_id=str(TEAM.id),
            kind=REPORT,
            payload={
                "text": text,
                "choices": [],
                "title": "Desk report (long)",
                "filename": "report.png",
                "image_png": base64.b64encode(PNG + b"chart").decode("ascii"),
            },
            now=env.clock.now(),
        )
    mark = env.telegram.mark()
    await env.deliver()
    (photo,) = env.telegram.calls_of("sendPhoto", after=mark)
    assert photo.params["caption"] == "Desk report (long)"
    assert photo.files["photo"] == PNG + b"chart"
    (body,) = env.telegram.calls_of("sendMessage", after=mark)
    assert body.chat_id == TEAM.id and "line 29" in body.params["text"]
    assert (await env.metrics())[key("deskbot_outbox_pending", channel="telegram")] == 0
