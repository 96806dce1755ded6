"""Ask a question: answer it from the knowledge base when a confident answer exists, ask whether
it helped, and pass it to the team (as a question ticket) when it did not or when there is none.

Every answer shown and every Yes/No goes to the knowledge-base log in the same transaction as the
conversation step, so `deskbot kb stats` counts exactly what users saw.
"""

from __future__ import annotations

import hashlib

from handlers import limits
from handlers.after_hours import expectation
from handlers.events import Choice
from handlers.knowledge import Answer, Entry, KnowledgeBase
from handlers.messages import t
from handlers.ops import metrics
from handlers.tickets import Draft, open_ticket
from handlers.turn import Turn
from storage.database import after_commit
from storage.kb_log import Outcome
from storage.models import Kind, Ticket

FLOW = "ask"
# After an answer the user is not inside a flow: commands and new questions work as usual, and
# only the Yes/No buttons (or a typed yes/no) are read as feedback on the answer shown.
FEEDBACK = "kb_feedback"
YES, NO, ENTRY = "kb:yes", "kb:no", "kb:entry:"
ENTRY_KEY_LENGTH = 24  # "kb:entry:" + 24 = 33 bytes, half of Telegram's callback-data limit
_TYPED_YES = ("yes", "y", "ndiyo", "ndio", "sawa")
_TYPED_NO = ("no", "n", "hapana")


async def start(turn: Turn, args: str = "") -> None:
    turn.reset()
    if args.strip():
        await take_question(turn, args)
        return
    turn.go(FLOW, "question")
    turn.say(t("ask.prompt", limit=turn.desk.settings.max_details_length))


def reprompt(turn: Turn) -> None:
    """Ask again, in the current language, what this flow is waiting for."""
    if turn.state.flow == FLOW:
        turn.say(t("ask.prompt", limit=turn.desk.settings.max_details_length))
    elif turn.state.flow == FEEDBACK:
        turn.say(t("ask.helped"), (Choice(t("ask.yes"), YES), Choice(t("ask.no"), NO)))


async def step(turn: Turn, text: str, choice: str | None) -> bool:
    if choice is not None:
        return False
    await take_question(turn, text)
    return True


async def feedback_choice(turn: Turn, choice: str) -> bool:
    """A `kb:` button. False when it belongs to an answer the user has moved on from."""
    if turn.state.flow != FEEDBACK:
        return False
    return await _feedback(turn, choice)


async def typed_feedback(turn: Turn, text: str) -> bool:
    """A typed yes/no right after an answer. False for any other text."""
    typed = text.strip().lower().rstrip(".!")
    if turn.state.flow != FEEDBACK or typed not in _TYPED_YES + _TYPED_NO:
        return False
    return await _feedback(turn, YES if typed in _TYPED_YES else NO)


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
    kb = knowledge(turn)
    found = kb.answer(question) if kb is not None else None
    if found is None:
        await _no_answer(turn, kb, question)
        return
    show_answer(turn, found)


def knowledge(turn: Turn) -> KnowledgeBase | None:
    source = turn.desk.knowledge
    return None if source is None else source.current()


def show_answer(turn: Turn, found: Answer) -> None:
    best = found.best
    _log(
        turn, found.question, Outcome.answered, best.entry.id, best.score, runner_up=found.runner_up
    )
    related = [hit.entry.id for hit in found.related]
    turn.go(FEEDBACK, "answered", question=found.question, shown=[best.entry.id], related=related)
    _present(turn, best.entry, [h.entry for h in found.related])


def entry_key(entry_id: str) -> str:
    """A short, stable name for an entry in a button's value. Entry ids have no length limit
    but Telegram's callback data holds 64 bytes, so a long id travels as a digest of itself."""
    if len(entry_id) <= ENTRY_KEY_LENGTH:
        return entry_id
    return "~" + hashlib.sha256(entry_id.encode()).hexdigest()[: ENTRY_KEY_LENGTH - 1]


def _present(turn: Turn, entry: Entry, related: list[Entry]) -> None:
    # The answer is in the language the turn speaks, whichever language the question matched in
    # (Swahili questions mostly match through the entries' Swahili keywords).
    language = t.language
    choices = tuple(
        Choice(
            t("ask.related", title=other.in_language(language).title),
            f"{ENTRY}{entry_key(other.id)}",
        )
        for other in related
    )
    answer = entry.in_language(language)
    turn.say(t("ask.answer", title=answer.title, body=answer.body, source=entry.source), choices)
    turn.say(t("ask.helped"), (Choice(t("ask.yes"), YES), Choice(t("ask.no"), NO)))


