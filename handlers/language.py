"""Which language the desk speaks to a person, and the `language` / `lugha` command.

Chosen, in order: what the person picked (`lugha`, or `deskbot chat --lang`); otherwise their
platform's hint (Telegram's `language_code`, Slack's user locale); otherwise their first message
when it is clearly one language; otherwise `[desk] default_language`. Whatever was decided is
stored per identity, so a restart keeps it, and a pick outranks everything after it.
"""

from __future__ import annotations

from datetime import datetime

from handlers import commands
from handlers.events import Choice, Incoming
from handlers.i18n import detect
from handlers.i18n.catalogs import LANGUAGE_NAMES, normalise_language, parse_language
from handlers.messages import t
from handlers.turn import Turn
from storage.people import LanguageChoice
from storage.store import Transaction

PICKED, PLATFORM, DETECTED = "picked", "platform", "detected"
CHOICE = "lang:"
# Set while the language buttons are showing, so a typed "Kiswahili" answers them rather than
# the flow's question.
OFFERED = "language_offered"


async def resolve(tx: Transaction, incoming: Incoming, default: str, now: datetime) -> str:
    """The language for this incoming event, storing what was learnt from it."""
    stored = await tx.people.language(incoming.channel, incoming.user_id)
    if stored is not None and stored.source == PICKED:
        return stored.language
    hint = normalise_language(incoming.language_hint)
    if hint is not None:
        if stored != LanguageChoice(hint, PLATFORM):
            await _store(tx, incoming, LanguageChoice(hint, PLATFORM), now)
        return hint
    if stored is not None:
        return stored.language
    detected = _detect(incoming)
    if detected is None:
        return default
    await _store(tx, incoming, LanguageChoice(detected, DETECTED), now)
    return detected


def _detect(incoming: Incoming) -> str | None:
    if incoming.choice is not None or not incoming.text.strip():
        return None
    typed = incoming.text.strip()
    if commands.parse(typed, in_flow=False) is not None or typed.startswith("/"):
        # A command is a choice of words: "ripoti" is Swahili, "report" English. Except
        # "/start", which Telegram sends for everyone whatever their language.
        word = (typed.lstrip("/").split(maxsplit=1) or [""])[0].split("@")[0].lower()
        if word in commands.ALIASES:
            return "sw"
        return "en" if word in commands.ALL and word != "start" else None
    return detect.detect(typed)


async def _store(
    tx: Transaction, incoming: Incoming, choice: LanguageChoice, now: datetime
) -> None:
    await tx.people.set_language(incoming.channel, incoming.user_id, choice, now)


def choices() -> tuple[Choice, ...]:
    return tuple(Choice(name, f"{CHOICE}{code}") for code, name in LANGUAGE_NAMES.items())


async def command(turn: Turn, args: str) -> bool:
    """`language`, `lugha`: offer the languages; `lugha sw`, `language english`: pick one
    (True when it did)."""
    wanted = parse_language(args) if args.strip() else None
    if wanted is not None:
        await pick(turn, wanted)
        return True
    turn.state.data[OFFERED] = True
    turn.say(t("language.unknown" if args.strip() else "language.prompt"), choices())
    return False


async def choice(turn: Turn, value: str) -> bool:
    """A `lang:` button. False when it names no language the desk speaks."""
    language = value.removeprefix(CHOICE)
    if language not in LANGUAGE_NAMES:
        return False
    await pick(turn, language)
    return True


async def typed_answer(turn: Turn, text: str) -> bool:
    """A typed language name right after the language buttons were shown."""
    if not turn.state.data.pop(OFFERED, False):
        return False
    language = parse_language(text)
    if language is None:
        return False
    await pick(turn, language)
    return True


async def pick(turn: Turn, language: str) -> None:
    incoming = turn.incoming
    turn.state.data.pop(OFFERED, None)
    await turn.tx.people.set_language(
        incoming.channel, incoming.user_id, LanguageChoice(language, PICKED), turn.now
    )
    turn.speak(language)
    turn.say(t("language.set"))
