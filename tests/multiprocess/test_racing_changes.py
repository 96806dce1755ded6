"""Two bot processes on one database, one person or two members doing the same thing at the
same moment: the change happens once, with one notice and one event (setup in tests/racing.py).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from handlers.clock import FakeClock
from handlers.desk import Desk
from storage import Store
from storage.models import OutboxItem, Ticket, TicketEvent, TicketMessage
from storage.program_models import Project, ProjectEvent, UatCase
from tests.program.helpers import request
from tests.racing import count, desk_on, notices, reporter_and_members
from tests.support import Chat

ROUNDS = 6


async def test_a_merchant_confirming_twice_at_once_files_one_ticket(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    """A double tap on Confirm, each tap reaching another process: one ticket, one
    confirmation, one alert; the second tap is told the report was filed already."""
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        merchant = f"amina{round_}"
        on_a, on_b = Chat(desk_a, merchant), Chat(desk_b, merchant)
        await on_a.say("/report")
        await on_a.say(f"Payouts stuck, round {round_}")
        await on_a.say("Every payout since 09:00 is pending")
        await on_a.press_label("Continue")
        await on_a.press_label("Production")
        await on_a.press_label("Critical")
        confirm = next(c.value for m in on_a.last for c in m.choices if c.label == "Confirm")
        answers = await asyncio.gather(on_a.press(confirm), on_b.press(confirm))
        assert await count(store, Ticket, reporter_user_id=merchant) == 1
        async with store.transaction() as tx:
            ticket = (
                await tx.session.exec(select(Ticket).where(Ticket.reporter_user_id == merchant))
            ).one()
        reference = ticket.reference
        assert await count(store, OutboxItem, kind="alert", ticket_reference=reference) == 1
        filed = [a for a in answers if f"is logged as {reference}" in a]
        again = [a for a in answers if f"already logged as {reference}" in a]
        assert (len(filed), len(again)) == (1, 1), answers


async def test_a_follow_up_pressed_twice_at_once_is_added_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    on_a, on_b = Chat(desk_a, "baraka"), Chat(desk_b, "baraka")
    await on_a.report(title="Card checkout declines every card")
    for round_ in range(1, ROUNDS + 1):
        # Past the follow-up window: the message is held and offered, not added at once.
        clock.advance(timedelta(hours=25))
        await on_a.say(f"Still failing at {round_}:00, request id r-{round_}")
        value = next(
            c.value for m in on_a.last for c in m.choices if c.value.startswith("followup:")
        )
        answers = await asyncio.gather(on_a.press(value), on_b.press(value))
        assert sum("Added to INT-1" in a for a in answers) == 1, answers
        assert sum("no longer have that message" in a for a in answers) == 1, answers
    async with store.transaction() as tx:
        texts = (
            await tx.session.exec(
                select(TicketMessage.text).where(col(TicketMessage.text).startswith("Still"))
            )
        ).all()
    assert len(texts) == len(set(texts)) == ROUNDS
    assert await count(store, TicketEvent, action="followup") == ROUNDS


async def _accepted_project(desk: Desk) -> tuple[Chat, str]:
    merchant, lead = Chat(desk, "duka"), Chat(desk, "lead")
    await request(merchant)
    await lead.say("accept PRJ-1")
    return merchant, "PRJ-1"


async def test_a_member_taking_a_project_twice_at_once_takes_it_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    """A double tap on take, each tap reaching another process: one owner change, one notice."""
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    await _accepted_project(desk_a)
    on_a, on_b = Chat(desk_a, "lead"), Chat(desk_b, "lead")
    before = await notices(store, "duka")
    answers = await asyncio.gather(on_a.say("take PRJ-1"), on_b.say("take PRJ-1"))
    assert sum("is now with" in a for a in answers) == 1, answers
    after = (await notices(store, "duka"))[len(before) :]
    assert len(after) == 1, after
    async with store.transaction() as tx:
        project = (await tx.session.exec(select(Project))).one()
        owners = (
            await tx.session.exec(
                select(func.count()).select_from(ProjectEvent).where(ProjectEvent.action == "owner")
            )
        ).one()
    assert (owners, project.owner) == (1, "console:lead")


async def test_two_members_adding_uat_cases_at_once_both_get_a_number(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    await _accepted_project(desk_a)
    lead, ops = Chat(desk_a, "lead"), Chat(desk_b, "ops")
    for round_ in range(ROUNDS):
        answers = await asyncio.gather(
            lead.say(f"uatcase PRJ-1 add Refund case {round_}a"),
            ops.say(f"uatcase PRJ-1 add Refund case {round_}b"),
        )
        assert all("added" in a for a in answers), answers
    async with store.transaction() as tx:
        numbers = (await tx.session.exec(select(UatCase.number))).all()
    assert len(numbers) == len(set(numbers))


async def test_two_processes_moving_a_project_they_both_read_move_it_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    """Both read the project at `scope`, then both try to move it on: the second's UPDATE
    waits for the first's row lock (PostgreSQL) or its write lock (SQLite), then matches
    nothing, so only the first stage change, its history row and its notices happen."""
    await _accepted_project(desk_on(store, clock))
    ops_read, lead_moved = asyncio.Event(), asyncio.Event()
    results: dict[str, bool] = {}

    async def lead_moves() -> None:
        async with store.transaction() as tx:
            project = await tx.projects.get("PRJ-1")
            assert project is not None and project.stage == "scope"
            await ops_read.wait()
            results["lead"] = await tx.projects.move(project, "documentation", "lead", "", now)
            lead_moved.set()
            await asyncio.sleep(0)  # ops's UPDATE now waits on this row lock until we commit

    async def ops_moves() -> None:
        async with other_store.transaction() as tx:
            project = await tx.projects.get("PRJ-1")
            assert project is not None and project.stage == "scope"
            ops_read.set()
            await lead_moved.wait()
            results["ops"] = await tx.projects.move(project, "data_mapping", "ops", "", now)

    now = clock.now()
    if store.database.dialect == "sqlite":
        # One writer at a time: the second transaction cannot even begin before the first
        # commits. Ops holds what it read before lead's change, as a slower process would.
        async with other_store.transaction() as tx:
            seen = await tx.projects.get("PRJ-1")
        assert seen is not None
        ops_read.set()
        await lead_moves()
        async with other_store.transaction() as tx:
            results["ops"] = await tx.projects.move(seen, "data_mapping", "ops", "", now)
    else:
        await asyncio.gather(lead_moves(), ops_moves())
    assert results == {"lead": True, "ops": False}
    async with store.transaction() as tx:
        project = await tx.projects.get("PRJ-1")
        assert project is not None
        history = [row.stage for row in await tx.projects.history(project)]
    assert project.stage == "documentation"
    assert history == ["requested", "scope", "documentation"]


async def test_a_member_taking_a_ticket_twice_at_once_is_heard_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    alice = Chat(desk_a, "alice")
    on_a, on_b = Chat(desk_a, "lead"), Chat(desk_b, "lead")
    for round_ in range(1, ROUNDS + 1):
        await alice.report(title=f"Settlement report empty, round {round_}")
        reference = f"INT-{round_}"
        before = len(await notices(store, "alice"))
        answers = await asyncio.gather(
            on_a.press(f"team:take:{reference}"), on_b.press(f"team:take:{reference}")
        )
        assert sum(f"{reference} is already with Lead" in a for a in answers) == 1, answers
        told = (await notices(store, "alice"))[before:]
        assert len(told) == 1 and "was acknowledged" in told[0], told
        async with store.transaction() as tx:
            timeline = (
                await tx.session.exec(
                    select(func.count())
                    .select_from(OutboxItem)
                    .where(OutboxItem.ticket_reference == reference, OutboxItem.kind == "timeline")
                )
            ).one()
        assert timeline == 1


async def test_two_members_resolving_the_same_tickets_in_opposite_orders_both_finish(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    """`resolve INT-1 INT-2` and `resolve INT-2 INT-1` at once through two processes: each
    ticket is resolved once, and neither waits on the other for ever (a deadlock would fail one
    of them on PostgreSQL)."""
    alice, lead, ops = reporter_and_members(store, other_store, clock)
    for round_ in range(ROUNDS):
        first, second = f"INT-{2 * round_ + 1}", f"INT-{2 * round_ + 2}"
        await alice.report(title=f"Refund missing, round {round_}a")
        await alice.report(title=f"Refund missing, round {round_}b")
        answers = await asyncio.gather(
            lead.say(f"resolve {first} {second} fixed"), ops.say(f"resolve {second} {first} fixed")
        )
        text = "\n".join(answers)
        assert text.count(f"{first} resolved by") == text.count(f"{second} resolved by") == 1, text
