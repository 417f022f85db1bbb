"""`python -m bot admin ...`: staff tools. Each concept registers its own subcommands here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.storage.db import Database

# name -> (help, add_arguments(parser), run(args, settings) -> exit code)
AdminCommand = tuple[
    str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace, Settings], Awaitable[int]]
]


async def with_database(
    settings: Settings,
    action: Callable[[Database], Awaitable[int]],
    errors: tuple[type[Exception], ...] = (ValueError,),
) -> int:
    """Run one admin action on a migrated database; an expected error is printed, exit code 1."""
    from bot.runtime import database

    try:
        async with database(settings) as db:
            return await action(db)
    except errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def commands() -> dict[str, AdminCommand]:
    """Every admin subcommand; a module adds its own entries in its COMMANDS dict."""
    found: dict[str, AdminCommand] = {}
    for module in _modules():
        found.update(module)
    return found


def _modules() -> list[dict[str, AdminCommand]]:
    # Each admin module exposes COMMANDS; add new modules to this list.
    from bot.admin import erase, roles, staff

    return [staff.COMMANDS, roles.COMMANDS, erase.COMMANDS]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="roles, subscribers, erasing a user's data")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    for name, (help_text, add_arguments, _run) in commands().items():
        add_arguments(admin_sub.add_parser(name, help=help_text))


async def run(args: argparse.Namespace, settings: Settings) -> int:
    _help, _add, runner = commands()[args.admin_command]
    return await runner(args, settings)
