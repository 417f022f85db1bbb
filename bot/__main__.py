"""Command line: `python -m bot <command>` (also the console script `tanyasehat`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.logs import setup_logging

if TYPE_CHECKING:
    from bot.broadcast.worker import WorkerConfig


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tanyasehat", description="TanyaSehat, the health office's chatbot")
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="chat with the bot in the terminal (no token needed)")
    chat.add_argument("--jsonl", action="store_true", help="scripted chat: lines in, JSON lines out")
    chat.add_argument("--today", type=_date, help="fix today's date (YYYY-MM-DD)")
    chat.add_argument("--user", default="local", help="who is chatting (default: local)")

    content = sub.add_parser("content", help="content store tools")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate a content directory")
    check.add_argument("directory", nargs="?", help="default: CONTENT_DIR (or every pack of CONTENT_DIRS)")

    serve = sub.add_parser("serve", help="web server: webhooks, health check, and the worker")
    serve.add_argument("--no-worker", action="store_true", help="do not run reminders/broadcasts in this process")
    sub.add_parser("worker", help="reminders and broadcasts only")
    sub.add_parser("poll", help="Telegram long polling (development)")

    from bot import admin, reports
    from bot.office import cli as office_cli

    admin.add_parser(sub)
    reports.add_parser(sub)
    office_cli.add_parser(sub)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the schema")
    return parser


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels import console
    from bot.runtime import Runtime

    async with Runtime.start(settings) as runtime:  # staff can edit content while chatting
        if args.jsonl:
            from bot.terminate import lines_until_sigterm

            lines = lines_until_sigterm(sys.stdin)  # SIGTERM stops after the answer in hand; the log is flushed
            return await console.run_jsonl(runtime.handle, lines, sys.stdout, args.user, args.today)  # type: ignore[arg-type]
        return await console.run_interactive(runtime.handle, args.user, args.today)


def _content_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine.requirements import CHECKS as CODE_NEEDS
    from bot.knowledge.check import check_directory

    directories = [Path(args.directory)] if args.directory else list(settings.office_dirs)  # every office's
    worst = 0
    for directory in directories:
        if len(directories) > 1:
            print(f"== {directory}")
        worst = max(worst, check_directory(directory, sys.stdout, CODE_NEEDS))
    return worst


async def _db_upgrade(settings: Settings) -> int:
    from bot.runtime import database

    async with database(settings):
        pass
    print("database schema is up to date")
    return 0


async def run_worker(
    settings: Settings,
    stop: asyncio.Event | None = None,
    watch_interval: float | None = None,
    config: WorkerConfig | None = None,
) -> int:
    """`worker`: reminders and broadcasts from the live content until SIGTERM/SIGINT (or `stop`)."""
    from bot.runtime import WATCH_INTERVAL, Runtime, stop_on_signals

    interval = watch_interval or WATCH_INTERVAL
    async with Runtime.start(settings, senders=True, watch_interval=interval, answers=False) as runtime:
        await runtime.worker(config).run(stop or stop_on_signals())
    return 0


async def _poll(settings: Settings) -> int:
    """`poll`: Telegram long polling until SIGINT/SIGTERM; content edits apply as in serve."""
    from bot.channels.telegram import TelegramChannel, run_polling
    from bot.runtime import Runtime, stop_on_signals

    if not settings.telegram_token:
        logging.getLogger(__name__).error("set TELEGRAM_BOT_TOKEN to poll Telegram")
        return 2
    async with Runtime.start(settings) as runtime:
        channel = TelegramChannel(
            runtime.handle, runtime.db, runtime.recipients, runtime.telegram_bot(),
            pseudonym_secret=settings.pseudonym_secret(),  # the accept reads the chat's row, as the webhook's does
        )  # fmt: skip
        await run_polling(channel, stop_on_signals())
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    setup_logging(settings.log_format, quiet=args.command == "chat")
    try:
        if args.command == "chat":
            return asyncio.run(_chat(args, settings))
        if args.command == "content":
            return _content_check(args, settings)
        if args.command == "serve":
            from bot.web.server import serve

            return asyncio.run(serve(settings, with_worker=not args.no_worker))
        if args.command == "worker":
            return asyncio.run(run_worker(settings))
        if args.command == "poll":
            return asyncio.run(_poll(settings))
        if args.command == "admin":
            from bot import admin

            return asyncio.run(admin.run(args, settings))
        if args.command == "report":
            from bot import reports

            return asyncio.run(reports.run(args, settings))
        if args.command == "office":
            from bot.office import cli as office_cli

            return office_cli.run(args)
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
    except KeyboardInterrupt:
        return 130
    logging.getLogger(__name__).error("unknown command %s", args.command)
    return 2


if __name__ == "__main__":
    sys.exit(main())
