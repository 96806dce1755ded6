"""Nothing lost, nothing doubled: a real `deskbot run` process, for Telegram (polling and
webhook) and Slack (HTTP mode), through a platform outage (502s, then refused connections, then
recovery) and through a SIGKILL right after updates are fetched, right after an update's work
commits, or right after the platform accepted a reply; the process is restarted. Every merchant
who pressed Confirm has exactly one ticket and one confirmation, every answer arrives, and a
message is sent twice only if the dead process had it in flight (leased, not marked sent)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.reliability.conftest import Merchants, Platform
from tests.reliability.harness import (
    WAIT,
    assert_duplicates_within_flight,
    tickets_of,
)
from tests.reliability.platforms import TelegramMerchants

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

MERCHANTS = 3
# Which occurrence of the kill point kills the process: far enough into three merchants' reports
# (18 updates, about 21 messages) that tickets are being filed around it. `telegram.fetched`
# counts updates, not getUpdates answers: a busy desk fetched the three merchants' steps in
# fewer, bigger answers, sometimes fewer than 7, and the fault never fired.
KILLS = [
    ("polling", "telegram.fetched@16"),
    ("polling", "work.committed@14"),
    ("polling", "reply.accepted@13"),
    ("webhook", "telegram.fetched@14"),
    ("webhook", "work.committed@14"),
    ("webhook", "reply.accepted@13"),
    ("slack", "work.committed@14"),
    ("slack", "reply.accepted@13"),
]


def ids(merchants: Merchants, users: list[Any]) -> list[str]:
    return [str(u.id) if isinstance(merchants, TelegramMerchants) else u for u in users]


def channel_of(merchants: Merchants) -> str:
    return "telegram" if isinstance(merchants, TelegramMerchants) else "slack"


async def settled(merchants: Merchants, users: list[Any]) -> None:
    """Until every merchant's confirmation and every alert went out, and after a kill, until
    the messages the dead process held were taken over and delivered again (the desk logs it
    once they are recorded)."""
    await merchants.until(
        lambda: (
            all(merchants.confirmations(u) for u in users)  # type: ignore[arg-type]
            and merchants.alerts() >= len(users)
        )
    )
    desk = merchants.desk
    for kill in desk.kills:
        if kill.in_flight:
            await desk.wait_log("were taken over", after=kill.line)


async def check_outcome(merchants: Merchants, users: list[Any]) -> int:
    """The promises; returns how many messages were sent twice."""
    await settled(merchants, users)
    desk = merchants.desk
    tickets = await tickets_of(desk.database_url, channel_of(merchants), ids(merchants, users))
    assert tickets == {user: 1 for user in ids(merchants, users)}
    doubled = assert_duplicates_within_flight(merchants.sent(), desk.kills)
    flight: Counter[str] = Counter()
    for kill in desk.kills:
        flight.update(kill.in_flight)
    for user, chat in zip(users, ids(merchants, users), strict=True):
        chat = chat if isinstance(merchants, TelegramMerchants) else f"D{chat}"
        confirmations = merchants.confirmations(user)
        # Exactly one, unless this very confirmation was in flight when the process died.
        assert 1 <= confirmations <= 1 + flight[chat], (user, confirmations, flight)
    assert merchants.alerts() >= len(users)
    return doubled


@pytest.mark.parametrize(("channel", "fault"), KILLS, ids=[f"{c}-{f}" for c, f in KILLS])
async def test_a_killed_desk_restarts_losing_nothing(
    platform: Platform, channel: str, fault: str
) -> None:
    async with platform(channel, fault) as merchants:
        users = [merchants.user(n) for n in range(MERCHANTS)]
        await asyncio.gather(*(merchants.report(user) for user in users))  # type: ignore[arg-type]
        desk = merchants.desk
        assert [kill.returncode for kill in desk.kills] == [-9], "the fault never fired"
        await check_outcome(merchants, users)


@pytest.mark.parametrize("channel", ["polling", "webhook", "slack"])
async def test_an_outage_loses_and_doubles_nothing(platform: Platform, channel: str) -> None:
    async with platform(channel, None) as merchants:
        users = [merchants.user(n) for n in range(4)]
        summaries = await asyncio.gather(*(merchants.to_summary(u) for u in users))  # type: ignore[arg-type]
        fake: Any = merchants.api if isinstance(merchants, TelegramMerchants) else merchants.fake
        desk = merchants.desk
        early, late = (
            list(zip(users, summaries, strict=True))[:2],
            list(zip(users, summaries, strict=True))[2:],
        )
        # 502s: the first two merchants press Confirm; the desk handles the presses while every
        # call it makes to the platform fails.
        if channel == "polling":
            await outage_after_fetch(merchants, early)
        else:
            fake.down_status = 502
            for user, summary in early:
                await merchants.press_only(user, summary, "Confirm")  # type: ignore[arg-type]
        await until_failed_call(merchants)
        # Then connections are refused (still 502 on connections already open); two more press.
        mark = len(desk.lines)
        await fake.refuse_connections()
        for user, summary in late:
            await merchants.press_only(user, summary, "Confirm")  # type: ignore[arg-type]
        # The desk meets the refusal itself (not only 502s on connections it kept open).
        await desk.wait_log("Connect call failed", after=mark)
        fake.down_status = None
        await fake.accept_connections()
        assert await check_outcome(merchants, users) == 0
        for user in users:
            assert merchants.confirmations(user) == 1


async def outage_after_fetch(merchants: TelegramMerchants, pressed: list[Any]) -> None:
    """The presses are fetched by getUpdates, and the Bot API goes down that very moment."""
    api = merchants.api
    updates = [
        api.make_press_update(u, u.id, s.response["result"]["message_id"], "Confirm")
        for u, s in pressed
    ]
    wanted = {u["update_id"] for u in updates}

    def down_once_fetched(call: Any) -> None:
        got = {
            u["update_id"] for u in (call.response or {}).get("result") or [] if "update_id" in u
        }
        if call.method.lower() == "getupdates" and wanted <= got:
            api.down_status = 502
            api.listeners.remove(down_once_fetched)

    api.listeners.append(down_once_fetched)
    for update in updates:
        await api.push_update(update)
    await merchants.desk.until(lambda: api.down_status == 502)


async def until_failed_call(merchants: Merchants) -> None:
    """Until the desk has tried to send something and been refused with a 502."""
    if isinstance(merchants, TelegramMerchants):
        api = merchants.api
        await api.wait_call("sendMessage", lambda c: c.status == 502, ok_only=False, timeout=WAIT)
    else:
        fake = merchants.fake
        await fake.wait_until(
            lambda: any(c.down and c.method == "chat.postMessage" for c in fake.calls), WAIT
        )
