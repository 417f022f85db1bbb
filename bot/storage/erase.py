"""Erasing one user's data everywhere (/hapusdata, `admin erase`): one declared list, one transaction.

`USER_COLUMNS` names every column that holds a user's key or pseudonym and what erasure does
there: delete the row, or blank the column where the row belongs to someone else (a broadcast
the user wrote stays for the office, unsigned). tests/test_erase.py walks the table metadata
and fails when a column that can hold a user key (by its name, or marked
`info={"user_key": True}`) is neither listed here nor in `NOT_USER_KEYS` with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Column, MetaData, delete, update

from bot.privacy import pseudonym
from bot.storage import conversations
from bot.storage.db import Database
from bot.storage.schema import metadata

ERASED = "erased"  # what a blanked column that cannot be NULL holds afterwards


@dataclass(frozen=True, slots=True)
class UserColumn:
    table: str
    column: str
    how: Literal["delete", "blank"]  # delete the row, or blank the column (NULL, or ERASED when it cannot be NULL)
    holds: Literal["key", "pseudonym"] = "key"  # the raw user key ("telegram:123") or its keyed pseudonym


# In order: rows that point at others (child reminders at their subscriber) go before those.
USER_COLUMNS: tuple[UserColumn, ...] = (
    UserColumn("conversations", "user_pseudonym", "delete", "pseudonym"),
    UserColumn("query_log", "user_pseudonym", "delete", "pseudonym"),
    UserColumn("handover_events", "user_key", "delete"),
    UserColumn("handovers", "user_key", "delete"),
    UserColumn("child_reminders", "user_key", "delete"),
    UserColumn("subscribers", "user_key", "delete"),
    UserColumn("deliveries", "user_key", "delete"),
    UserColumn("broadcasts", "author", "blank"),
    UserColumn("roles", "user_key", "delete"),
    UserColumn("roles", "granted_by", "blank"),  # the staff member who granted a role to someone else
    UserColumn("whatsapp_statuses", "user_key", "delete"),
    UserColumn("whatsapp_windows", "user_key", "delete"),
    UserColumn("answer_outbox", "chat", "delete"),
)

# Columns whose names look like a user key but hold something else.
NOT_USER_KEYS: dict[tuple[str, str], str] = {
    ("staff_accounts", "username"): "a dashboard login of office staff, not a chat user",
    ("staff_sessions", "username"): "a dashboard login of office staff, not a chat user",
    ("inbox_marks", "updated_by"): "a dashboard login of office staff, not a chat user",
    ("faq_drafts", "created_by"): "a dashboard login of office staff, not a chat user",
    ("deliveries", "claimed_by"): "the worker process that claimed the row",
}

_LOOKS_LIKE_A_USER = re.compile(r"user|pseudonym|^author$|_by$")


def may_hold_a_user_key(column: Column[object]) -> bool:
    return bool(column.info.get("user_key")) or bool(_LOOKS_LIKE_A_USER.search(column.name))


def uncovered_columns(tables: MetaData = metadata) -> list[str]:
    """Columns that may hold a user key but that erasure does not know about ("table.column")."""
    known = {(c.table, c.column) for c in USER_COLUMNS} | set(NOT_USER_KEYS)
    return sorted(
        f"{table.name}.{column.name}"
        for table in tables.tables.values()
        for column in table.columns
        if may_hold_a_user_key(column) and (table.name, column.name) not in known
    )


async def erase_user(db: Database, user_key: str, secret: bytes) -> list[str]:
    """Delete or blank everything about one user in one transaction; returns the tables touched."""
    values = {"key": user_key, "pseudonym": pseudonym(user_key, secret)}
    async with db.engine.begin() as conn:  # all or nothing: a half-erased user is worse than a retry
        for entry in USER_COLUMNS:
            table = metadata.tables[entry.table]
            column = table.c[entry.column]
            match = column == values[entry.holds]
            if entry.how == "delete":
                await conn.execute(delete(table).where(match))
            else:
                await conn.execute(
                    update(table).where(match).values({column.name: None if column.nullable else ERASED})
                )
    conversations.forget(db, values["pseudonym"])
    return list(dict.fromkeys(entry.table for entry in USER_COLUMNS))
