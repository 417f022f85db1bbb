"""A held answer row's progress, written in one transaction with its turn's state save (turn_writes.py).

On PostgreSQL a group's saves and progress are ONE statement (one round trip), on SQLite one inline
transaction on the loop's thread; a save refused by its version check leaves its row unwritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import DateTime, bindparam, update

from bot.storage import conversations, fast
from bot.storage.answer_rows import AnswerRow, Progress
from bot.storage.db import Database
from bot.storage.models import Conversation
from bot.storage.outbox import utc
from bot.storage.turn_writes import StateSave

_RECORD = fast.Statement(
    lambda _db: (
        update(AnswerRow.__table__)  # type: ignore[arg-type]
        .where(AnswerRow.__table__.c.id == bindparam("b_id"))
        .values(
            payload="",  # every progress comes after the engine's turn: the raw update is not needed
            status=bindparam("b_status"),
            replies=bindparam("b_replies"),
            sent_parts=bindparam("b_sent_parts"),
            attempts=bindparam("b_attempts"),
            due_at=bindparam("b_due_at", type_=DateTime(timezone=True)),
            error=bindparam("b_error"),
        )
    ),
    ["b_id", "b_status", "b_replies", "b_sent_parts", "b_attempts", "b_due_at", "b_error"],
)


async def record(
    db: Database, progress: Sequence[Progress], saves: Sequence[StateSave | None] | None = None, *, durable: bool = True
) -> set[int]:
    """Write several rows' progress in one transaction, each with its turn's state save if it holds one
    (turn_writes.py). A save refused by its version check (another process saved that user since) leaves
    its row unwritten too: the ids of those rows are returned, every other row is committed.

    `durable=False`: nobody waits on these rows (answer_writer.py's 'sent' marks), so on PostgreSQL the commit
    does not wait for the WAL to reach the disk (synchronous_commit off for this transaction only). A mark lost
    that way (the database server crashing within a fraction of a second) is the loss the design already takes
    for a process that dies before writing its marks: the row stays unfinished and `claim_due` sends it again."""
    if not progress:
        return set()
    if not durable and (saves is None or not any(saves)):
        driver = await db.driver()
        if driver is not None and not isinstance(driver, sqlite3.Connection):
            await _marks_postgres(driver, progress)
            return set()
    if saves is None or not any(saves):
        await fast.many(db, _RECORD, [_progress_params(p) for p in progress])  # one executemany on the driver
        return set()
    driver = await db.driver()
    if driver is not None and not isinstance(driver, sqlite3.Connection):
        return await _record_postgres(driver, progress, saves)
    if isinstance(driver, sqlite3.Connection):
        return await fast.sqlite_transaction(driver, lambda conn: _record_sqlite(db, conn, progress, saves))
    refused: set[int] = set()
    async with db.hot.begin() as conn:  # no driver of our own (an in-memory SQLite database): SQLAlchemy
        for p, save in zip(progress, saves, strict=True):
            if save is not None:
                statement, values = conversations.save_statement(save)
                if (await conn.execute(statement.build(db), values)).rowcount != 1:
                    refused.add(p.id)
        written = [_progress_params(p) for p in progress if p.id not in refused]
        if written:
            await conn.execute(_RECORD.build(db), written)
    return refused


def _progress_params(p: Progress) -> dict[str, Any]:
    return {"b_id": p.id, "b_status": p.status, "b_replies": p.replies, "b_sent_parts": p.sent_parts,
            "b_attempts": p.attempts, "b_due_at": utc(p.due_at), "b_error": p.error[:300]}  # fmt: skip


def _record_sqlite(
    db: Database, conn: sqlite3.Connection, progress: Sequence[Progress], saves: Sequence[StateSave | None]
) -> set[int]:
    """On the loop's thread inside BEGIN IMMEDIATE .. COMMIT: each save checked, then the rows whose saves held."""
    refused: set[int] = set()
    for p, save in zip(progress, saves, strict=True):
        if save is not None:
            statement, values = conversations.save_statement(save)
            compiled = statement.compiled(db)
            if conn.execute(compiled.sql, compiled.args(values)).rowcount != 1:
                refused.add(p.id)
    record_ = _RECORD.compiled(db)
    conn.executemany(record_.sql, [record_.args(_progress_params(p)) for p in progress if p.id not in refused])
    return refused


# PostgreSQL: the group's state saves and progress in ONE statement (one round trip, atomic), the rows as
# arrays. A progress row is written only when its turn's save (key) was: a refused save writes nothing.
# Committed without waiting for the WAL to reach the disk (`lazy`, this transaction only; see `_record_postgres`).
_RECORD_WITH_SAVES = f"""
WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true)),
s AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::timestamptz[])
        AS s(key, channel, state, lang, expected, version, at)
), updated AS (
    UPDATE {Conversation.__tablename__} c
    SET state = s.state, lang = s.lang, channel = s.channel, version = s.version, updated_at = s.at
    FROM s WHERE s.expected <> 0 AND c.user_pseudonym = s.key AND c.version = s.expected
    RETURNING c.user_pseudonym AS key
), inserted AS (
    INSERT INTO {Conversation.__tablename__} (user_pseudonym, channel, state, lang, version, updated_at)
    SELECT s.key, s.channel, s.state, s.lang, s.version, s.at FROM s WHERE s.expected = 0
    ON CONFLICT (user_pseudonym) DO NOTHING
    RETURNING user_pseudonym AS key
), p AS (
    SELECT p.* FROM lazy, unnest($8::int[], $9::text[], $10::text[], $11::int[], $12::int[], $13::timestamptz[],
                                 $14::text[], $15::text[])
        AS p(id, status, replies, sent_parts, attempts, due_at, error, key)
)
UPDATE {AnswerRow.__tablename__} a
SET payload = '', status = p.status, replies = p.replies, sent_parts = p.sent_parts, attempts = p.attempts,
    due_at = p.due_at, error = p.error
FROM p
WHERE a.id = p.id
  AND (p.key IS NULL OR p.key IN (SELECT key FROM updated UNION ALL SELECT key FROM inserted))
RETURNING a.id
"""


# PostgreSQL: marks nobody waits for, ONE statement committed without waiting for the WAL flush. The last
# progress of a row wins, as in the executemany it replaces (an UPDATE .. FROM takes one match per row).
_MARKS = f"""
WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true)),
p AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::text[])
        AS p(id, status, replies, sent_parts, attempts, due_at, error)
)
UPDATE {AnswerRow.__tablename__} a
SET payload = '', status = p.status, replies = p.replies, sent_parts = p.sent_parts, attempts = p.attempts,
    due_at = p.due_at, error = p.error
FROM p, lazy
WHERE a.id = p.id
"""


async def _marks_postgres(pool: Any, progress: Sequence[Progress]) -> None:
    last = list({p.id: p for p in progress}.values())
    args = [
        [p.id for p in last], [p.status for p in last], [p.replies for p in last], [p.sent_parts for p in last],
        [p.attempts for p in last], [utc(p.due_at) for p in last], [p.error[:300] for p in last],
    ]  # fmt: skip
    await fast.fetch(pool, _MARKS, args)


async def _record_postgres(pool: Any, progress: Sequence[Progress], saves: Sequence[StateSave | None]) -> set[int]:
    """The stored answers and their turns' state saves, committed without waiting for the disk: the webhook's
    200 waited for the durable accept already, and the answer is sent only once this statement has said which
    saves held (it is visible to every process from then on, and a killed bot loses nothing by it). The two
    fdatasyncs on an update's path were its latency's tail on a shared machine (bench/RESULTS.md, issue 23
    round 8); one is left. Only the PostgreSQL server crashing within a fraction of a second (or the next
    durable commit of any update, in practice milliseconds) can lose it, and then the database comes back
    without the turn: the row is 'pending' as accepted, and the turn is done again after its lease and its
    answer sent again: the possible duplicate of a process killed between a send and its mark."""
    held = [s for s in saves if s is not None]
    args = [
        [s.key for s in held], [s.channel for s in held], [s.state for s in held], [s.lang for s in held],
        [s.expected for s in held], [s.version for s in held], [utc(s.at) for s in held],
        [p.id for p in progress], [p.status for p in progress], [p.replies for p in progress],
        [p.sent_parts for p in progress], [p.attempts for p in progress], [utc(p.due_at) for p in progress],
        [p.error[:300] for p in progress], [s.key if s is not None else None for s in saves],
    ]  # fmt: skip
    written = {row[0] for row in await fast.fetch(pool, _RECORD_WITH_SAVES, args)}
    return {p.id for p, s in zip(progress, saves, strict=True) if s is not None and p.id not in written}
