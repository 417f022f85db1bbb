"""Command line: `python -m bot <command>` (also the console script `tanyasehat`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.logs import setup_logging


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
    check.add_argument("directory", nargs="?", help="default: CONTENT_DIR")

    serve = sub.add_parser("serve", help="web server: webhooks, health check, and the worker")
    serve.add_argument("--no-worker", action="store_true", help="do not run reminders/broadcasts in this process")
    sub.add_parser("worker", help="reminders and broadcasts only")
    sub.add_parser("poll", help="Telegram long polling (development)")

    from bot import admin, reports

    admin.add_parser(sub)
    reports.add_parser(sub)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the schema")
    return parser


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels import console
    from bot.service import BotService

    service = await BotService.start(settings)
    watcher = asyncio.create_task(service.holder.watch())  # staff can edit content while chatting
    try:
        if args.jsonl:
            from bot.terminate import lines_until_sigterm

            lines = lines_until_sigterm(sys.stdin)  # SIGTERM stops after the answer in hand; the log is flushed
            return await console.run_jsonl(service, lines, sys.stdout, args.user, args.today)  # type: ignore[arg-type]
        return await console.run_interactive(service, args.user, args.today)
    finally:
        watcher.cancel()
        await service.close()


def _content_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine.requirements import CHECKS as CODE_NEEDS
    from bot.knowledge.check import check_directory

    directory = Path(args.directory) if args.directory else settings.content_dir
    return check_directory(directory, sys.stdout, CODE_NEEDS)


async def _db_upgrade(settings: Settings) -> int:
    from bot.storage.db import Database

    db = Database(settings.database_url)
    try:
        await db.create_schema()
    finally:
        await db.dispose()
    print("database schema is up to date")
    return 0


async def _worker(settings: Settings) -> int:
    import signal

    from bot.broadcast.worker import run_worker
    from bot.service import BotService

    service = await BotService.start(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await run_worker(service, stop)
    finally:
        await service.close()
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
            return asyncio.run(_worker(settings))
        if args.command == "poll":
            from bot.channels.telegram import poll

            return asyncio.run(poll(settings))
        if args.command == "admin":
            from bot import admin

            return asyncio.run(admin.run(args, settings))
        if args.command == "report":
            from bot import reports

            return asyncio.run(reports.run(args, settings))
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
    except KeyboardInterrupt:
        return 130
    logging.getLogger(__name__).error("unknown command %s", args.command)
    return 2


if __name__ == "__main__":
    sys.exit(main())