async def _feedback(turn: Turn, choice: str) -> bool:
    data = turn.state.data
    question: str = data.get("question", "")
    shown: list[str] = list(data.get("shown", []))
    if choice == YES:
        _log(turn, question, Outcome.helpful, shown[-1] if shown else None)
        turn.reset()
        turn.say(t("ask.thanks"))
        return True
    if choice == NO:
        turn.reset()
        ticket = await _pass_to_team(turn, question, shown)
        reference = None if ticket is None else ticket.reference
        _log(turn, question, Outcome.not_helpful, shown[-1] if shown else None, None, reference)
        if ticket is not None:
            _told(turn, ticket, t("ask.escalated", reference=ticket.reference))
        return True
    if choice.startswith(ENTRY):
        return _open_related(turn, choice.removeprefix(ENTRY), question, shown)
    return False


def _open_related(turn: Turn, key: str, question: str, shown: list[str]) -> bool:
    kb = knowledge(turn)
    related: list[str] = list(turn.state.data.get("related", []))
    entry_id = next((i for i in related if entry_key(i) == key or i == key), None)
    entry = kb.get(entry_id) if kb is not None and entry_id is not None else None
    if entry is None or kb is None:
        return False
    _log(turn, question, Outcome.related, entry.id)
    shown.append(entry.id)
    related.remove(entry.id)
    turn.go(FEEDBACK, "answered", shown=shown, related=related)
    others = [e for e in (kb.get(i) for i in related) if e is not None]
    _present(turn, entry, others)
    return True


async def _no_answer(turn: Turn, kb: KnowledgeBase | None, question: str) -> None:
    ticket = await _pass_to_team(turn, question, [])
    closest = kb.search(question, limit=1) if kb is not None else []
    _log(
        turn,
        question,
        Outcome.no_answer,
        closest[0].entry.id if closest else None,
        closest[0].score if closest else None,
        None if ticket is None else ticket.reference,
    )
    if ticket is not None:
        _told(turn, ticket, t("ask.logged", reference=ticket.reference))


def _told(turn: Turn, ticket: Ticket, text: str) -> None:
    """`text`, and outside business hours when the team is back, as a report is told."""
    turn.say("\n".join((text, *expectation(turn, ticket))))


async def _pass_to_team(turn: Turn, question: str, shown: list[str]) -> Ticket | None:
    """The question ticket filed for the team; None (the reporter told why) when a limit
    stops it."""
    refusal = await limits.ticket_refusal(turn, None)
    if refusal is not None:
        turn.say(refusal.text)
        return None
    title_limit = turn.desk.settings.max_title_length
    title = " ".join(question.split())
    if len(title) > title_limit:
        title = title[: title_limit - 1] + "…"
    kb = knowledge(turn)
    lines = []
    # The description is for the team, so it is in the team's language.
    with turn.desk.notifier.for_team():
        for entry_id in shown:
            entry = kb.get(entry_id) if kb is not None else None
            shown_title = entry.title if entry else "?"
            lines.append(t("ask.ticket.shown_line", title=shown_title, id=entry_id))
        description = t(
            "ask.ticket.description",
            question=question,
            shown="\n".join(lines) if lines else t("ask.ticket.nothing_shown"),
        )
    return await open_ticket(
        turn, Draft(title=title or "?", description=description, kind=Kind.question)
    )


def _log(
    turn: Turn,
    question: str,
    outcome: Outcome,
    entry_id: str | None = None,
    score: float | None = None,
    ticket_reference: str | None = None,
    runner_up: float | None = None,
) -> None:
    incoming = turn.incoming
    after_commit(turn.tx.session, lambda: metrics.kb_outcome(str(outcome)))
    turn.tx.kb_log.record(
        incoming.channel,
        incoming.user_id,
        question,
        outcome,
        turn.now,
        entry_id=entry_id,
        score=None if score is None else round(score, 4),
        ticket_reference=ticket_reference,
        runner_up=None if runner_up is None else round(runner_up, 4),
    )
