"""Urgent units of work (the outbox's lease renewals and outcome writes) do not queue behind a
backlog of ordinary ones: the lease must not lapse while a send is in flight."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from handlers.clock import FakeClock
from storage import Database, Store


async def _until(condition: Callable[[], bool]) -> None:
    """Let the other tasks run until `condition` holds (no waiting on a clock)."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


async def test_turns_holding_every_permit_do_not_stop_a_renewal(
    database_url: str, clock: FakeClock
) -> None:
    database = Database(database_url, pool_size=2)
    await database.upgrade()
    store = Store(database)
    release = asyncio.Event()
    entered: list[str] = []

    async def turn(name: str) -> None:
        async with store.transaction() as tx:
            entered.append(name)
            await tx.outbox.renew([], clock.now())
            if name.startswith("holder"):
                await release.wait()

    try:
        if database.dialect == "postgresql":
            holders = [asyncio.create_task(turn(f"holder{n}")) for n in (1, 2)]
            await _until(lambda: len(entered) == 2)
            queued = asyncio.create_task(turn("queued"))
            await _until(lambda: bool(database._turns and database._turns._waiters))
            # Every permit is held and an ordinary unit waits: the renewal still goes now.
            async with store.transaction(urgent=True) as tx:
                await tx.outbox.renew([], clock.now() + timedelta(seconds=10))
                entered.append("renewal")
            assert entered == ["holder1", "holder2", "renewal"]
        else:
            # One writer: the renewal cannot pass the unit holding it, but it is next.
            holders = [asyncio.create_task(turn("holder1"))]
            await _until(lambda: entered == ["holder1"])
            queued = asyncio.create_task(turn("queued"))
            writer = database._writer
            assert writer is not None
            await _until(lambda: len(writer._ordinary) == 1)

            async def renewal() -> None:
                async with store.transaction(urgent=True) as tx:
                    entered.append("renewal")
                    await tx.outbox.renew([], clock.now() + timedelta(seconds=10))

            renewing = asyncio.create_task(renewal())
            await _until(lambda: len(writer._urgent) == 1)
            release.set()
            await renewing
        release.set()
        await asyncio.gather(*holders, queued)
        holding = ["holder1", "holder2"] if database.dialect == "postgresql" else ["holder1"]
        assert entered == [*holding, "renewal", "queued"]
    finally:
        release.set()
        await database.close()
