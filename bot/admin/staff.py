"""`admin add-staff`: dashboard logins for office staff."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.admin import AdminCommand
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.staff import add_staff


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


async def _add_staff(args: argparse.Namespace, settings: Settings) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (min. 10 characters): ")
        if getpass.getpass("Again: ") != password:
            print("passwords differ; nothing changed", file=sys.stderr)
            return 1
    db = Database(settings.database_url)
    try:
        await db.create_schema()
        await add_staff(db, args.username, password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(f"staff account '{args.username}' is ready")
    return 0


COMMANDS: dict[str, AdminCommand] = {
    "add-staff": ("create a dashboard login (or set a new password)", _arguments, _add_staff)
}
