"""`deskbot db upgrade` and `deskbot db copy --from URL --to URL [--force]`."""

from __future__ import annotations

import argparse
import re
import sys

from bot.config import Config
from bot.database_url import database_password, masked
from storage import Database
from storage.copy import CopyRefused, copy_desk

_URL = re.compile(r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://")


def add_db_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="apply schema migrations")
    copy = db_sub.add_parser(
        "copy",
        parents=[common],
        help="copy a whole desk to another database (SQLite <-> PostgreSQL)",
        description="Copy every table of a desk from one database to another, e.g. from the "
        "SQLite file to PostgreSQL before running several processes. Both are migrated first; "
        "id sequences continue after the copied rows; row counts are checked.",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="URL", help="copy from")
    copy.add_argument("--to", dest="target", required=True, metavar="URL", help="copy into")
    copy.add_argument("--force", action="store_true", help="replace what a non-empty target holds")


def secrets(args: argparse.Namespace) -> tuple[str, ...]:
    """Passwords in the command's own URLs, for the log filter."""
    if getattr(args, "db_command", None) != "copy":
        return ()
    return (database_password(args.source), database_password(args.target))


async def run(args: argparse.Namespace, config: Config) -> int:
    if args.db_command == "upgrade":
        async with Database(config.desk.database_url) as database:
            await database.upgrade()
        print("Database schema is up to date.")
        return 0
    return await _copy(args.source, args.target, args.force)


async def _copy(source_url: str, target_url: str, force: bool) -> int:
    for option, url in (("--from", source_url), ("--to", target_url)):
        if not _URL.match(url):
            print(
                f"{option}: must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                f"got {masked(url)!r}",
                file=sys.stderr,
            )
            return 2
    if source_url == target_url:
        print("--from and --to name the same database: nothing to copy", file=sys.stderr)
        return 2
    # URLs are only ever shown masked: a password given on the command line stays out of the
    # output, like the config's database password stays out of the logs.
    print(f"Copying {masked(source_url)} -> {masked(target_url)}")

    def progress(table: str, rows: int) -> None:
        print(f"  {table}: {rows:,} rows")

    async with Database(source_url) as source, Database(target_url) as target:
        try:
            result = await copy_desk(source, target, force=force, progress=progress)
        except CopyRefused as refused:
            print(f"Nothing copied: {refused}.", file=sys.stderr)
            return 1
    print(f"Copied {len(result.counts)} tables, {result.rows:,} rows; row counts match.")
    return 0
