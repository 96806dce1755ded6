"""`deskbot projects ...`: the operator's view of integration projects."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.cli_tickets import _iso
from bot.config import Config
from handlers.program.settings import STAGES
from storage import Database, Store, Transaction
from storage.program_models import Project
from storage.projects import objectives_of

CSV_FIELDS = (
    "reference",
    "merchant",
    "account_id",
    "stage",
    "owner",
    "objectives",
    "systems",
    "target_go_live",
    "go_live_at",
    "merchant_signoff",
    "team_signoff",
    "uat_passed",
    "uat_total",
    "tickets",
    "created_at",
)


def _signoff(by: str | None, at: datetime | None) -> dict[str, str | None] | None:
    return None if at is None else {"by": by, "at": _iso(at)}


async def project_dict(tx: Transaction, project: Project) -> dict[str, Any]:
    merchant = await tx.projects.merchant(project.merchant_id)
    return {
        "reference": project.reference,
        "merchant": {
            "name": merchant.name if merchant else None,
            "account_id": merchant.account_id if merchant else None,
            "identities": await tx.projects.identities(project.merchant_id),
        },
        "stage": project.stage,
        "owner": project.owner,
        "owner_name": project.owner_name,
        "overview": project.overview,
        "objectives": objectives_of(project),
        "systems": project.systems,
        "monthly_volume": project.monthly_volume,
        "target_go_live": project.target_go_live,
        "go_live_at": _iso(project.go_live_at),
        "created_at": _iso(project.created_at),
        "stages": [
            {"stage": s.stage, "entered_at": _iso(s.entered_at), "by": s.by, "note": s.note}
            for s in await tx.projects.history(project)
        ],
        "checklist": [
            {
                "stage": c.stage,
                "item": c.item,
                "done": c.done_at is not None,
                "done_by": c.done_by,
                "done_at": _iso(c.done_at),
            }
            for c in await tx.projects.checks(project)
        ],
        "uat": [
            {
                "id": c.number,
                "title": c.title,
                "required": c.required,
                "status": c.status,
                "ticket": c.ticket_reference,
            }
            for c in await tx.projects.cases(project)
        ],
        "signoffs": {
            "merchant": _signoff(project.merchant_signoff_by, project.merchant_signoff_at),
            "team": _signoff(project.team_signoff_by, project.team_signoff_at),
        },
        "tickets": [t.reference for t in await tx.projects.tickets(project)],
        "events": [
            {"at": _iso(e.created_at), "actor": e.actor, "action": e.action, "detail": e.detail}
            for e in await tx.projects.events(project)
        ],
    }


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    projects = subparsers.add_parser("projects", help="list, show and export integration projects")
    sub = projects.add_subparsers(dest="projects_command", required=True)
    listing = sub.add_parser("list", parents=[common], help="list projects")
    listing.add_argument("--stage", choices=STAGES)
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = sub.add_parser("show", parents=[common], help="one project with its whole history")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = sub.add_parser("export", parents=[common], help="export every project")
    export.add_argument("--format", choices=["csv", "json"], default="json")


async def run(args: argparse.Namespace, config: Config) -> int:
    async with Database(config.desk.database_url) as database:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        async with store.transaction() as tx:
            if args.projects_command == "show":
                reference = args.reference.strip().upper()
                project = await tx.projects.get(reference)
                if project is None:
                    print(f"No project {reference}.")
                    return 1
                detail = await project_dict(tx, project)
                print(
                    json.dumps(detail, indent=2, ensure_ascii=False) if args.json else _show(detail)
                )
                return 0
            stages = [args.stage] if getattr(args, "stage", None) else None
            rows = [await project_dict(tx, p) for p in await tx.projects.search(stages)]
            if args.projects_command == "list":
                print(json.dumps(rows, indent=2, ensure_ascii=False) if args.json else _list(rows))
            else:
                print(_export(rows, args.format), end="")
            return 0


def _list(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "No projects."
    table = [("REFERENCE", "STAGE", "OWNER", "GO-LIVE", "MERCHANT")]
    for r in rows:
        table.append(
            (
                r["reference"],
                r["stage"],
                r["owner"] or "-",
                r["go_live_at"] or "-",
                r["merchant"]["name"] or "-",
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]) - 1)]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in table
    )


def _show(d: dict[str, Any]) -> str:
    lines = [
        f"{d['reference']} · {d['merchant']['name']} (account {d['merchant']['account_id']})",
        f"stage: {d['stage']}  owner: {d['owner'] or '-'}  go-live: {d['go_live_at'] or '-'}",
        f"objectives: {', '.join(d['objectives'])}  systems: {d['systems']}",
        "stages:",
    ]
    lines += [
        f"  {s['entered_at']} {s['stage']} by {s['by']} {s['note']}".rstrip() for s in d["stages"]
    ]
    lines.append("checklist:")
    lines += [f"  [{'x' if c['done'] else ' '}] {c['stage']}: {c['item']}" for c in d["checklist"]]
    lines.append("uat:")
    lines += [f"  {c['id']}. {c['status']} {c['title']}" for c in d["uat"]]
    signoffs = d["signoffs"]
    lines.append(
        "signoffs: merchant "
        + (signoffs["merchant"]["by"] if signoffs["merchant"] else "-")
        + ", team "
        + (signoffs["team"]["by"] if signoffs["team"] else "-")
    )
    lines.append(f"tickets: {', '.join(d['tickets']) or '-'}")
    return "\n".join(lines)


def _export(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_FIELDS))
    writer.writeheader()
    for r in rows:
        writer.writerow(
            {
                "reference": r["reference"],
                "merchant": r["merchant"]["name"],
                "account_id": r["merchant"]["account_id"],
                "stage": r["stage"],
                "owner": r["owner"],
                "objectives": ";".join(r["objectives"]),
                "systems": r["systems"],
                "target_go_live": r["target_go_live"],
                "go_live_at": r["go_live_at"],
                "merchant_signoff": (r["signoffs"]["merchant"] or {}).get("at"),
                "team_signoff": (r["signoffs"]["team"] or {}).get("at"),
                "uat_passed": sum(1 for c in r["uat"] if c["status"] == "pass"),
                "uat_total": len(r["uat"]),
                "tickets": ";".join(r["tickets"]),
                "created_at": r["created_at"],
            }
        )
    return out.getvalue()
