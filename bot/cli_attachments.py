"""`deskbot attachments get INT-4 N --out PATH`: one attachment's bytes, as stored (text files
after redaction), written to a file of the operator's choosing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.config import Config
from handlers.references import normalise_reference
from storage import Database, Store
from storage.files import FileStore
from storage.models import Attachment


def attachment_dict(row: Attachment) -> dict[str, Any]:
    """How `tickets show` (text and JSON) lists one attachment."""
    return {
        "number": row.number,
        "name": row.name,
        "mime_type": row.mime_type,
        "size": row.size if row.size is not None else row.declared_size,
        "sha256": row.sha256,
        "status": row.status,
        "reason": row.reason,
        "internal": row.internal,
        "from": row.owner,
        "at": row.created_at.isoformat() if row.created_at else None,
    }


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    attachments = subparsers.add_parser("attachments", help="files sent about tickets")
    sub = attachments.add_subparsers(dest="attachments_command", required=True)
    get = sub.add_parser("get", parents=[common], help="write one attachment to a file")
    get.add_argument("reference", help="the ticket, e.g. INT-4")
    get.add_argument("number", type=int, help="the attachment's number (see `tickets show`)")
    get.add_argument("--out", type=Path, required=True, help="where to write it")
    get.add_argument("--force", action="store_true", help="overwrite --out if it exists")


async def run(args: argparse.Namespace, config: Config) -> int:
    reference = normalise_reference(args.reference, config.desk.reference_prefix)
    if reference is None:
        print(f"Not a ticket reference: {args.reference!r}.")
        return 2
    if args.out.exists() and not args.force:
        print(f"{args.out} exists; pass --force to overwrite it.")
        return 1
    async with Database(config.desk.database_url) as database:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        async with store.transaction() as tx:
            ticket = await tx.tickets.get(reference)
            row = None
            if ticket is not None:
                row = await tx.attachments.by_number(ticket.id, args.number)  # type: ignore[arg-type]
    if ticket is None:
        print(f"No ticket {reference}.")
        return 1
    if row is None or row.status == "removed":
        print(f"{reference} has no attachment {args.number}.")
        return 1
    if row.storage_name is None:
        print(f"{reference} attachment {args.number} is not stored ({row.status}).")
        return 1
    data = await FileStore(config.attachments.path).read(row.storage_name)
    args.out.write_bytes(data)
    print(f"Wrote {row.name} ({len(data)} bytes, {row.mime_type}) to {args.out}.")
    return 0
