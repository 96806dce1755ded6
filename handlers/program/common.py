"""What the program's flows share: finding a project the person may see, telling the merchant
(through the outbox) and the team, and naming stages.

Notices are passed as `Render` callables, not finished text: a team member's command writes the
merchant's notice in the merchant's language and the team's in `[team] language`, whatever the
member's own language is."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.events import Choice, Message
from handlers.i18n.dates import when
from handlers.messages import speaking, t
from handlers.notify import DIRECT, NOTICE, Notifier, Target, payload
from handlers.program.settings import ProgramSettings
from handlers.references import normalise_reference
from handlers.turn import Turn
from storage.program_models import Merchant, Project
from storage.store import Transaction

Render = Callable[[], str]


def settings(turn: Turn) -> ProgramSettings:
    return turn.desk.settings.program


def stage_name(stage: str) -> str:
    return t.word("stage", stage)


def shown_time(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as the current reader reads it: their language, the desk's zone ("EAT")."""
    return when(moment, t.language, zone.key)


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


async def merchant_language(tx: Transaction, project: Project, default: str) -> str:
    """The language of the person the project's notices go to: the merchant's identity on the
    channel they asked from (on Telegram and the console their chat is their own id)."""
    prefix = f"{project.contact_channel}:"
    users = [
        identity.removeprefix(prefix)
        for identity in await tx.projects.identities(project.merchant_id)
        if identity.startswith(prefix)
    ]
    users.sort(key=lambda user: user != project.contact_chat_id)
    for user in users:
        choice = await tx.people.language(project.contact_channel, user)
        if choice is not None:
            return choice.language
    return default


async def tell_merchant_tx(
    tx: Transaction, project: Project, render: Render, now: datetime, notifier: Notifier
) -> None:
    """A notice to the chat the merchant asked from, in the merchant's language."""
    with speaking(await merchant_language(tx, project, notifier.default_language)):
        text = render()
    contact = Target(project.contact_channel, project.contact_chat_id)
    queue(tx, project, NOTICE, contact, text, now, thread_id=project.contact_thread_id)


async def tell_merchant(turn: Turn, project: Project, render: Render) -> None:
    await tell_merchant_tx(turn.tx, project, render, turn.now, turn.desk.notifier)


def tell_team_tx(
    tx: Transaction,
    targets: Sequence[Target],
    project: Project,
    render: Render,
    now: datetime,
    notifier: Notifier,
    choices: Callable[[], tuple[Choice, ...]] = tuple,
) -> None:
    """The same notice to every team target, in `[team] language` (buttons too)."""
    with notifier.for_team():
        text, buttons = render(), choices()
    for target in targets:
        queue(tx, project, DIRECT, target, text, now, buttons)


def tell_team(
    turn: Turn,
    project: Project,
    render: Render,
    choices: Callable[[], tuple[Choice, ...]] = tuple,
) -> None:
    desk = turn.desk
    tell_team_tx(
        turn.tx, desk.notifier.team_targets, project, render, turn.now, desk.notifier, choices
    )


def alert_choices(project: Project) -> tuple[Choice, ...]:
    ref = project.reference
    buttons = []
    if project.stage == "requested":
        buttons.append(Choice(t("prj.alert.accept"), f"team:accept:{ref}"))
    buttons.append(Choice(t("prj.alert.take"), f"team:take:{ref}"))
    buttons.append(Choice(t("prj.alert.ask"), f"team:reply:{ref}"))
    return tuple(buttons)
