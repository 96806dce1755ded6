"""One person's burst does not hold the Slack work slots (issue 13, item 3).

The figures (20 chats answered within 1 s while one floods) come from
benchmarks/chat_fairness.py; this checks the mechanism without timing anything.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.slack.bridge import WORK_SLOTS, SlackBridge


async def test_a_burst_from_one_user_leaves_slots_for_the_others() -> None:
    unused: Any = None
    bridge = SlackBridge(desk=unused, store=unused, client=unused, config=unused)
    hold = asyncio.Event()
    other_done = asyncio.Event()

    async def flood_job() -> None:
        await hold.wait()

    async def other_job() -> None:
        other_done.set()

    burst = [
        asyncio.create_task(bridge.work(flood_job(), who="UFLOOD")) for _ in range(WORK_SLOTS * 3)
    ]
    other = asyncio.create_task(bridge.work(other_job(), who="UOTHER"))
    await asyncio.wait_for(other_done.wait(), 5)
    hold.set()
    await asyncio.gather(*burst, other)
    assert bridge.finished == WORK_SLOTS * 3 + 1
    assert bridge._gates == {}
