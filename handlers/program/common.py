"""What the program's flows share: finding a project the person may see, telling the merchant
(through the outbox) and the team, and naming stages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from handlers.events import Choice, Message
from handlers.messages import t
from handlers.notify import DIRECT, NOTICE, Target, payload
from handlers.program.settings import ProgramSettings
from handlers.references import normalise_reference
from handlers.turn import Turn
from storage.program_models import Merchant, Project
from storage.store import Transaction


def settings(turn: Turn) -> ProgramSettings:
    return turn.desk.settings.program


def stage_name(stage: str) -> str:
    return t.word("stage", stage)


def is_project_reference(turn: Turn, word: str) -> bool:
    prefix = settings(turn).reference_prefix
    return word.strip().lstrip("#").upper().startswith(f"{prefix}-")


async def merchant_of(turn: Turn) -> Merchant | None:
    return await turn.tx.projects.merchant_for(turn.actor)


async def find_project(turn: Turn, word: str, usage: str) -> Project | None:
    """The project named by `word` if this person may see it; otherwise says why and gives None.
    A merchant asking about another merchant's project gets the same answer as a missing one."""
    prefix = settings(turn).reference_prefix
    if not word:
        turn.say(t("prj.ref.missing", usage=usage, prefix=prefix))
        return None
    reference = normalise_reference(word, prefix)
    if reference is None:
        turn.say(t("prj.ref.malformed", text=word[:40], prefix=prefix))
        return None
    project = await turn.tx.projects.get(reference)
    if project is not None and not turn.is_team:
        merchant = await merchant_of(turn)
        if merchant is None or merchant.id != project.merchant_id:
            project = None
    if project is None:
        turn.say(t("prj.ref.not_found", reference=reference))
    return project


def queue(
    tx: Transaction,
    project: Project,
    kind: str,
    target: Target,
    text: str,
    now: datetime,
    choices: tuple[Choice, ...] = (),
    thread_id: str | None = None,
) -> None:
    """One outgoing message about `project`, written in the caller's transaction."""
    tx.outbox.add(
        key=f"{kind}:{project.reference}:{uuid.uuid4().hex}",
        channel=target.channel,
        chat_id=target.chat_id,
        thread_id=thread_id,
        kind=kind,
        payload=payload(Message(text, choices), project=project.reference),
        now=now,
    )


def tell_merchant_tx(tx: Transaction, project: Project, text: str, now: datetime) -> None:
    """A notice to the chat the merchant asked from."""
    contact = Target(project.contact_channel, project.contact_chat_id)
    queue(tx, project, NOTICE, contact, text, now, thread_id=project.contact_thread_id)


def tell_merchant(turn: Turn, project: Project, text: str) -> None:
    tell_merchant_tx(turn.tx, project, text, turn.now)


def tell_team_tx(
    tx: Transaction,
    targets: Sequence[Target],
    project: Project,
    text: str,
    now: datetime,
    choices: tuple[Choice, ...] = (),
) -> None:
    for target in targets:
        queue(tx, project, DIRECT, target, text, now, choices)


def tell_team(turn: Turn, project: Project, text: str, choices: tuple[Choice, ...] = ()) -> None:
    tell_team_tx(turn.tx, turn.desk.notifier.team_targets, project, text, turn.now, choices)


def alert_choices(project: Project) -> tuple[Choice, ...]:
    ref = project.reference
    buttons = []
    if project.stage == "requested":
        buttons.append(Choice(t("prj.alert.accept"), f"team:accept:{ref}"))
    buttons.append(Choice(t("prj.alert.take"), f"team:take:{ref}"))
    buttons.append(Choice(t("prj.alert.ask"), f"team:reply:{ref}"))
    return tuple(buttons)
