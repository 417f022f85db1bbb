"""The durable delivery queue the worker sends from (broadcasts, reminders, summaries).

One `deliveries` row per recipient and message, with a unique `key` (broadcast, run and
recipient; or child, dose, due date and kind for personal reminders), so nothing is queued twice.

Status of a delivery: pending -> claimed -> sending -> sent | failed | blocked | cancelled
(or back to pending for a retry). Delivery is at least once:

- A worker's lane *claims* a few due rows (pending -> claimed, with a short lease) in one statement
  (on PostgreSQL with FOR UPDATE SKIP LOCKED, so two workers never take the same row; on SQLite
  the single writer makes the UPDATE ... WHERE status='pending' atomic). Nothing has gone out yet.
- Right before the HTTP request for one row the lane commits claimed -> *sending* (`start`); a
  lane sends one row at a time, so a worker has at most one 'sending' row per lane.
- When the platform answers, the lane records the outcome (`finish`), with the platform's message id.

If a worker dies (SIGKILL, power cut, out of memory), `expire_leases`, run by any live worker (or
the restarted one), puts its rows back: 'claimed' rows go back to 'pending' as they were (nothing
of them left), 'sending' rows go back to 'pending' with `uncertain_sends` + 1 and are sent again.
Their request had started, so the recipient may already have it: the platforms have no
idempotency key, and for a health reminder a rare duplicate is a lesser harm than a missed one.
A crash costs at most one possible duplicate per lane that was sending, never a lost message;
`broadcasts.Counts.maybe_twice` counts them for the author and the dashboard.
'UNCERTAIN' is only found on rows of the at-most-once queue before migration 0008 (never resent).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    exists,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import fast
from bot.storage.db import Database, claimable
from bot.storage.models import Base
from bot.storage.subscriptions import Subscriber

PENDING, CLAIMED, SENDING, SENT, FAILED, BLOCKED, UNCERTAIN, CANCELLED = (
    "pending",
    "claimed",
    "sending",
    "sent",
    "failed",
    "blocked",
    "uncertain",
    "cancelled",
)
UNSENT = (PENDING, CLAIMED)  # nothing of these has gone out: an opt-out or a cancellation still stops them
UNFINISHED = (PENDING, CLAIMED, SENDING)


class Delivery(Base):
    """One message to one recipient: the durable queue the workers claim from."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_claim", "status", "channel", "next_attempt_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    run: Mapped[int] = mapped_column(Integer, default=0)
    user_key: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8), default="id")
    text: Mapped[str] = mapped_column(Text)
    # WhatsApp outside the 24-hour window: the approved template and its parameters (JSON list).
    template: Mapped[str | None] = mapped_column(String(64), nullable=True)
    params: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # requests started
    # Requests started whose outcome was lost (the worker died while sending): each may have arrived.
    uncertain_sends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a worker holds: `start` it right before sending, then report how it went with `finish`."""

    id: int
    user_key: str
    channel: str
    lang: str
    text: str
    attempts: int  # the number of this attempt once it is started
    template: str | None = None
    params: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """How one claimed delivery went; `status` is SENT, FAILED, BLOCKED or PENDING (try again at `retry_at`)."""

    id: int
    status: str
    message_id: str | None = None
    error: str = ""
    retry_at: datetime | None = None


def utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def enqueue(
    db: Database,
    key: str,
    user_key: str,
    channel: str,
    lang: str,
    text: str,
    at: datetime,
    template: str | None = None,
    params: list[str] | None = None,
) -> bool:
    """Queue one personal message (a reminder, a summary); False if that key was queued before."""
    now = datetime.now(UTC)
    values = {
        "key": key, "broadcast_id": None, "run": 0, "user_key": user_key, "channel": channel, "lang": lang,
        "text": text, "template": template, "params": None if params is None else json.dumps(params),
        "status": PENDING, "attempts": 0, "next_attempt_at": at.astimezone(UTC), "error": "",
        "created_at": now,
    }  # fmt: skip
    async with db.session() as session:
        insert = db.insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["key"])
        result = await session.execute(insert)
        return bool(getattr(result, "rowcount", 0))


async def claim(db: Database, channel: str, worker: str, limit: int, now: datetime, lease: timedelta) -> list[Claimed]:
    """Take up to `limit` due rows of a channel for this worker (pending -> claimed), oldest first.

    One statement, built and compiled once (`_CLAIM`) and run on the driver: building it per call
    (an ORM alias, the ORM's bulk UPDATE) was 62 % of a PostgreSQL worker's CPU in bench/broadcast.py,
    every lane claiming a slice and every idle lane looking once a second (bench/RESULTS.md, issue 23)."""
    now = now.astimezone(UTC)
    params = {"b_channel": channel, "b_now": now, "b_limit": limit, "b_worker": worker, "b_until": now + lease}
    rows = await fast.rows(db, _CLAIM, params)
    return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)


def _claiming(_db: Database) -> Any:
    table, subscribers = _table(), Subscriber.__table__
    row = table.alias("due_row")  # an alias: a plain subquery would be correlated to the UPDATE's own row
    opted_out = exists().where(and_(subscribers.c.user_key == row.c.user_key, subscribers.c.active.is_(False)))
    due = (
        select(row.c.id)
        .where(
            row.c.status == PENDING,
            row.c.channel == bindparam("b_channel"),
            row.c.next_attempt_at <= bindparam("b_now", type_=DateTime(timezone=True)),
            ~opted_out,
        )
        .order_by(row.c.next_attempt_at, row.c.id)
        .limit(bindparam("b_limit", type_=Integer))
    )
    ids = claimable(due, "claim")
    return (
        update(table)
        .where(table.c.id.in_(select(ids.c.id)), table.c.status == PENDING)
        .values(
            status=CLAIMED,
            claimed_by=bindparam("b_worker"),
            claimed_until=bindparam("b_until", type_=DateTime(timezone=True)),
        )
        .returning(
            table.c.id,
            table.c.user_key,
            table.c.channel,
            table.c.lang,
            table.c.text,
            (table.c.attempts + 1).label("attempts"),
            table.c.template,
            table.c.params,
        )
    )


_CLAIM = fast.Statement(_claiming, ["b_channel", "b_now", "b_limit", "b_worker", "b_until"])


def _table() -> Any:
    return Delivery.__table__


_START = fast.Statement(  # one autocommit UPDATE on the driver (storage/fast.py): it runs before every request
    lambda _db: (
        update(_table())
        .where(
            _table().c.id == bindparam("b_id"),
            _table().c.status == CLAIMED,
            _table().c.claimed_by == bindparam("b_worker"),
        )
        .values(
            status=SENDING,
            claimed_until=bindparam("b_until", type_=DateTime(timezone=True)),
            attempts=_table().c.attempts + 1,
        )
    ),
    ["b_id", "b_worker", "b_until"],
)


async def start(db: Database, worker: str, delivery_id: int, now: datetime, lease: timedelta) -> bool:
    """Right before its request: claimed -> sending. False if the row is no longer this worker's to send
    (its claim ran out and it went back to the queue, or it was cancelled meanwhile)."""
    until = now.astimezone(UTC) + lease
    return bool(await fast.rowcount(db, _START, {"b_id": delivery_id, "b_worker": worker, "b_until": until}))


async def release(db: Database, worker: str, ids: Sequence[int]) -> int:
    """Claimed rows this worker will not send after all (it is stopping): back to the queue at once."""
    if not ids:
        return 0
    async with db.session() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == CLAIMED, Delivery.claimed_by == worker)
            .values(status=PENDING, claimed_by=None, claimed_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


_FINISH = fast.Statement(  # executemany: one UPDATE per row, all or nothing
    lambda _db: (
        update(_table())
        .where(
            _table().c.id == bindparam("b_id"),
            _table().c.claimed_by == bindparam("b_worker"),
            _table().c.status == SENDING,
        )
        .values(
            status=bindparam("b_status"),
            message_id=bindparam("b_message_id"),
            error=bindparam("b_error"),
            next_attempt_at=bindparam("b_next", type_=DateTime(timezone=True)),
            sent_at=bindparam("b_sent_at", type_=DateTime(timezone=True)),
            claimed_until=None,
        )
    ),
    ["b_id", "b_worker", "b_status", "b_message_id", "b_error", "b_next", "b_sent_at"],
)


# PostgreSQL: the lanes' outcomes as ONE statement committed without waiting for the WAL flush (`finish`).
_FINISH_LAZY = f"""
WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true)),
r AS (
    SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
        AS r(id, status, message_id, error, next_at, sent_at)
)
UPDATE {Delivery.__tablename__} d
SET status = r.status, message_id = r.message_id, error = r.error, next_attempt_at = r.next_at,
    sent_at = r.sent_at, claimed_until = NULL
