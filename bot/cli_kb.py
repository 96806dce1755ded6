"""`deskbot kb ...`: search and check the knowledge base from the command line.

`add_kb_commands(subparsers)` adds the `kb` command to the main `deskbot` parser; each
subcommand stores its handler as `func(args) -> int` (the exit status). The knowledge base is
found through `--kb PATH`, else `[kb] path` in the config file given as `args.config`, else `kb`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.config_error import ConfigError
from handlers.knowledge import DEFAULT_MIN_SCORE, KnowledgeBase, KnowledgeBaseError, check

DEFAULT_KB_PATH = "kb"


@dataclass(frozen=True, slots=True)
class KbSettings:
    path: Path
    min_score: float


def add_kb_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add `kb search`, `kb check` to `subparsers` (from `ArgumentParser.add_subparsers`)."""
    kb = subparsers.add_parser("kb", help="search and check the knowledge base")
    kb.add_argument("--kb", dest="kb_path", help="knowledge-base file or folder (overrides config)")
    commands = kb.add_subparsers(dest="kb_command", required=True)

    search = commands.add_parser("search", help="rank the entries for a question")
    search.add_argument("question", help="the question, quoted")
    search.add_argument("--json", action="store_true", help="print a JSON list, best first")
    search.add_argument("--limit", type=int, default=5, help="how many entries (default 5)")
    search.set_defaults(func=run_search)

    check_cmd = commands.add_parser("check", help="validate the knowledge-base files")
    check_cmd.set_defaults(func=run_check)
    return kb


def kb_settings(args: argparse.Namespace) -> KbSettings:
    """The `[kb]` settings: `path` (default "kb") and `min_score` (default DEFAULT_MIN_SCORE)."""
    section: dict[str, Any] = {}
    config = getattr(args, "config", None)
    if config:
        try:
            with open(config, "rb") as handle:
                section = tomllib.load(handle).get("kb", {})
        except FileNotFoundError:
            raise ConfigError("config", f"file not found: {config}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config", f"{config} is not valid TOML: {exc}") from None
    path = getattr(args, "kb_path", None) or section.get("path", DEFAULT_KB_PATH)
    if not isinstance(path, str) or not path:
        raise ConfigError("kb.path", "must be a non-empty string")
    min_score = section.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score < 0:
        raise ConfigError("kb.min_score", "must be a number >= 0")
    return KbSettings(Path(path), float(min_score))


def run_search(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    try:
        settings = kb_settings(args)
        kb = KnowledgeBase.load(settings.path, settings.min_score)
    except ConfigError as exc:
        print(exc, file=err)
        return 2
    except KnowledgeBaseError as exc:
        print(f"the knowledge base at {args.kb_path or 'the configured path'} is broken:", file=err)
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


def run_check(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    try:
        settings = kb_settings(args)
    except ConfigError as exc:
        print(exc, file=err)
        return 2
    problems = check(settings.path)
    if problems:
        for problem in problems:
            print(problem, file=err)
        print(f"{len(problems)} problem(s) in {settings.path}", file=err)
        return 1
    count = len(KnowledgeBase.load(settings.path, settings.min_score).entries)
    print(f"ok: {count} entries in {settings.path}", file=out)
    return 0
