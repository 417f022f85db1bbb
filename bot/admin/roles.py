"""`admin grant-cadre | revoke-cadre | grant-staff | subscribers`: who may send broadcasts, and who listens."""

from __future__ import annotations

import argparse
import sys

from bot.admin import AdminCommand, with_database
from bot.config import Settings
from bot.storage import roles, subscriptions
from bot.storage.db import Database


def _user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("user_key", help="the user's id as the bot shows it with /idsaya, e.g. telegram:12345")


def _cadre_arguments(parser: argparse.ArgumentParser) -> None:
    _user(parser)
    parser.add_argument("area", help="Kemendagri code of the kelurahan (14.71.01.1002) or kecamatan (14.71.01)")


async def _grant_cadre(args: argparse.Namespace, settings: Settings) -> int:
    async def action(db: Database) -> int:
        await roles.grant(db, args.user_key, roles.CADRE, args.area, granted_by="admin")
        print(f"{args.user_key} is now a cadre for {args.area}")
        return 0

    return await with_database(settings, action)


async def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def action(db: Database) -> int:
        if await roles.revoke(db, args.user_key):
            print(f"{args.user_key} has no role any more")
            return 0
        print(f"{args.user_key} had no role", file=sys.stderr)
        return 1

    return await with_database(settings, action)


def _staff_arguments(parser: argparse.ArgumentParser) -> None:
    _user(parser)
    parser.add_argument("--office", help="region code of their one office (e.g. 14.01); without it: every office")


async def _grant_staff(args: argparse.Namespace, settings: Settings) -> int:
    async def action(db: Database) -> int:
        await roles.grant(db, args.user_key, roles.STAFF, args.office, granted_by="admin")
        whom = f"the residents of office {args.office}" if args.office else "everyone"
        print(f"{args.user_key} is now staff (may broadcast to {whom} and register cadres there)")
        return 0

    return await with_database(settings, action)


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    return None


async def _subscribers(args: argparse.Namespace, settings: Settings) -> int:
    async def action(db: Database) -> int:
        print("kelurahan\tactive\tcount")
        for code, active, n in await subscriptions.subscriber_counts(db):
            print(f"{code or '-'}\t{'yes' if active else 'no'}\t{n}")
        for grant in await roles.all_roles(db):
            print(f"role\t{grant.role}\t{grant.area_code or '*'}\t{grant.user_key}")
        return 0

    return await with_database(settings, action)


COMMANDS: dict[str, AdminCommand] = {
    "grant-cadre": ("make a user a cadre for one kelurahan or kecamatan", _cadre_arguments, _grant_cadre),
    "revoke-cadre": ("take a user's cadre or staff role away", _user, _revoke),
    "grant-staff": (
        "make a user staff: broadcasts, registers cadres (of one --office)",
        _staff_arguments,
        _grant_staff,
    ),
    "subscribers": ("subscribers per kelurahan (counts only) and every role", _no_arguments, _subscribers),
}
