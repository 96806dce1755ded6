"""Putting files on a ticket: numbered under the ticket's row lock, a transcript line for
their caption, and the team's copy (queued now for stored bytes, by the download queue for the
rest; the same bytes twice on one ticket go once). Also the `[attachments]` settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.filetypes import human_size, names_of
from handlers.messages import t
from handlers.notify import Notifier, Target
from handlers.render import one_line
from handlers.turn import Turn
from storage.attachments import DUPLICATE, REMOVED, STORED
from storage.models import Attachment, Ticket
from storage.store import Transaction

MB = 1024 * 1024
# Longest caption shown with the team's copy of a file; the whole text is in the transcript.
CAPTION_SHOWN = 600


@dataclass(frozen=True)
class AttachmentSettings:
    """`[attachments]` in the config."""

    # Telegram's bot download limit; a larger file cannot be fetched from Telegram anyway.
    max_bytes: int = 20 * MB
    path: str = "attachments"
    max_per_ticket: int = 50


def settings_of(turn: Turn) -> AttachmentSettings:
    return turn.desk.settings.attachments


async def attach(
    turn: Turn,
    ticket: Ticket,
    ids: Sequence[int],
    caption: str = "",
    *,
    transcript: bool = True,
    message_id: int | None = None,
) -> list[Attachment]:
    """Put the rows `ids` on `ticket` (locked here for their numbers); the ones already stored
    go to the team now, the others when their bytes arrive. Returns the rows attached. Without
    a transcript line of their own, `message_id` is the message they belong to."""
    tx = turn.tx
    locked = await tx.tickets.get(ticket.reference, for_update=True)
    ticket = locked or ticket
    limit = settings_of(turn).max_per_ticket
    rows = [row for row in [await tx.attachments.get(i) for i in ids] if row is not None]
    count = await tx.attachments.count(ticket.id)  # type: ignore[arg-type]
    kept = []
    for row in rows:
        if limit and count >= limit:
            turn.say(t("attach.too_many", reference=ticket.reference, limit=limit, name=row.name))
            continue
        count += 1
        kept.append(row)
    if not kept:
        return []
    internal = kept[0].internal
    message = None
    if transcript:
        text = caption or "📎 " + names_of(kept)
        message = tx.tickets.add_message(
            ticket, turn.actor, turn.actor_name, text, public=not internal, now=turn.now
        )
        await tx.session.flush()
    attached = []
    belongs = message.id if message else message_id
    for row in kept:
        number = await tx.attachments.next_number(ticket.id)  # type: ignore[arg-type]
        if row.ticket_id is None and row.status != REMOVED:
            status = await tx.attachments.link(
                row.id,  # type: ignore[arg-type]
                ticket.id,  # type: ignore[arg-type]
                number,
                belongs,
            )
        else:
            status = await tx.attachments.move(
                row.id,  # type: ignore[arg-type]
                ticket.id,  # type: ignore[arg-type]
                number,
                belongs,
            )
        if status is None:
            # Another unit of work put it on a ticket meanwhile: its update stands. Nothing is
            # set on this (stale) row, or the flush would write it over that update.
            continue
        await tx.session.refresh(row)
        attached.append(row)
        # A duplicate moved here has no copy on this ticket yet, unless its bytes are here too
        # (team_copy looks).
        if status in (STORED, DUPLICATE):
            await team_copy(turn.desk.notifier, tx, ticket, row, turn.now)
        tx.tickets.record(ticket, turn.actor, "attachment", turn.now, new=row.name)
    if not attached:
        if message is not None:
            await tx.session.delete(message)
        return []
    ticket.updated_at = turn.now
    tx.session.add(ticket)
    return attached


async def team_copy(
    notifier: Notifier,
    tx: Transaction,
    ticket: Ticket,
    row: Attachment,
    now: datetime,
) -> None:
    """Queue the team's copy of a stored file, unless the same bytes are on the ticket already.
    A file posted in a team place (a member's file in the alert's thread) is not sent back
    there: that place shows it already."""
    earlier = await tx.attachments.first_with_hash(
        ticket.id,  # type: ignore[arg-type]
        row.sha256 or "",
        row.id,  # type: ignore[arg-type]
    )
    if earlier is not None:
        await tx.attachments.mark_duplicate(row.id)  # type: ignore[arg-type]
        return
    if row.status == DUPLICATE:
        # Moved off the ticket holding its twin: here it is the first of its bytes.
        await tx.attachments.mark_stored(row.id)  # type: ignore[arg-type]
    caption = row.caption.strip()
    if len(caption) > CAPTION_SHOWN:
        caption = caption[:CAPTION_SHOWN].rstrip() + "…"
    with notifier.for_team():
        text = t(
            "timeline.attachment_internal" if row.internal else "timeline.attachment",
            reference=ticket.reference,
            sender=one_line(row.owner_name or ticket.reporter_name),
            name=row.name,
            mime=row.mime_type or "?",
            size=human_size(row.size or 0),
            caption=f"\n{caption}" if caption else "",
        )
    posted_in = Target(row.channel, row.chat_id)
    notifier.attachment(tx, ticket, text, file_facts(row), now, skip=posted_in)


def file_facts(row: Attachment) -> dict[str, object]:
    return {
        "id": row.id,
        "number": row.number,
        "name": row.name,
        "kind": row.kind,
        "mime_type": row.mime_type,
        "size": row.size,
        "storage_name": row.storage_name,
        "channel": row.channel,
        "platform_file_id": row.platform_file_id,
    }
