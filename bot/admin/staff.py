"""`admin add-staff`: dashboard logins for office staff."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.admin import AdminCommand, with_database
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.staff import add_staff


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    parser.add_argument(
        "--office", help="region code of the one office this login sees (e.g. 14.01); without it: every office"
    )


async def _add_staff(args: argparse.Namespace, settings: Settings) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (min. 10 characters): ")
        if getpass.getpass("Again: ") != password:
            print("passwords differ; nothing changed", file=sys.stderr)
            return 1

    async def action(db: Database) -> int:
        await add_staff(db, args.username, password, args.office)
        return 0

    if await with_database(settings, action):
        return 1
    print(f"staff account '{args.username}' is ready" + (f" (office {args.office})" if args.office else ""))
    return 0


COMMANDS: dict[str, AdminCommand] = {
    "add-staff": ("create a dashboard login (or set a new password)", _arguments, _add_staff)
}
