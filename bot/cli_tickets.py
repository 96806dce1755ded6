"""`deskbot tickets ...`: the operator's view of the ticket store."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli_attachments import attachment_dict
from bot.config import Config
from bot.config_escalation import parse_escalation
from bot.terminal import csv_cell, json_safe, visible
from handlers import facts
from handlers.escalation.policy import EscalationPolicy
from handlers.escalation.sla import ticket_sla
from storage import Database, Store
from storage.models import Attachment, Page, Ticket, TicketEvent, TicketMessage

FIELDS = (
    "reference",
    "kind",
    "title",
    "description",
    "severity",
    "environment",
    "status",
    "reporter",
    "reporter_name",
    "reporter_chat_id",
    "assignee",
    "created_at",
    "acknowledged_at",
    "acknowledged_by",
    "resolved_at",
    "resolved_by",
    "escalation_level",
    "escalation_repeats",
    "next_escalation_at",
    "acknowledge_due_at",
    "resolve_due_at",
    "acknowledge_breached_at",
    "resolve_breached_at",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def ticket_dict(ticket: Ticket) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in FIELDS:
        if name == "reporter":
            data[name] = f"{ticket.reporter_channel}:{ticket.reporter_user_id}"
        else:
            value = getattr(ticket, name)
            data[name] = _iso(value) if isinstance(value, datetime) else value
    # Payment details found in what the merchant wrote: kind -> values (handlers/facts.py).
    data["facts"] = facts.loads(ticket.facts)
    return data


def sla_dict(ticket: Ticket, policy: EscalationPolicy, now: datetime) -> dict[str, str]:
    status = ticket_sla(ticket, policy, policy.calendar(), now)
    return {"acknowledge": str(status.acknowledge), "resolve": str(status.resolve)}


def detail_dict(
    ticket: Ticket,
    messages: Sequence[TicketMessage],
    events: Sequence[TicketEvent],
    pages: Sequence[Page],
    policy: EscalationPolicy | None = None,
    now: datetime | None = None,
    attachments: Sequence[Attachment] = (),
) -> dict[str, Any]:
    data = ticket_dict(ticket)
    data["sla"] = sla_dict(ticket, policy or EscalationPolicy(), now or datetime.now(UTC))
    data["transcript"] = [
        {
            "at": _iso(m.created_at),
            "author": m.author,
            "author_name": m.author_name,
            "visibility": "public" if m.public else "internal",
            "text": m.text,
        }
        for m in messages
    ]
    data["events"] = [
        {
            "at": _iso(e.created_at),
            "actor": e.actor,
            "action": e.action,
            "field": e.field,
            "old": e.old_value,
            "new": e.new_value,
        }
        for e in events
    ]
    data["pages"] = [
        {
            "level": p.level,
            "repeat": p.repeat,
            "due_at": _iso(p.due_at),
            "sent_at": _iso(p.created_at),
            "targets": p.targets,
        }
        for p in pages
    ]
    data["attachments"] = [attachment_dict(a) for a in attachments]
    return data


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    tickets = subparsers.add_parser("tickets", help="list, show and export tickets")
    sub = tickets.add_subparsers(dest="tickets_command", required=True)
    listing = sub.add_parser("list", parents=[common], help="list tickets")
    listing.add_argument(
        "--status",
        choices=["open", "acknowledged", "in_progress", "resolved", "closed", "unresolved"],
    )
    listing.add_argument("--severity", choices=["critical", "major", "minor"])
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = sub.add_parser(
        "show", parents=[common], help="one ticket with transcript and audit trail"
    )
    show.add_argument("reference")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = sub.add_parser("export", parents=[common], help="export every ticket")
    export.add_argument("--format", choices=["csv", "json"], default="json")


async def run(args: argparse.Namespace, config: Config) -> int:
    policy, now = parse_escalation(config.escalation), datetime.now(UTC)
    async with Database(config.desk.database_url) as database:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        async with store.transaction() as tx:
            if args.tickets_command == "list":
                statuses = None
                if args.status == "unresolved":
                    statuses = ["open", "acknowledged", "in_progress"]
                elif args.status:
                    statuses = [args.status]
                tickets = await tx.tickets.search(statuses=statuses, severity=args.severity)
                print(_list(tickets, args.json, policy, now))
                return 0
            if args.tickets_command == "show":
                reference = args.reference.strip().upper()
                ticket = await tx.tickets.get(reference)
                if ticket is None:
                    print(f"No ticket {reference}.")
                    return 1
                detail = detail_dict(
                    ticket,
                    await tx.tickets.messages(ticket),
                    await tx.tickets.events(ticket),
                    await tx.tickets.pages(ticket),
                    policy,
                    now,
                    await tx.attachments.for_ticket(ticket.id),  # type: ignore[arg-type]
                )
                print(
                    json_safe(json.dumps(detail, indent=2, ensure_ascii=False))
                    if args.json
                    else visible(_show(detail, policy.zone))
                )
                return 0
            tickets = await tx.tickets.search()
            exported = _export(tickets, args.format)
            print(visible(exported) if sys.stdout.isatty() else exported, end="")
            return 0


def _list(tickets: Sequence[Ticket], as_json: bool, policy: EscalationPolicy, now: datetime) -> str:
    if as_json:
        rows = [{**ticket_dict(t), "sla": sla_dict(t, policy, now)} for t in tickets]
        return json_safe(json.dumps(rows, indent=2, ensure_ascii=False))
    if not tickets:
        return "No tickets."
    calendar = policy.calendar()
    table = [("REFERENCE", "KIND", "SEVERITY", "ENV", "STATUS", "SLA", "REPORTER", "TITLE")]
    for t in tickets:
        table.append(
            (
                t.reference,
                t.kind,
                t.severity or "-",
                t.environment or "-",
                t.status,
                ticket_sla(t, policy, calendar, now).summary(),
                f"{t.reporter_channel}:{t.reporter_user_id}",
                t.title[:60],
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]) - 1)]
    return "\n".join(
        visible(
            "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=False))
            + "  "
            + row[-1]
        )
        for row in table
    )


def _local(value: Any, zone: ZoneInfo) -> Any:
    """An ISO time from `detail_dict` as the operator reads it: in the desk's zone, with its
    abbreviation ("2026-11-30 07:27 EAT"). JSON output keeps ISO 8601 with its offset."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _show(detail: dict[str, Any], zone: ZoneInfo) -> str:
    skip = ("transcript", "events", "pages", "sla", "facts", "attachments")
    lines = [
        f"{k}: {_local(v, zone) if k.endswith('_at') else v}"
        for k, v in detail.items()
        if k not in skip
    ]
    lines.append(f"facts: {facts.line(detail['facts'], limit=2000) or '-'}")
    lines.append(
        f"sla: acknowledge {detail['sla']['acknowledge']}, resolve {detail['sla']['resolve']}"
    )
    lines.append("transcript:")
    lines += [
        f"  {_local(m['at'], zone)} {m['author']} ({m['visibility']}): {m['text']}"
        for m in detail["transcript"]
    ]
    lines.append("events:")
    for e in detail["events"]:
        change = f" {e['field']}: {e['old']} -> {e['new']}" if e["field"] else ""
        lines.append(f"  {_local(e['at'], zone)} {e['actor']} {e['action']}{change}")
    lines.append("attachments:")
    for a in detail.get("attachments", []):
        status = "attachment pending" if a["status"] == "pending" else a["status"]
        internal = " (internal)" if a["internal"] else ""
        lines.append(
            f"  {a['number']}. {a['name']}{internal} {a['mime_type'] or '-'} "
            f"{a['size'] if a['size'] is not None else '-'} bytes {status} "
            f"sha256:{a['sha256'] or '-'}"
        )
    lines.append("pages:")
    lines += [
        f"  {_local(p['sent_at'], zone)} level {p['level']} repeat {p['repeat']} to {p['targets']}"
        for p in detail["pages"]
    ]
    return "\n".join(lines)


def _export(tickets: Sequence[Ticket], fmt: str) -> str:
    rows = [ticket_dict(t) for t in tickets]
    if fmt == "json":
        return json_safe(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*FIELDS, "facts"])
    writer.writeheader()
    for row in rows:
        row["facts"] = facts.line(row["facts"], limit=2000)
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()