FROM r, lazy
WHERE d.id = r.id AND d.claimed_by = $1 AND d.status = '{SENDING}'
"""


def _finish_arrays(worker: str, results: Sequence[Result], now: datetime) -> list[Any]:
    return [
        worker, [r.id for r in results], [r.status for r in results], [r.message_id for r in results],
        [r.error[:300] for r in results], [(r.retry_at or now).astimezone(UTC) for r in results],
        [now if r.status == SENT else None for r in results],
    ]  # fmt: skip


async def finish(db: Database, worker: str, results: Sequence[Result], now: datetime, *, durable: bool = True) -> None:
    """Record how started rows went, all in one transaction; 'sent' carries the platform's message id.

    A blocked recipient's subscription ends and their other unsent messages are cancelled with it.

    `durable=False` (the worker's lanes): on PostgreSQL the outcomes are ONE statement whose commit does not
    wait for the WAL to reach the disk (synchronous_commit off for that transaction only; the next durable
    commit of any lane, its 'sending' mark, flushes it anyway). It is visible to every later statement as soon
    as it returns, and a SIGKILLed worker loses nothing by it; only the database server crashing within a
    fraction of a second can lose it. The row is then 'sending' again under a worker that no longer holds it,
    and `expire_leases(alive=, holding=)` sends it again after its lease, counted as a possible duplicate: the
    same as a worker dying before it recorded the outcome."""
    if not results:
        return
    now = now.astimezone(UTC)
    if not durable and not any(r.status == BLOCKED for r in results):
        driver = await db.driver()
        if driver is not None and not isinstance(driver, sqlite3.Connection):
            await fast.fetch(driver, _FINISH_LAZY, _finish_arrays(worker, results, now))
            return
    params = [
        {
            "b_id": r.id,
            "b_worker": worker,
            "b_status": r.status,
            "b_message_id": r.message_id,
            "b_error": r.error[:300],
            "b_next": (r.retry_at or now).astimezone(UTC),
            "b_sent_at": now if r.status == SENT else None,
        }
        for r in results
    ]
    blocked = [r.id for r in results if r.status == BLOCKED]
    if not blocked:  # nearly always: on the driver (storage/fast.py)
        await fast.many(db, _FINISH, params)
        return
    async with db.session() as session:
        await session.execute(_FINISH.build(db), params)
        users = select(Delivery.user_key).where(Delivery.id.in_(blocked))
        await session.execute(
            update(Subscriber).where(Subscriber.user_key.in_(users)).values(active=False, blocked=True, updated_at=now)
        )
        await session.execute(
            update(Delivery)
            .where(Delivery.user_key.in_(users), Delivery.status.in_(UNSENT))
            .values(status=CANCELLED, error="recipient blocked the bot")
        )


@dataclass(frozen=True, slots=True)
class Expired:
    returned: int  # claimed, never started: back in the queue as they were
    resent: int  # their request had started: queued again and counted as possible duplicates


async def expire_leases(
    db: Database, now: datetime, alive: str | None = None, holding: Collection[int] | None = None
) -> Expired:
    """Rows of workers that stopped go back to the queue (see the module docstring).

    `alive` is the calling worker: its own requests in flight are not taken from it (it records them
    itself, retrying while the database is away); its own claims that ran out are returned.
    `holding`: the rows its lanes hold now (started, outcome not yet recorded). Given, its own 'sending' rows
    outside it whose lease ran out are orphans (an outcome the database lost, a `start` whose answer never
    came back) and are sent again like a dead worker's.
    """
    now = now.astimezone(UTC)
    expired = and_(Delivery.claimed_until.is_not(None), Delivery.claimed_until < now)
    others: Any = true()
    if alive is not None:
        others = Delivery.claimed_by != alive
        if holding is not None:
            others = or_(others, Delivery.id.not_in(sorted(holding)))
    async with db.session() as session:
        returned = await session.execute(
            update(Delivery)
            .where(Delivery.status == CLAIMED, expired)
            .values(status=PENDING, claimed_by=None, claimed_until=None)
        )
        resent = await session.execute(
            update(Delivery)
            .where(Delivery.status == SENDING, expired, others)
            .values(
                status=PENDING,
                claimed_by=None,
                claimed_until=None,
                next_attempt_at=now,
                uncertain_sends=Delivery.uncertain_sends + 1,
                error="worker stopped while sending: sent again, may arrive twice",
            )
        )
        return Expired(int(getattr(returned, "rowcount", 0) or 0), int(getattr(resent, "rowcount", 0) or 0))


async def cancel_pending_for(db: Database, user_key: str) -> int:
    """An opt-out: every message not yet being sent to this user is cancelled."""
    async with db.session() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.user_key == user_key, Delivery.status.in_(UNSENT))
            .values(status=CANCELLED, error="recipient unsubscribed")
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def delivery_rows(db: Database, broadcast_id: int | None = None) -> list[Delivery]:
    """For tests and admin views."""
    async with db.session() as session:
        query = select(Delivery).order_by(Delivery.id)
        if broadcast_id is not None:
            query = query.where(Delivery.broadcast_id == broadcast_id)
        return list(await session.scalars(query))
