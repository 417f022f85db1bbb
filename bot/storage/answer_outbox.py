"""The answering path's durable record: each accepted update, then its answer until every part is sent.

One `answer_outbox` row per update a platform delivered (Telegram update id, WhatsApp message id):
- `accept` inserts it before the webhook answers 2xx, in ONE statement that is also the dedupe
  (INSERT .. ON CONFLICT DO NOTHING RETURNING): a redelivered id returns nothing and is not answered
  again. If the insert fails the platform gets a non-2xx and delivers the update again.
- `pending`: accepted, not answered yet. `answered`: the engine's replies are stored (JSON) and
  `sent_parts` of their wire messages went out. `sent` / `failed`: done (given up after MAX_AGE or
  a permanent refusal).
- `due_at` says when any process may take the row up: the answering process holds it for a lease
  while it answers at once; after a failed send it is the next retry time. `claim_due` takes due
  rows, only the oldest unfinished row of each chat, so a chat's answers leave in order.

This is not the broadcast delivery queue (`deliveries`): that one holds rendered text for
opted-in recipients, claimed in rate-limited lanes by the worker; an answer is a reply with
buttons to whoever asked, sent at once by the process that answered, and this row doubles as
the inbound record and its dedupe key.

The modules: the table and its shapes (answer_rows.py), a held row's progress with its turn's state
save (answer_progress.py), the group commit (answer_writer.py); this one is the record's lifecycle and
the face the channels import.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, and_, bindparam, delete, exists, literal, select, update
from sqlalchemy.orm import aliased

from bot.storage import conversations, fast
from bot.storage.answer_accept import GroupAccept
from bot.storage.answer_progress import record
from bot.storage.answer_rows import (
    ANSWERED,
    FAILED,
    PENDING,
    SENT,
    UNFINISHED,
    Accepted,
    AnswerRow,
    Progress,
    Row,
)
from bot.storage.answer_writer import Writer
from bot.storage.db import Database, claimable
from bot.storage.outbox import utc

__all__ = [
    "ANSWERED",
    "FAILED",
    "PENDING",
    "SENT",
    "UNFINISHED",
    "Accepted",
    "AnswerRow",
    "GroupAccept",
    "Progress",
    "Row",
    "Writer",
    "accept",
    "claim_due",
    "enqueue",
    "prune",
    "record",
    "release",
    "rows",
    "states",
]


async def accept(
    db: Database,
    channel: str,
    updates: Sequence[Accepted],
    now: datetime,
    lease: timedelta,
    key: str | None = None,
) -> dict[str, int]:
    """Record updates (one statement); {update id: row id} for those never seen before. (The answering path
    accepts through answer_accept.GroupAccept, which groups PostgreSQL's single-update accepts.)

    `key` (one update): its chat's conversation row is read in the same driver call on SQLite and kept as
    `load_state` keeps what it reads, so the turn starts without a call of its own."""
    if not updates:
        return {}
    at = utc(now)
    values = [
        {"channel": channel, "update_id": u.update_id, "chat": u.chat, "payload": u.payload, "status": PENDING,
         "sent_parts": 0, "attempts": 0, "received_at": at, "due_at": at + lease, "error": ""}
        for u in updates
    ]  # fmt: skip
    if len(values) == 1:  # nearly every webhook: one statement on the driver (storage/fast.py)
        driver = await db.driver() if key is not None else None
        if isinstance(driver, sqlite3.Connection) and key is not None:
            rows = await _accept_reading(db, driver, values[0], key)
        else:
            rows = await fast.rows(db, _ACCEPT_ONE, values[0])
    else:
        async with db.single() as conn:  # one statement: the record and the dedupe at once
            rows = list((await conn.execute(_accepting(db), values)).all())
    return {update_id: row_id for row_id, update_id in rows}


def _accepting(db: Database) -> Any:
    """The accepting INSERT .. ON CONFLICT DO NOTHING RETURNING (the rows are its parameters, so SQLAlchemy
    compiles it once; with the rows inlined as a multi-row VALUES it had no cache key)."""
    return (
        db.insert(AnswerRow)
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(AnswerRow.id, AnswerRow.update_id)
    )


_ACCEPT_ONE = fast.Statement(
    _accepting,
    ["channel", "update_id", "chat", "payload", "status", "sent_parts", "attempts", "received_at", "due_at", "error"],
)


async def _accept_reading(
    db: Database, conn: sqlite3.Connection, values: dict[str, Any], key: str
) -> list[tuple[Any, ...]]:
    """SQLite: the accepting INSERT and, for a new row, its chat's conversation row, in one call on the loop's
    thread (each its own autocommit statement, as before). A failed read only leaves the turn to read the row
    itself: it is never tried again together with the INSERT (a second INSERT would find the row and call the
    update a redelivery)."""
    accept, load = _ACCEPT_ONE.compiled(db), conversations.LOAD.compiled(db)
    args, load_args = accept.args(values), load.args({"key": key})
    read: list[Any] = []

    def both() -> list[tuple[Any, ...]]:
        rows = conn.execute(accept.sql, args).fetchall()
        if rows:
            with contextlib.suppress(sqlite3.Error):
                read.append(conn.execute(load.sql, load_args).fetchone())
        return rows

    rows = await fast.on_sqlite(conn, both, accept.sql, args)
    if read:
        state, version = read[0] if read[0] is not None else (None, None)
        conversations.read_elsewhere(db, key, state, version)
    return rows


async def enqueue(
    db: Database, channel: str, key: str, chat: str, replies: str, now: datetime, due: datetime
) -> int | None:
    """Replies that answer no update (an officer's words from the dashboard), stored answered under
    `key` as their update id, sent and retried like any answer; None when `key` was stored before."""
    at = utc(now)
    statement = (
        db.insert(AnswerRow)
        .values(channel=channel, update_id=key, chat=chat, payload="", status=ANSWERED, replies=replies,
                sent_parts=0, attempts=0, received_at=at, due_at=utc(due), error="")
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(AnswerRow.id)
    )  # fmt: skip
    async with db.engine.begin() as conn:
        return (await conn.execute(statement)).scalar()


async def states(db: Database, channel: str, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
    """{update id: (status, error)} of these rows (how an officer's words went)."""
    if not keys:
        return {}
    async with db.session() as session:
        found = await session.execute(
            select(AnswerRow.update_id, AnswerRow.status, AnswerRow.error).where(
                AnswerRow.channel == channel, AnswerRow.update_id.in_(keys)
            )
        )
        return {key: (status, error) for key, status, error in found.all()}


async def claim_due(db: Database, channel: str, now: datetime, lease: timedelta, limit: int) -> list[Row]:
    """Take a channel's due unfinished rows, the oldest of each chat only, and hold them for `lease`.

    Every idle process asks once a second: the statement is built and compiled once (`_CLAIM_DUE`) and
    run on the driver (storage/fast.py), as the broadcast lanes' `outbox.claim`."""
    at = utc(now)
    params = {"b_channel": channel, "b_now": at, "b_limit": limit, "b_until": at + lease}
    found = [_row(*values) for values in await fast.rows(db, _CLAIM_DUE, params)]
    return sorted(found, key=lambda r: r.id)


def _claiming_due(_db: Database) -> Any:
    row, earlier = AnswerRow, aliased(AnswerRow)
    unfinished = [literal(s) for s in UNFINISHED]  # one bind each, compiled once (a plain IN expands per call)
    now = bindparam("b_now", type_=DateTime(timezone=True))
    blocked_by_earlier = exists().where(
        and_(earlier.chat == row.chat, earlier.id < row.id, earlier.status.in_(unfinished), row.chat != "")
    )
    due = (
        select(row.id)
        .where(
            row.channel == bindparam("b_channel"), row.status.in_(unfinished), row.due_at <= now, ~blocked_by_earlier
        )
        .order_by(row.due_at, row.id)
        .limit(bindparam("b_limit", type_=Integer))
    )
    ids = claimable(due, "due")
    return (
        update(AnswerRow)
        .where(AnswerRow.id.in_(select(ids.c.id)), AnswerRow.status.in_(unfinished), AnswerRow.due_at <= now)
        .values(due_at=bindparam("b_until", type_=DateTime(timezone=True)))
        .returning(
            AnswerRow.id,
            AnswerRow.chat,
            AnswerRow.payload,
            AnswerRow.status,
            AnswerRow.replies,
            AnswerRow.sent_parts,
            AnswerRow.attempts,
            AnswerRow.received_at,
        )
    )


_CLAIM_DUE = fast.Statement(_claiming_due, ["b_channel", "b_now", "b_limit", "b_until"])


def _row(id_: int, chat: str, payload: str, status: str, replies: str | None, sent: int, tries: int, at: Any) -> Row:
    """A claimed row as the driver gave it: SQLite's sqlite3 gives `received_at` as the stored text (fast.py
    processes no results)."""
    received = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    return Row(id_, chat, payload, status, replies, sent, tries, received)


async def release(db: Database, ids: Sequence[int], now: datetime) -> None:
    """A stopping process hands rows it held back: any process may take them up at once."""
    async with db.session() as session:
        await session.execute(
            update(AnswerRow).where(AnswerRow.id.in_(ids), AnswerRow.status.in_(UNFINISHED)).values(due_at=utc(now))
        )


async def rows(db: Database, channel: str | None = None) -> list[AnswerRow]:
    """Every row, oldest first (tests, admin)."""
    async with db.session() as session:
        query = select(AnswerRow).order_by(AnswerRow.id)
        if channel is not None:
            query = query.where(AnswerRow.channel == channel)
        return list(await session.scalars(query))


async def prune(db: Database, now: datetime, keep: timedelta) -> int:
    """Finished rows older than `keep` go (platforms stop redelivering long before)."""
    async with db.session() as session:
        result = await session.execute(
            delete(AnswerRow).where(AnswerRow.status.in_((SENT, FAILED)), AnswerRow.received_at < utc(now) - keep)
        )
    return int(getattr(result, "rowcount", 0) or 0)
