"""`deskbot kb search|check|stats`: the knowledge base from the command line.

The knowledge base is `--kb PATH` when given, else `[kb] path` from the config (see
bot/kb_config.py); `[kb] min_score` is the threshold `search` reports against, and `check` fails
when an entry has no answer in one of `[kb] languages`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.config import Config
from bot.kb_config import KbSettings, kb_settings
from handlers.knowledge import KnowledgeBase, KnowledgeBaseError, check
from storage import Database, Store
from storage.kb_log import KbStats


def add_kb_commands(subparsers: Any, common: argparse.ArgumentParser | None = None) -> None:
    """Add `kb search`, `kb check` and `kb stats` to the `deskbot` subcommands."""
    parents = [common] if common is not None else []
    kb = subparsers.add_parser("kb", help="search, check and measure the knowledge base")
    sub = kb.add_subparsers(dest="kb_command", required=True)

    search = sub.add_parser("search", parents=parents, help="rank the entries for a question")
    search.add_argument("question", help="the question, quoted")
    search.add_argument("--json", action="store_true", help="print a JSON list, best first")
    search.add_argument("--limit", type=int, default=5, help="how many entries (default 5)")
    search.add_argument("--kb", dest="kb_path", help="knowledge-base file or folder")

    check_cmd = sub.add_parser("check", parents=parents, help="validate the knowledge-base files")
    check_cmd.add_argument("--kb", dest="kb_path", help="knowledge-base file or folder")

    stats = sub.add_parser("stats", parents=parents, help="answers shown, helpful, escalated")
    stats.add_argument("--since", help="only count from this date (YYYY-MM-DD, UTC)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument("--top", type=int, default=20, help="questions to list in each part")
    stats.add_argument(
        "--margin",
        type=float,
        help="an answer leading the runner-up entry or [kb] min_score by less than this is "
        "low-margin (default: half of min_score)",
    )


async def run(
    args: argparse.Namespace, config: Config, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if args.kb_command == "stats":
        return await _stats(args, config, out, err)
    settings = kb_settings(config.kb, getattr(args, "kb_path", None))
    if settings.path is None:
        print("the knowledge base is switched off ([kb] path is empty)", file=err)
        return 1
    if args.kb_command == "check":
        return _check(settings, out, err)
    return _search(args, settings, config.desk.max_details_length, out, err)


def _search(
    args: argparse.Namespace, settings: KbSettings, max_length: int, out: TextIO, err: TextIO
) -> int:
    assert settings.path is not None
    if len(args.question) > max_length:
        print(
            f"the question is {len(args.question)} characters; the desk answers questions of up"
            f" to {max_length} ([desk] max_details_length)",
            file=err,
        )
        return 2
    try:
        kb = KnowledgeBase.load(settings.path, settings.min_score)
    except KnowledgeBaseError as exc:
        print(f"the knowledge base at {settings.path} is broken (see deskbot kb check):", file=err)
        print(exc, file=err)
        return 1
    hits = kb.search(args.question, limit=max(args.limit, 1))
    if args.json:
        rows = [
            {"id": hit.entry.id, "title": hit.entry.title, "score": round(hit.score, 3)}
            for hit in hits
        ]
        print(json.dumps(rows, ensure_ascii=False), file=out)
        return 0
    if not hits:
        print("no entry matches", file=out)
        return 0
    for hit in hits:
        print(f"{hit.score:7.3f}  {hit.entry.id:<22} {hit.entry.title}", file=out)
    if hits[0].score < kb.min_score:
        print(f"(best score below min_score {kb.min_score}: the bot would not answer)", file=out)
    return 0


def _check(settings: KbSettings, out: TextIO, err: TextIO) -> int:
    assert settings.path is not None
    problems = check(settings.path, settings.languages)
    if problems:
        for problem in problems:
            print(problem, file=err)
        print(f"{len(problems)} problem(s) in {settings.path}", file=err)
        return 1
    count = len(KnowledgeBase.load(settings.path, settings.min_score).entries)
    print(f"ok: {count} entries in {settings.path}", file=out)
    return 0


async def _stats(args: argparse.Namespace, config: Config, out: TextIO, err: TextIO) -> int:
    since = None
    if args.since:
        try:
            since = datetime.strptime(args.since, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            print(f"--since must be a date like 2026-01-31, got {args.since!r}", file=err)
            return 2
    min_score = kb_settings(config.kb).min_score
    margin = args.margin if args.margin is not None else min_score / 2
    if margin < 0:
        print(f"--margin must not be negative, got {margin}", file=err)
        return 2
    async with Database(config.desk.database_url) as database:
        await database.upgrade()
        store = Store(database, config.desk.reference_prefix)
        async with store.transaction() as tx:
            stats = await tx.kb_log.stats(
                since, unanswered_limit=max(args.top, 0), min_score=min_score, margin=margin
            )
    if args.json:
        print(json.dumps(_stats_dict(stats), ensure_ascii=False, indent=2), file=out)
    else:
        print(_stats_text(stats, args.since, margin), file=out)
    return 0


def _stats_dict(stats: KbStats) -> dict[str, Any]:
    return {
        "answered": stats.answered,
        "helpful": stats.helpful,
        "not_helpful": stats.not_helpful,
        "no_answer": stats.no_answer,
        "escalated": stats.escalated,
        "low_margin": stats.low_margin,
        "unanswered_questions": [{"question": q, "count": n} for q, n in stats.unanswered],
        "marked_no": [
            {"question": s.question, "entry_id": s.entry_id, "count": s.count}
            for s in stats.marked_no
        ],
        "low_margin_answers": [
            {
                "question": s.question,
                "entry_id": s.entry_id,
                "score": s.score,
                "runner_up": s.runner_up,
            }
            for s in stats.low_margin_answers
        ],
    }


def _stats_text(stats: KbStats, since: str | None, margin: float) -> str:
    lines = [
        f"Knowledge-base answers {'since ' + since if since else '(all time)'}:",
        f"  answered:           {stats.answered}",
        f"  helpful (Yes):      {stats.helpful}",
        f"  not helpful (No):   {stats.not_helpful}",
        f"  no answer:          {stats.no_answer}",
        f"  escalated to team:  {stats.escalated}",
        f"  low-margin answers: {stats.low_margin} (lead under {margin:g} over the runner-up "
        "entry or min_score)",
    ]
    if stats.unanswered:
        lines.append("Questions with no answer (most asked first):")
        lines.extend(f"  {count} x {question}" for question, count in stats.unanswered)
    else:
        lines.append("No unanswered questions.")
    if stats.marked_no:
        lines.append("Answers marked No (entry shown: question), most frequent first:")
        lines.extend(f"  {s.count} x {s.entry_id}: {s.question}" for s in stats.marked_no)
    if stats.low_margin_answers:
        lines.append("Low-margin answers (smallest lead first):")
        for s in stats.low_margin_answers:
            runner_up = "none" if s.runner_up is None else f"{s.runner_up:.3f}"
            lines.append(f"  {s.score or 0:.3f} (runner-up {runner_up}) {s.entry_id}: {s.question}")
    return "\n".join(lines)
