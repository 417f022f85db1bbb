"""`admin erase USER_KEY`: delete one user's data everywhere (the staff side of /hapusdata)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.admin import AdminCommand, with_database
from bot.config import Settings
from bot.storage import erase
from bot.storage.db import Database


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("user_key", help='the user as the bot knows them, e.g. "telegram:12345" or "whatsapp:62812..."')
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")


async def _erase(args: argparse.Namespace, settings: Settings) -> int:
    user_key = args.user_key.strip()
    if ":" not in user_key:
        print('error: give the channel too, e.g. "telegram:12345"', file=sys.stderr)
        return 2
    if not args.yes:
        print(f"Erase every record of {user_key} (conversation, query log, subscriptions)? Type YES: ", end="")
        sys.stdout.flush()
        if sys.stdin.readline().strip() != "YES":
            print("nothing erased", file=sys.stderr)
            return 1
    stores: list[str] = []

    async def action(db: Database) -> int:
        stores.extend(await erase.erase_user(db, user_key, settings.pseudonym_secret()))
        return 0

    if await with_database(settings, action, errors=(RuntimeError, SQLAlchemyError)):
        return 1
    print(f"erased {user_key} from: {', '.join(stores)}")
    return 0


COMMANDS: dict[str, AdminCommand] = {"erase": ("erase one user's data everywhere", _arguments, _erase)}
