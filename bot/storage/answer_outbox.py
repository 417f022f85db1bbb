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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    exists,
    select,
    update,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from bot.storage import conversations, fast
from bot.storage.conversations import StateConflict
from bot.storage.db import Database, claimable
from bot.storage.models import Base, Conversation
from bot.storage.outbox import utc
from bot.storage.turn_writes import StateSave, TurnWrites

log = logging.getLogger(__name__)

PENDING, ANSWERED, SENT, FAILED = "pending", "answered", "sent", "failed"
UNFINISHED = (PENDING, ANSWERED)


class AnswerRow(Base):
    """One accepted update and, once the engine answered, its replies and how far they were sent."""

    __tablename__ = "answer_outbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id", name="uq_answer_outbox_update"),
        Index("ix_answer_outbox_due", "channel", "status", "due_at"),
        Index("ix_answer_outbox_chat", "chat", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    # The user key answers go to ("" when there is none); erased with the user's data (storage/erase.py).
    chat: Mapped[str] = mapped_column(String(128), info={"user_key": True})
    # The update as the channel needs it to answer; blanked once answered: the raw text (which may
    # hold a NIK or phone number the engine redacts) is kept only until the engine has seen it.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    replies: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, set once answered
    sent_parts: Mapped[int] = mapped_column(Integer, default=0)  # wire messages already accepted
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed sends so far
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(300), default="")


