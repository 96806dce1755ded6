"""A channel's own form (Slack's report modal) submitted while the same person's typed message
is handled by another bot process: both change where the person stands, so one of the two
loses the race for their conversation and is run again; the form's report is filed once,
never lost."""

from __future__ import annotations

import asyncio

from handlers.clock import FakeClock
from handlers.tickets import Draft
from storage import Store
from storage.models import Ticket
from tests.racing import ROUNDS, count, desk_on
from tests.support import Chat


async def test_a_form_and_a_typed_message_at_once_file_the_form_once(
    store: Store, other_store: Store, clock: FakeClock
) -> None:
    desk_a, desk_b = desk_on(store, clock), desk_on(other_store, clock)
    for round_ in range(1, ROUNDS + 1):
        # A new merchant each round: the form moves only a conversation that is in no flow.
        user = f"merchant{round_}"
        form, typed = Chat(desk_a, user, channel="slack"), Chat(desk_b, user, channel="slack")
        title = f"Payout reversed, round {round_}"
        draft = Draft(
            title=title, description="REVERSED after 2 min", severity="major", environment="staging"
        )
        filed, asked = await asyncio.gather(
            desk_a.submit_report(form._incoming(), draft), typed.say("/report")
        )
        # (A run rolled back may have used a reference number: PostgreSQL's sequences leave gaps.)
        assert any("Your issue is logged as INT-" in m.text for m in filed), filed
        assert "what is wrong?" in asked, asked
        assert await count(store, Ticket, title=title) == 1
    assert await count(store, Ticket) == ROUNDS
