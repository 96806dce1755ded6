"""Where one turn goes: files, a pressed button, a command, the open flow, or free text; the
same order on every channel."""

from __future__ import annotations

from handlers import (
    ask,
    attachments,
    blocking,
    commands,
    file_routing,
    language,
    merchant,
    reopen,
    report,
    satisfaction,
    team,
    team_view,
)
from handlers.messages import t
from handlers.ops.command import team_report, wants_team_report
from handlers.program import request as program_request
from handlers.program import team as program_team
from handlers.program import uat as program_uat
from handlers.program.common import is_project_reference
from handlers.program.view import progress
from handlers.routing import act as routing
from handlers.turn import Turn

FLOWS = {
    report.FLOW: report,
    ask.FLOW: ask,
    program_request.FLOW: program_request,
    program_uat.FLOW: program_uat,
}
# What to ask again, in the new language, when someone switches language in the middle of a flow.
REPROMPTS = {report.FLOW: report.reprompt, ask.FLOW: ask.reprompt, ask.FEEDBACK: ask.reprompt}


async def dispatch(turn: Turn) -> None:
    incoming, state = turn.incoming, turn.state
    if incoming.files or incoming.unsupported:
        await attachments.received(turn)
        return
    if incoming.choice is not None:
        await _choice(turn, incoming.choice)
        return
    if await language.typed_answer(turn, incoming.text):
        _reprompt(turn)
        return
    parsed = commands.parse(incoming.text, in_flow=state.flow in FLOWS, prefixes=turn.desk.prefixes)
    if parsed is not None and team_view.accepts(turn, parsed[0], incoming.text):
        await _command(turn, *parsed)
        return
    flow = FLOWS.get(state.flow or "")
    if flow is not None:
        await flow.step(turn, incoming.text, None)
        return
    if team_view.in_team_chat(turn):
        team_view.unknown(turn, incoming.text.strip())
        return
    if await ask.typed_feedback(turn, incoming.text):
        return
    if not incoming.text.strip():
        merchant.show_menu(turn, t("empty"))
        return
    if await reopen.typed_answer(turn, incoming.text) or await satisfaction.typed(
        turn, incoming.text
    ):
        return
    if await reopen.offer_for_text(turn, incoming.text):
        return
    await routing.route(turn, incoming.text)


async def _command(turn: Turn, name: str, args: str) -> None:
    if name in ("start", "help", "menu") and team_view.in_team_chat(turn):
        turn.say(team_view.command_list())
    elif name in ("start", "help", "menu"):
        merchant.show_menu(turn)
    elif name == "cancel":
        had_flow = turn.state.flow is not None
        turn.reset()
        turn.say(t("cancelled" if had_flow else "nothing_to_cancel"))
    elif name == "report" and wants_team_report(turn, args):
        await team_report(turn, args, turn.desk.policy)
    elif name == "report":
        await report.start(turn, args)
    elif name == "ask":
        await ask.start(turn, args)
    elif name == "status":
        await merchant.status(turn, args)
    elif name in team_view.COMMANDS:
        await team_view.run(turn, name, args)
    elif name == "mytickets":
        await merchant.my_tickets(turn)
    elif name in blocking.COMMANDS:
        await blocking.run(turn, name, args)
    elif name == "language":
        if await language.command(turn, args):
            _reprompt(turn)
    elif name == "integrate":
        await program_request.start(turn)
    elif name == "progress":
        await progress(turn, args)
    elif name == "uat":
        await program_uat.command(turn, args)
    elif name in program_team.COMMANDS or (
        name in program_team.SHARED and is_project_reference(turn, args.split(" ", 1)[0])
    ):
        await program_team.run(turn, name, args)
    elif name == "reopen":
        await reopen.command(turn, args)
    elif name in commands.TEAM:
        await team.run(turn, name, args)
    elif turn.is_team:
        team_view.unknown(turn, f"/{name}")
    else:
        merchant.show_menu(turn, t("unknown_command", command=f"/{name}"[:60]))


def _reprompt(turn: Turn) -> None:
    again = REPROMPTS.get(turn.state.flow or "")
    if again is not None:
        again(turn)


async def _choice(turn: Turn, value: str) -> None:
    kind, _, rest = value.partition(":")
    if kind == "team":
        action, _, reference = rest.partition(":")
        if is_project_reference(turn, reference) and action in program_team.ACTIONS:
            await program_team.run(turn, action, reference)
            return
        if action in team.ACTIONS:
            await team.run(turn, action, reference)
            return
    elif kind == "menu" and rest == "integrate":
        await program_request.start(turn)
        return
    elif kind == "prj" and await program_uat.choice(turn, value):
        return
    elif kind == "menu" and rest in ("report", "ask", "mytickets"):
        # From the follow-up offer, the message already sent is the question or the title.
        await _command(turn, rest, merchant.pending_text(turn, rest))
        return
    elif kind == routing.CHOICE:
        await routing.choice(turn, rest)
        return
    elif kind == "followup":
        await merchant.add_followup(turn, rest)
        return
    elif kind in ("reopen", "csat"):
        await (reopen.choice if kind == "reopen" else satisfaction.choice)(turn, value)
        return
    elif (kind == "attach" and await file_routing.choice(turn, rest)) or (
        kind == "kb" and await ask.feedback_choice(turn, value)
    ):
        return
    elif kind == "lang" and await language.choice(turn, value):
        _reprompt(turn)
        return
    flow = FLOWS.get(turn.state.flow or "")
    if flow is not None and await flow.step(turn, "", value):
        return
    if report.pressed_again(turn, value):
        return
    turn.say(t("stale_choice"))
