"""Ask a question: take it, answer it when an answer exists, otherwise pass it to the team."""

from __future__ import annotations

from handlers.messages import t
from handlers.tickets import Draft, open_ticket
from handlers.turn import Turn
from storage.models import Kind

FLOW = "ask"


async def start(turn: Turn, args: str = "") -> None:
    turn.reset()
    if args.strip():
        await take_question(turn, args)
        return
    turn.go(FLOW, "question")
    turn.say(t("ask.prompt", limit=turn.desk.settings.max_details_length))


async def step(turn: Turn, text: str, choice: str | None) -> bool:
    if choice is not None:
        return False
    await take_question(turn, text)
    return True


async def take_question(turn: Turn, text: str) -> None:
    limit = turn.desk.settings.max_details_length
    question = text.strip()
    if not question:
        turn.go(FLOW, "question")
        turn.say(t("ask.empty"))
        return
    if len(question) > limit:
        turn.go(FLOW, "question")
        turn.say(t("report.too_long", length=len(question), limit=limit))
        return
    turn.reset()
    await pass_to_team(turn, question)


async def pass_to_team(turn: Turn, question: str) -> None:
    title_limit = turn.desk.settings.max_title_length
    title = question if len(question) <= title_limit else question[: title_limit - 1] + "…"
    ticket = await open_ticket(
        turn, Draft(title=" ".join(title.split()), description=question, kind=Kind.question)
    )
    turn.say(t("ask.logged", reference=ticket.reference))
