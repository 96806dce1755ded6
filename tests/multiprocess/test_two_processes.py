"""Two real `deskbot run` processes on one PostgreSQL database, behind a load balancer.

Both serve Telegram by webhook and Slack over HTTP, each on ports of its own, against the
loopback fakes; the test plays the load balancer (tests/multiprocess/harness.py), sending each
merchant's steps and each team press to one process or the other. Escalation timers are seconds.
Mid-load one process is killed (SIGKILL) and started again. Then:

- each merchant has exactly one ticket, and heard "logged as" once;
- each page went out once to each team chat, and none before its ticket's alert;
- two members pressing Acknowledge at the same moment, one through each process (Telegram on
  one, Slack on the other), give one acknowledgement: one status change, one notice to the
  merchant, one timeline entry per team chat;
- no page reached a team chat after that chat was told of the acknowledgement.

A message the killed process had in flight (leased) at the kill may go out twice: the platform
took it but the process died before marking it sent. Those are listed from the database right
after the kill and are the only duplicates allowed. Slack form submissions are kept away from the
process for the moment of the kill: a form submitted again after its process died mid-request is
the single-process crash tests' subject, not this one's.

PostgreSQL only: several processes on one database is what PostgreSQL is for; on SQLite the test
is skipped (SQLite's one writer is the single-process case the rest of the suite covers).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func
from sqlmodel import col, select

from storage import Database
from storage.models import OutboxItem, Page, Ticket, TicketEvent
from tests.databases import fresh_database_url, on_postgres
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.multiprocess.harness import (
    SLACK_SECRET,
    SLACK_TOKEN,
    WEBHOOK_PATH,
    WEBHOOK_SECRET,
    Balancer,
    Changed,
    DeskProcess,
    WatchedSlackApi,
    WatchedTelegramAPI,
    free_port,
    outbox_key,
)
from tests.multiprocess.load import (
    SLACK_MEMBER,
    SLACK_MERCHANTS,
    SLACK_TEAM,
    TEAM,
    TG_MEMBER,
    TG_MERCHANTS,
    Load,
)

pytestmark = pytest.mark.skipif(
    not on_postgres(),
    reason="several processes share one database on PostgreSQL; SQLite is the one-process case",
)

# Levels at 0, 2 and 4 s, then two repeats 2 s apart: a ticket nobody acknowledges is paged up to
# five times, ending with level 3's second repeat. A sweep that comes late (a busy machine, the
# process that would have woken at the due time killed) sends only the latest level due.
LAST_PAGE = "3/2"
END_DEADLINE = 90.0


def _config(url: str, telegram: FakeTelegramAPI, slack: FakeSlackApi, process: DeskProcess) -> str:
    return f"""
