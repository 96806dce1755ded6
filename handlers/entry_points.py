"""The work behind the adapters' entry points that do not come as typed text (a button on an
alert, files in a team thread, a channel's own form); Desk runs each as one unit of work."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from handlers import attachments, file_routing, hidden, limits, team
from handlers.events import storable
from handlers.program import request as program_request
from handlers.program import team as program_team
from handlers.program.common import is_project_reference
from handlers.tickets import Draft, created_replies, open_ticket
from handlers.turn import Turn


async def team_action(turn: Turn, *, action: str, reference: str, text: str) -> None:
    args = f"{reference} {hidden.hide(turn, storable(text))}".strip()
    if is_project_reference(turn, reference):
        await program_team.run(turn, action, args)
    else:
        await team.run(turn, action, args)
    hidden.tell(turn, reference)


async def team_files(turn: Turn, *, reference: str) -> None:
    await attachments.team_files(turn, reference)
    hidden.tell(turn, reference)


async def integration_request(turn: Turn, *, data: dict[str, Any]) -> None:
    if not await program_request.refuse_second(turn):
        clean = {
            k: hidden.hide(turn, storable(v)) if isinstance(v, str) else v for k, v in data.items()
        }
        await program_request.file_request(turn, clean)
    hidden.tell(turn)


async def report(turn: Turn, *, draft: Draft) -> None:
    if not await limits.admit(turn):
        return
    refusal = await limits.ticket_refusal(turn, draft.severity)
    if refusal is not None:
        turn.say(refusal.text)
        return
    clean = replace(
        draft,
        title=hidden.hide(turn, storable(draft.title)),
        description=hidden.hide(turn, storable(draft.description)),
    )
    ticket = await open_ticket(turn, clean)
    created_replies(turn, ticket)
    # A form has no upload step (the chat flow's "send screenshots or logs now"): files sent
    # next in this conversation go to the ticket just filed.
    file_routing.expect_files(turn, ticket)
    hidden.tell(turn, ticket.reference)
