"""Files people send: checked when announced, written as attachment rows (their bytes follow
through the download queue, handlers/downloads.py), and put on the right ticket.

In the report flow they wait on the draft and join the ticket when it is filed. Outside a flow
they are routed like a follow-up: onto the sender's one open ticket (with "Not about INT-4" to
take them back, handlers/not_about.py), or the sender picks the ticket when several are open,
or a report starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from handlers.events import Choice, IncomingFile
from handlers.filetypes import clean_name, human_size, names_of
from handlers.messages import t
from handlers.not_about import Taken, button
from handlers.notify import Notifier, Target
from handlers.render import one_line
from handlers.turn import Turn
from storage.attachments import PENDING, STORED
from storage.models import Attachment, Status, Ticket
from storage.store import Transaction

FLOW = "attach"
MB = 1024 * 1024
OPEN_CHOICES = 5
# Longest caption shown with the team's copy of a file; the whole text is in the transcript.
CAPTION_SHOWN = 600
# The name an over-long pasted text (report details, a follow-up) is attached under.
DETAILS_FILE = "details.txt"


@dataclass(frozen=True)
class AttachmentSettings:
    """`[attachments]` in the config."""

    # Telegram's bot download limit; a larger file cannot be fetched from Telegram anyway.
    max_bytes: int = 20 * MB
    path: str = "attachments"
    max_per_ticket: int = 50


def settings_of(turn: Turn) -> AttachmentSettings:
    return turn.desk.settings.attachments


def refusal(file: IncomingFile, name: str, limit: int) -> str | None:
    """Why a file is refused from what the platform says about it (before any download)."""
    if file.size is not None and file.size == 0:
        return t("attach.empty", name=name)
    if file.size is not None and file.size > limit:
        return t("attach.too_big", name=name, size=human_size(file.size), limit=human_size(limit))
    return None


def default_name(file: IncomingFile, number: int) -> str:
    """A name for files sent without one (Telegram photos and voice notes have none)."""
    extension = {"photo": "jpg", "voice": "ogg", "video": "mp4", "audio": "mp3"}.get(file.kind)
    base = f"{file.kind}-{number}"
    return f"{base}.{extension}" if extension else base


async def receive(turn: Turn, *, internal: bool = False) -> list[Attachment]:
    """Rows for the files of this message that pass the first checks; refusals are said."""
    incoming = turn.incoming
    limit = settings_of(turn).max_bytes
    rows = []
    for number, file in enumerate(incoming.files, start=1):
        name = clean_name(file.name, default_name(file, number))
        refused = refusal(file, name, limit)
        if refused is not None:
            turn.say(refused)
            continue
        row = Attachment(
            owner=turn.actor,
            owner_name=turn.actor_name,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            deletable_id=incoming.deletable_id,
            internal=internal,
            kind=file.kind,
            platform_file_id=file.platform_file_id,
            source=file.source or None,
            name=name,
            declared_size=file.size,
            mime_type=None,
            caption=incoming.text,
            status=PENDING,
            next_attempt_at=turn.now,
            created_at=turn.now,
        )
        rows.append(await turn.tx.attachments.add(row))
    return rows


async def stored_text(turn: Turn, name: str, text: str) -> Attachment:
    """A text the desk already holds (an over-long paste), kept as a stored attachment."""
    data = text.encode("utf-8")
    desk = turn.desk
    if desk.files is None:
        raise RuntimeError("no attachment folder configured")
    storage_name = await desk.files.put(data)
    row = Attachment(
        owner=turn.actor,
        owner_name=turn.actor_name,
        channel=turn.incoming.channel,
        chat_id=turn.incoming.chat_id,
        kind="document",
        name=name,
        declared_size=len(data),
        mime_type="text/plain",
        size=len(data),
        sha256=storage_name,
        storage_name=storage_name,
        status=STORED,
        next_attempt_at=turn.now,
        created_at=turn.now,
        stored_at=turn.now,
    )
    return await turn.tx.attachments.add(row)


# Putting files on a ticket ----------------------------------------------------------------


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
    for row in kept:
        number = await tx.attachments.next_number(ticket.id)  # type: ignore[arg-type]
        if row.ticket_id is None and row.status != "removed":
            status = await tx.attachments.link(
                row.id,  # type: ignore[arg-type]
                ticket.id,  # type: ignore[arg-type]
                number,
                message.id if message else message_id,
            )
        else:
            status = await tx.attachments.move(row.id, ticket.id, number)  # type: ignore[arg-type]
        row.ticket_id, row.number = ticket.id, number
        row.message_id = message.id if message else row.message_id
        if status == STORED:
            await team_copy(turn.desk.notifier, tx, ticket, row, turn.now)
        tx.tickets.record(ticket, turn.actor, "attachment", turn.now, new=row.name)
    ticket.updated_at = turn.now
    tx.session.add(ticket)
    return kept


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


# Files outside a flow ---------------------------------------------------------------------


async def route(turn: Turn, rows: list[Attachment]) -> None:
    """Files sent outside a flow: to the one open ticket, a choice of several, or a report."""
    incoming = turn.incoming
    ids = [row.id for row in rows]
    open_tickets = await turn.tx.tickets.for_reporter(
        incoming.channel, incoming.user_id, unresolved_only=True, limit=OPEN_CHOICES
    )
    if not open_tickets:
        await start_report(turn, rows)
        return
    if len(open_tickets) == 1:
        await _attach_and_offer_undo(turn, open_tickets[0], rows, incoming.text)
        return
    turn.reset()
    turn.go(FLOW, "which", files=ids, caption=incoming.text)
    _offer_tickets(turn, rows, open_tickets)


def _offer_tickets(turn: Turn, rows: Sequence[Attachment], tickets: Sequence[Ticket]) -> None:
    choices = [
        Choice(t("attach.to", reference=tk.reference, title=tk.title), f"attach:to:{tk.reference}")
        for tk in tickets
    ]
    choices.append(Choice(t("attach.new_report"), "attach:new"))
    turn.say(t("attach.which", names=names_of(rows)), tuple(choices))


async def _attach_and_offer_undo(
    turn: Turn, ticket: Ticket, rows: list[Attachment], caption: str
) -> None:
    ids = [row.id for row in rows if row.id is not None]
    kept = await attach(turn, ticket, ids, caption)
    if not kept:
        return
    turn.reset()
    choices = () if kept[0].message_id is None else (button(ticket, kept[0].message_id),)
    turn.say(
        t(
            "attach.added",
            names=names_of(kept),
            reference=ticket.reference,
            status=t.word("status", ticket.status),
        ),
        choices,
    )


async def start_report(turn: Turn, rows: list[Attachment]) -> None:
    from handlers import report

    caption = turn.incoming.text.strip()
    turn.say(t("attach.start_report", names=names_of(rows)))
    title = caption if 0 < len(caption) <= turn.desk.settings.max_title_length else ""
    await report.start(turn, title)
    if turn.state.flow == report.FLOW:
        turn.state.data["files"] = [row.id for row in rows]


async def choice(turn: Turn, value: str) -> bool:
    """`attach:to:INT-4`, `attach:new`; False for anything else."""
    action, _, reference = value.partition(":")
    state = turn.state
    ids = [int(i) for i in state.data.get("files", [])] if state.flow == FLOW else []
    # Read before the conversation is reset below.
    caption = str(state.data.get("caption", "")) if state.flow == FLOW else ""
    if action not in ("to", "new"):
        return False
    if not ids:
        turn.say(t("attach.expired"))
        return True
    rows = [r for r in [await turn.tx.attachments.get(i) for i in ids] if r is not None]
    if not rows or any(r.owner != turn.actor for r in rows):
        turn.reset()
        turn.say(t("attach.expired"))
        return True
    turn.reset()
    if action == "new":
        await start_report(turn, rows)
        return True
    ticket = await turn.tx.tickets.get(reference)
    if ticket is None or not turn.owns(ticket) or ticket.status not in _OPEN:
        turn.say(t("attach.expired"))
        return True
    await _attach_and_offer_undo(turn, ticket, rows, caption)
    return True


_OPEN = (Status.open, Status.acknowledged, Status.in_progress)


def offer_again(turn: Turn, taken: Taken) -> None:
    """After "Not about INT-4" took files back: held while their sender picks where they go."""
    turn.say(t("attach.removed", names=names_of(taken.files), reference=taken.ticket.reference))
    turn.reset()
    turn.go(FLOW, "which", files=[row.id for row in taken.files], caption=taken.text)
    _offer_tickets(turn, taken.files, taken.others)


def unsupported(turn: Turn) -> None:
    turn.say(t("attach.unsupported"))


async def received(turn: Turn) -> None:
    """A message carrying files (or something the desk cannot take) from a merchant."""
    from handlers import report

    if turn.incoming.unsupported:
        unsupported(turn)
        return
    rows = await receive(turn)
    if turn.state.flow == report.FLOW:
        await report.files_received(turn, rows)
    elif rows and not await _to_expecting(turn, rows):
        await route(turn, rows)


def expect_files(turn: Turn, ticket: Ticket) -> None:
    """After a report filed from a form: offer to send files (a line under the confirmation),
    and send the next ones to the ticket."""
    offer = t("report.files.after_form", reference=ticket.reference)
    last = turn.replies[-1] if turn.replies else None
    if last is not None and not last.choices:
        turn.replies[-1] = replace(last, text=f"{last.text}\n{offer}")
    else:
        turn.say(offer)
    turn.go(FLOW, "expecting", expecting=ticket.reference)


async def _to_expecting(turn: Turn, rows: list[Attachment]) -> bool:
    """Files right after a form report (one message or several in a row): onto that ticket,
    with the usual undo."""
    state = turn.state
    expecting = state.data.get("expecting") if state.flow == FLOW else None
    if not expecting:
        return False
    ticket = await turn.tx.tickets.get(str(expecting))
    if ticket is None or not turn.owns(ticket) or ticket.status not in _OPEN:
        return False
    if ticket.updated_at < turn.now - turn.desk.settings.followup_window:
        return False  # no longer what the merchant is busy with: routed as usual
    await _attach_and_offer_undo(turn, ticket, rows, turn.incoming.text)
    turn.go(FLOW, "expecting", expecting=ticket.reference)
    return True


async def team_files(turn: Turn, reference: str) -> None:
    """Files a team member posted in a ticket's team thread: internal attachments. The place
    they were posted in already shows them, so only the other team places get a copy."""
    ticket = await turn.tx.tickets.get(reference)
    if ticket is None or not turn.is_team:
        return
    rows = await receive(turn, internal=True)
    ids = [row.id for row in rows if row.id is not None]
    kept = await attach(turn, ticket, ids, turn.incoming.text)
    if kept:
        turn.say(t("attach.internal_added", names=names_of(kept), reference=reference))


def listing(rows: Sequence[Attachment], *, internal: bool = False) -> str:
    """The ticket's attachments in lines for `status` and `show` ("" when there are none);
    `internal` ones only for the team."""
    shown = [row for row in rows if internal or not row.internal]
    if not shown:
        return ""
    lines = [t("attach.header")]
    for row in shown:
        lines.append(
            t(
                "attach.line",
                number=row.number,
                name=row.name,
                mime=row.mime_type or "?",
                size=human_size(row.size if row.size is not None else row.declared_size or 0),
                status=t.word("attach.status", row.status),
            )
        )
    return "\n".join(lines)
