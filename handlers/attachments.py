"""Files people send: checked when announced and written as attachment rows (their bytes
follow through the download queue, handlers/downloads.py), then handed on: in the report flow
they wait on the draft (handlers/report.py), outside it they are routed
(handlers/file_routing.py), and a team member's are internal attachments of the ticket. Where
they go on a ticket: handlers/attaching.py. Also the ticket's list of attachments.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers import file_routing
from handlers.attaching import attach, settings_of
from handlers.events import IncomingFile
from handlers.filetypes import clean_name, human_size, names_of
from handlers.messages import t
from handlers.turn import Turn
from storage.attachments import PENDING, STORED
from storage.models import Attachment

# The name an over-long pasted text (report details, a follow-up) is attached under.
DETAILS_FILE = "details.txt"


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
    elif rows and not await file_routing.to_expecting(turn, rows):
        await file_routing.route(turn, rows)


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