@dataclass(frozen=True, slots=True)
class Accepted:
    """One update to record: its platform id, the chat it came from, what to keep of it."""

    update_id: str
    chat: str
    payload: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row this process holds: answer it (if pending) and send what is left."""

    id: int
    chat: str
    payload: str
    status: str
    replies: str | None
    sent_parts: int
    attempts: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    """What became of a held row; written by `Writer` in one transaction with others."""

    id: int
    status: str
    replies: str | None
    sent_parts: int
    attempts: int
    due_at: datetime
    error: str = ""


async def accept(
    db: Database, channel: str, updates: Sequence[Accepted], now: datetime, lease: timedelta
) -> dict[str, int]:
    """Record updates (one statement); {update id: row id} for those never seen before."""
    if not updates:
        return {}
    at = utc(now)
    values = [
        {"channel": channel, "update_id": u.update_id, "chat": u.chat, "payload": u.payload, "status": PENDING,
         "sent_parts": 0, "attempts": 0, "received_at": at, "due_at": at + lease, "error": ""}
        for u in updates
    ]  # fmt: skip
    if len(values) == 1:  # nearly every webhook: one statement on the driver (storage/fast.py)
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
    """Take a channel's due unfinished rows, the oldest of each chat only, and hold them for `lease`."""
    at = utc(now)
    row, earlier = AnswerRow, aliased(AnswerRow)
    blocked_by_earlier = exists().where(
        and_(earlier.chat == row.chat, earlier.id < row.id, earlier.status.in_(UNFINISHED), row.chat != "")
    )
    due = (
        select(row.id)
        .where(row.channel == channel, row.status.in_(UNFINISHED), row.due_at <= at, ~blocked_by_earlier)
        .order_by(row.due_at, row.id)
        .limit(limit)
    )
    ids = claimable(due, "due")
    statement = (
        update(AnswerRow)
        .where(AnswerRow.id.in_(select(ids.c.id)), AnswerRow.status.in_(UNFINISHED), AnswerRow.due_at <= at)
        .values(due_at=at + lease)
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
    async with db.single() as conn:  # one statement (the locking CTE and the update)
        rows = (await conn.execute(statement)).all()
    found = [Row(**r._asdict()) for r in rows]
    return sorted(found, key=lambda r: r.id)


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
    db: Database, progress: Sequence[Progress], saves: Sequence[StateSave | None] | None = None
) -> set[int]:
    """Write several rows' progress in one transaction, each with its turn's state save if it holds one
    (turn_writes.py). A save refused by its version check (another process saved that user since) leaves
    its row unwritten too: the ids of those rows are returned, every other row is committed."""
    if not progress:
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
_RECORD_WITH_SAVES = f"""
WITH s AS (
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
    SELECT * FROM unnest($8::int[], $9::text[], $10::text[], $11::int[], $12::int[], $13::timestamptz[],
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


async def _record_postgres(pool: Any, progress: Sequence[Progress], saves: Sequence[StateSave | None]) -> set[int]:
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


class Writer:
    """Group commit: progress of rows answered at the same time is written in one transaction, each
    with its turn's held state save (turn_writes.py).

    `write` waits until its row is committed (an answer is stored before it is sent) and raises
    StateConflict when its turn's save was refused (the turn is to be done again); `note` does not
    wait (a row marked sent: losing that mark in a crash only risks a resend).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[_Item] = []
        self._task: asyncio.Task[None] | None = None
        self.failing = False  # the last write failed: marks wait in memory for the database
        self._settled = asyncio.Event()  # nothing queued, or the database refuses what is
        self._settled.set()

    async def write(self, progress: Progress, turn: TurnWrites | None = None) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._put(_Item(progress, future, turn))
        await future

    def note(self, progress: Progress) -> None:
        self._put(_Item(progress, None, None))

    def _put(self, item: _Item) -> None:
        self._queue.append(item)
        self._settled.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="answer-outbox-writer")

    def _next_batch(self) -> list[_Item]:
        """What is queued, but one save per user in a transaction (a second waits for the next one)."""
        batch: list[_Item] = []
        keys: set[str] = set()
        later: list[_Item] = []
        for item in self._queue:
            key = item.save.key if item.save is not None else None
            if key is not None and key in keys:
                later.append(item)
                continue
            if key is not None:
                keys.add(key)
            batch.append(item)
        self._queue = later
        return batch

    async def _run(self) -> None:
        self.failing = False
        failures = 0
        while self._queue:
            # A first pass lets the turns finishing in this loop round add theirs; after a failure, wait.
            await asyncio.sleep(min(0.1 * 2**failures, 5.0) if failures else 0)
            batch = self._next_batch()
            try:
                refused = await record(self.db, [i.progress for i in batch], [i.save for i in batch])
            except Exception as exc:
                failures += 1
                self.failing = True
                self._settled.set()
                for item in batch:
                    if item.save is not None:
                        conversations.refused(self.db, item.save)
                    if item.future is not None and not item.future.done():
                        item.future.set_exception(exc)
                # 'sent' marks are kept until the database takes them: a lost one means a resend.
                self._queue[:0] = [i for i in batch if i.future is None]
                if failures == 1:
                    log.warning("answer outbox: database unavailable, %d marks waiting: %s", len(self._queue), exc)
                continue
            failures = 0
            self.failing = False
            for item in batch:
                item.settle(self.db, item.progress.id in refused)
        self._settled.set()

    async def idle(self) -> None:
        """Until everything queued so far is written, or the database refuses it (tests)."""
        await self._settled.wait()

    async def close(self, grace: float = 10.0) -> None:
        """Write what is queued (shutdown), for at most `grace` seconds; then the marks are lost."""
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            if self._queue:
                log.error("answer outbox: %d sent answers not recorded (they may be sent again)", len(self._queue))
            self._task.cancel()


@dataclass(slots=True)
class _Item:
    progress: Progress
    future: asyncio.Future[None] | None  # None: a mark nobody waits for
    turn: TurnWrites | None  # the turn's held writes, committed with this row

    @property
    def save(self) -> StateSave | None:
        return self.turn.save if self.turn is not None else None

    def settle(self, db: Database, refused: bool) -> None:
        """The transaction is committed; this row's turn was refused (a conflict) or is in the database."""
        save = self.save
        if refused and save is not None:
            conversations.refused(db, save)
            if self.future is not None and not self.future.done():
                self.future.set_exception(StateConflict("conversation state changed before the answer was stored"))
            return
        if save is not None:
            conversations.saved(db, save)
        if self.turn is not None:
            self.turn.committed()
        if self.future is not None and not self.future.done():
            self.future.set_result(None)