[desk]
database_url = "{url}"
outbox_lease_seconds = 5
[team]
members = ["telegram:{TG_MEMBER.id}", "slack:{SLACK_MEMBER}"]
[telegram]
token = "{telegram.token}"
api_base_url = "{telegram.api_base_url}"
mode = "webhook"
webhook_url = "https://desk.example.com{WEBHOOK_PATH}"
listen = "127.0.0.1"
port = {process.telegram_port}
webhook_secret = "{WEBHOOK_SECRET}"
team_chat_id = "{TEAM.id}"
[slack]
bot_token = "{SLACK_TOKEN}"
signing_secret = "{SLACK_SECRET}"
mode = "http"
listen = "127.0.0.1"
port = {process.slack_port}
api_base_url = "{slack.base_url}"
team_channel = "{SLACK_TEAM}"
[kb]
path = ""
[limits]
messages_per_minute = 0
[reports]
weekly_at = ""
[escalation]
sweep_interval = "1s"
timezone = "UTC"
[escalation.critical]
acknowledge_within = "1h"
resolve_within = "2h"
levels = [
  {{ after = "0s", notify = ["team"] }},
  {{ after = "2s", notify = ["team"] }},
  {{ after = "4s", notify = ["team"] }},
]
repeat_every = "2s"
max_repeats = 2
"""


async def _leased(url: str) -> set[tuple[str, str, str, str, str]]:
    """The messages in flight at this moment (leased, not marked sent), as `Sent` keys."""
    async with Database(url) as database, database.session() as session:
        rows = await session.exec(
            select(OutboxItem).where(
                OutboxItem.status == "pending", col(OutboxItem.claimed_until).is_not(None)
            )
        )
        keys = {outbox_key(r.channel, r.chat_id, r.payload) for r in rows.all()}
    return {key for key in keys if key is not None}


async def test_two_processes_share_one_desk_and_nothing_is_lost_or_doubled(
    tmp_path: Path,
) -> None:
    url = await fresh_database_url(tmp_path)
    changed = Changed()
    async with (
        WatchedTelegramAPI(changed) as telegram,
        WatchedSlackApi(changed, token=SLACK_TOKEN) as slack,
        aiohttp.ClientSession() as http,
    ):
        slack.add_channel(SLACK_TEAM, "integration-team")
        slack.add_user(SLACK_MEMBER, "juma", "Juma Team")
        for user in SLACK_MERCHANTS:
            slack.add_user(user, user.lower(), f"Merchant {user}")
        processes = [
            DeskProcess(name, tmp_path / f"{name}.toml", free_port(), free_port())
            for name in ("A", "B")
        ]
        for process in processes:
            process.config.write_text(_config(url, telegram, slack, process))
        balancer = Balancer(processes, http)
        load = Load(telegram, slack, balancer, changed)
        in_flight: set[tuple[str, str, str, str, str]] = set()
        groups: dict[str, int] = {}  # reference -> 0 acked at its alert, 1 at a page, 2 never

        async def merchant(number: int, file: Any) -> None:
            await file
            who = (
                f"telegram:{TG_MERCHANTS[number].id}"
                if number < len(TG_MERCHANTS)
                else f"slack:{SLACK_MERCHANTS[number - len(TG_MERCHANTS)]}"
            )
            reference = load.filed[who]
            groups[reference] = number % 3
            if number % 3 < 2:
                await load.acknowledge_at_once(reference, number, after_page=number % 3 == 1)

        async def kill_and_restart() -> None:
            nonlocal in_flight
            await changed.until(lambda: len(load.filed) >= 5, END_DEADLINE, "five tickets")
            victim = processes[0]
            async with balancer.hold_forms(victim):
                await victim.kill()
                in_flight = await _leased(url)
            await victim.start()

        try:
            # Both start at once on an empty database: one migrates, the other waits for it.
            await asyncio.gather(*(process.start() for process in processes))
            tg = [load.telegram_merchant(i, u) for i, u in enumerate(TG_MERCHANTS)]
            sl = [load.slack_merchant(i, u) for i, u in enumerate(SLACK_MERCHANTS)]
            await asyncio.gather(
                kill_and_restart(),
                *(merchant(number, file) for number, file in enumerate(tg + sl)),
            )

            def missing() -> str:
                sent = load.sent()
                for reference, group in groups.items():
                    for chat in (str(TEAM.id), SLACK_TEAM):
                        mine = [s for s in sent if s.reference == reference and s.chat == chat]
                        pages = {s.detail for s in mine if s.kind == "page"}
                        if group == 2 and LAST_PAGE not in pages:
                            return f"{reference} in {chat}: pages {sorted(pages)}"
                        if group < 2 and not any(s.kind == "ack_timeline" for s in mine):
                            return f"{reference} in {chat}: no acknowledgement"
                    if group < 2 and not any(
                        s.kind == "ack_notice" and s.reference == reference for s in sent
                    ):
                        return f"{reference}: the merchant was not told of the acknowledgement"
                return ""

            await changed.until(
                lambda: not missing(),
                END_DEADLINE,
                "every page and acknowledgement",
                lambda: missing() + "\n" + load.explain(),
            )
        finally:
            statuses = [await process.stop() for process in processes]
        logs = "\n\n".join(f"== {p.name}\n{p.log()}" for p in processes)
        # 130: stopped by Ctrl-C, as `deskbot run` reports it, after its orderly shutdown.
        assert statuses == [130, 130], (statuses, logs)
        assert processes[0].starts == 2
        doubled = _check(load, groups, in_flight)
        await _check_database(url, load, groups)
        print(
            f"\nserved {dict(balancer.served)}, failovers {balancer.failovers}, "
            f"double acks {len(load.acknowledged)} (one notice each), "
            f"in flight at the kill {len(in_flight)}, sent twice of those {doubled}"
        )


def _check(
    load: Load,
    groups: dict[str, int],
    in_flight: set[tuple[str, str, str, str, str]],
) -> int:
    """The platform-side checks; returns how many messages went out twice (all in flight)."""
    sent = load.sent()
    counts = Counter(s.key for s in sent)
    doubled = {key: n for key, n in counts.items() if n > 1}
    unexplained = {key: n for key, n in doubled.items() if n != 2 or key not in in_flight}
    assert not unexplained, (unexplained, sorted(in_flight))
    merchants = {str(u.id) for u in TG_MERCHANTS} | {f"D{u}" for u in SLACK_MERCHANTS}
    filed = Counter(s.chat for s in sent if s.kind == "filed")
    assert set(filed) == merchants, filed
    for chat in (str(TEAM.id), SLACK_TEAM):
        seen = [s for s in sent if s.chat == chat]
        for reference, group in groups.items():
            kinds = [s.kind for s in seen if s.reference == reference]
            assert kinds[0] == "alert", (chat, reference, kinds)
            pages = [s for s in seen if s.reference == reference and s.kind == "page"]
            assert all(p.thread for p in pages), f"a page outside its alert's thread: {pages}"
            if group == 2:
                assert pages[-1].detail == LAST_PAGE, (chat, reference, pages)
            else:
                acked = kinds.index("ack_timeline")
                assert "page" not in kinds[acked:], (chat, reference, kinds)
                assert kinds.count("ack_timeline") == 1 or (
                    "ack_timeline" in {k[2] for k in in_flight}
                ), kinds
    for reference, group in groups.items():
        notices = [s for s in sent if s.kind == "ack_notice" and s.reference == reference]
        assert len({s.key for s in notices}) == (1 if group < 2 else 0), (reference, notices)
    return len(doubled)


async def _check_database(url: str, load: Load, groups: dict[str, int]) -> None:
    sent = load.sent()
    async with Database(url) as database, database.session() as session:
        reporters = (
            await session.exec(
                select(Ticket.reporter_channel, Ticket.reporter_user_id, func.count()).group_by(
                    col(Ticket.reporter_channel), col(Ticket.reporter_user_id)
                )
            )
        ).all()
        assert sorted(f"{c}:{u}" for c, u, n in reporters if n == 1) == sorted(load.filed)
        assert all(n == 1 for *_, n in reporters)
        for reference, group in groups.items():
            ticket = (await session.exec(select(Ticket).where(Ticket.reference == reference))).one()
            acks = (
                await session.exec(
                    select(func.count())
                    .select_from(TicketEvent)
                    .where(
                        TicketEvent.ticket_id == ticket.id,
                        TicketEvent.field == "status",
                        TicketEvent.new_value == "acknowledged",
                    )
                )
            ).one()
            notices = (
                await session.exec(
                    select(func.count())
                    .select_from(OutboxItem)
                    .where(
                        OutboxItem.ticket_reference == reference,
                        OutboxItem.kind == "notice",
                        col(OutboxItem.payload).contains("was acknowledged"),
                    )
                )
            ).one()
            assert (acks, notices) == ((1, 1) if group < 2 else (0, 0)), reference
            pages = (
                await session.exec(
                    select(Page.level, Page.repeat).where(Page.ticket_id == ticket.id)
                )
            ).all()
            assert len(pages) == len(set(pages)), (reference, pages)
            # Each page row went out (once: see the platform checks) or, its ticket acknowledged
            # before its turn came, was cancelled; nothing is left waiting.
            rows = (
                await session.exec(
                    select(OutboxItem).where(
                        OutboxItem.ticket_reference == reference, OutboxItem.kind == "page"
                    )
                )
            ).all()
            assert len(rows) == 2 * len(pages), (reference, len(rows), pages)
            delivered = Counter(s.key for s in sent)
            for row in rows:
                key = outbox_key(row.channel, row.chat_id, row.payload)
                assert key is not None, row.payload
                allowed = {"sent", "cancelled"} if group < 2 else {"sent"}
                assert row.status in allowed, (reference, row.status, key)
                assert delivered[key] >= (row.status == "sent"), (reference, key)
