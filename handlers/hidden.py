"""What the engine does when a secret was hidden from what someone sent (handlers/redaction.py):
the text goes on with markers in place of the secret, the person is told what was hidden and
that a key sent in a chat must be replaced now, their original message is deleted where the bot
may do so (Telegram private chats; elsewhere they are asked to delete it), and the redaction is
recorded, kinds only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from handlers.events import Incoming, Message
from handlers.messages import t
from handlers.ops import metrics
from handlers.redaction import (
    CARD,
    CREDENTIALS,
    CVV,
    KINDS,
    Finding,
    Redacted,
    find_secrets,
    redact,
    without_secrets,
)
from handlers.turn import Turn
from storage.database import after_commit

# The payload hint asking the channel to delete the person's message along with the first answer.
DELETE_HINT = "delete_message"


def secrets(incoming: Incoming) -> list[Finding]:
    """The secrets in what someone sent (scanned once per turn: the probe and the cleaning
    both need them)."""
    return find_secrets(incoming.text)


def language_probe(incoming: Incoming, findings: list[Finding]) -> Incoming:
    """`incoming` with its secrets (`findings`) cut out, for guessing the language it is
    written in (the markers are written in that language, so they come after)."""
    if not findings:
        return incoming
    return replace(incoming, text=without_secrets(incoming.text, findings))


def clean(
    incoming: Incoming, language: str, findings: list[Finding]
) -> tuple[Incoming, tuple[str, ...]]:
    if not findings:
        return incoming, ()
    result = redact(incoming.text, language, findings)
    if not result.changed:
        return incoming, ()
    return replace(incoming, text=result.text), result.kinds


def hide(turn: Turn, text: str) -> str:
    """`text` brought by this turn outside `incoming.text` (a form's fields, a team note),
    redacted; what was hidden joins `turn.hidden`."""
    result: Redacted = redact(text, turn.language)
    if result.changed:
        turn.hidden = merged(turn.hidden, result.kinds)
    return result.text


def merged(*groups: Iterable[str]) -> tuple[str, ...]:
    found = {kind for group in groups for kind in group}
    return tuple(kind for kind in KINDS if kind in found)


def listed(kinds: tuple[str, ...]) -> str:
    words = [t(f"redaction.kind.{kind}") for kind in kinds]
    if len(words) == 1:
        return words[0]
    return t("redaction.and", first=", ".join(words[:-1]), last=words[-1])


def tell(turn: Turn, reference: str | None = None) -> None:
    """Say what was hidden (first among the turn's answers: the deletion rides on it) and
    record it. `reference`: the ticket the text was for, when the turn names one."""
    kinds = turn.hidden
    if not kinds:
        return
    incoming = turn.incoming
    turn.tx.redactions.record(
        incoming.channel, incoming.chat_id, incoming.user_id, kinds, turn.now, reference
    )
    after_commit(turn.tx.session, lambda: metrics.redacted(kinds))
    lines = [t("redaction.notice", what=listed(kinds))]
    if CREDENTIALS.intersection(kinds):
        lines.append(t("redaction.rotate"))
    if CARD in kinds or CVV in kinds:
        lines.append(t("redaction.card"))
    deletable = incoming.deletable_id is not None
    lines.append(t("redaction.deleted" if deletable else "redaction.delete_yourself"))
    turn.replies.insert(0, Message("\n".join(lines)))


def delete_hint(turn: Turn) -> dict[str, str]:
    """The hint for the first answer's payload: delete the person's message holding a secret."""
    deletable = turn.incoming.deletable_id
    if not turn.hidden or deletable is None:
        return {}
    return {DELETE_HINT: deletable}
