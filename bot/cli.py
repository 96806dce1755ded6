"""The `deskbot` command."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import cli_attachments, cli_db, cli_kb, cli_projects, cli_report, cli_tickets
from bot.config import Config, load_config
from bot.config_error import ConfigError
from bot.database_url import database_password
from bot.logs import setup_logging
from handlers.i18n.catalogs import LANGUAGES


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=None,
        help="config file (default: ./config.toml when it exists, otherwise built-in defaults)",
    )
    parser = argparse.ArgumentParser(
        prog="deskbot", description="ClickPesa integration desk: tickets, triage and escalation."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common], help="start every configured channel")
    run.add_argument("--user", default=None, help="console user when no channel is configured")
    chat = sub.add_parser("chat", parents=[common], help="talk to the desk in this terminal")
    chat.add_argument("--user", required=True, help="who you are: console:<user>")
    chat.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="the language to speak to you in, stored for console:<user> as `lugha` would",
    )
    cli_db.add_db_commands(sub, common)
    cli_tickets.add_commands(sub, common)
    cli_attachments.add_commands(sub, common)
    cli_projects.add_commands(sub, common)
    cli_kb.add_kb_commands(sub, common)
    cli_report.add_report_command(sub, common)
    return parser


def _console_user(given: str | None) -> str:
    name = given or os.environ.get("USER") or getpass.getuser() or "merchant"
    return re.sub(r"\s+", "_", name.strip()) or "merchant"


async def _dispatch(args: argparse.Namespace, config: Config) -> int:
    from bot.channels.console import ConsoleService
    from bot.run import configured_services, serve

    if args.command == "run":
        await serve(config, configured_services(config, _console_user(args.user)))
        return 0
    if args.command == "chat":
        await serve(config, [ConsoleService(_console_user(args.user), language=args.lang)])
        return 0
    if args.command == "db":
        return await cli_db.run(args, config)
    if args.command == "tickets":
        return await cli_tickets.run(args, config)
    if args.command == "attachments":
        return await cli_attachments.run(args, config)
    if args.command == "projects":
        return await cli_projects.run(args, config)
    if args.command == "kb":
        return await cli_kb.run(args, config)
    if args.command == "report":
        return await cli_report.run(args, config)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config, os.environ)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    secrets = (
        config.telegram.token,
        config.telegram.webhook_secret,
        config.slack.bot_token,
        config.slack.signing_secret,
        config.slack.app_token,
        database_password(config.desk.database_url),
        *cli_db.secrets(args),
    )
    setup_logging(config.desk.log_level, secrets, config.desk.log_format)
    try:
        return asyncio.run(_dispatch(args, config))
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left, nothing is wrong.
        sys.stderr.close()
        return 0
    except Exception:
        # Through the log handler, so the traceback is redacted like every other line (an HTTP
        # error can quote a URL holding the bot token).
        logging.getLogger("deskbot").critical("stopped by an error", exc_info=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
