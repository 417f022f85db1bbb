"""The durable delivery queue the worker sends from (broadcasts, reminders, summaries).

One `deliveries` row per recipient and message, with a unique `key` (broadcast, run and
recipient; or child, dose, due date and kind for personal reminders), so nothing is queued twice.

Status of a delivery: pending -> sending -> sent | failed | blocked | uncertain | cancelled.
A worker claims rows by moving them pending -> sending in one statement (on PostgreSQL with
FOR UPDATE SKIP LOCKED, so two workers never take the same row; on SQLite the single writer
makes the UPDATE ... WHERE status='pending' atomic), sends, and then records the platform's
message id in the same UPDATE that marks the row sent.

Delivery is at most once. If a worker dies after claiming a row and before marking it, the row
stays 'sending' until its lease runs out; then it becomes 'uncertain' and is never sent again.
The platform (Telegram, WhatsApp) has no idempotency key, so we cannot know whether the message
went out: resending would risk a duplicate to a parent, not resending risks one lost message.
For reminders a duplicate is worse (it teaches people to ignore us), and only the rows in flight
at the moment of the crash (one slice per lane, a handful) are affected, and they are counted.
Rows that were claimed together are sent together, so slices are kept small (50 ms of sending).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    update,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from bot.storage.db import Database, claimable
from bot.storage.models import Base
from bot.storage.subscriptions import Subscriber

PENDING, SENDING, SENT, FAILED, BLOCKED, UNCERTAIN, CANCELLED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "blocked",
    "uncertain",
    "cancelled",
)


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
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a worker holds: send it, then report how it went with `finish`."""

    id: int
    user_key: str
    channel: str
    lang: str
    text: str
    attempts: int
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
    """Take up to `limit` due rows of a channel for this worker (pending -> sending), oldest first."""
    now = now.astimezone(UTC)
    row = aliased(Delivery)  # an alias: a plain subquery would be correlated to the UPDATE's own row
    opted_out = exists().where(and_(Subscriber.user_key == row.user_key, Subscriber.active.is_(False)))
    due = (
        select(row.id)
        .where(row.status == PENDING, row.channel == channel, row.next_attempt_at <= now, ~opted_out)
        .order_by(row.next_attempt_at, row.id)
        .limit(limit)
    )
    ids = claimable(due, "claim")
    statement = (
        update(Delivery)
        .where(Delivery.id.in_(select(ids.c.id)), Delivery.status == PENDING)
        .values(status=SENDING, claimed_by=worker, claimed_until=now + lease, attempts=Delivery.attempts + 1)
        .returning(
            Delivery.id,
            Delivery.user_key,
            Delivery.channel,
            Delivery.lang,
            Delivery.text,
            Delivery.attempts,
            Delivery.template,
            Delivery.params,
        )
    )
    async with db.session() as session:
        rows = (await session.execute(statement)).all()
    return sorted((Claimed(**row._asdict()) for row in rows), key=lambda c: c.id)


async def finish(db: Database, worker: str, results: Sequence[Result], now: datetime) -> None:
    """Record how claimed rows went, all in one transaction; 'sent' carries the platform's message id."""
    if not results:
        return
    now = now.astimezone(UTC)
    table = Delivery.__table__  # Core executemany: one UPDATE per row in a single round trip
    statement = (
        update(table)  # type: ignore[arg-type]
        .where(
            table.c.id == bindparam("b_id"),
            table.c.claimed_by == worker,
            or_(table.c.status == SENDING, table.c.status == UNCERTAIN),  # IN () cannot be executemany'd
        )
        .values(
            status=bindparam("b_status"),
            message_id=bindparam("b_message_id"),
            error=bindparam("b_error"),
            next_attempt_at=bindparam("b_next"),
            sent_at=bindparam("b_sent_at"),
            claimed_until=None,
        )
    )
    params = [
        {
            "b_id": r.id,
            "b_status": r.status,
            "b_message_id": r.message_id,
            "b_error": r.error[:300],
            "b_next": (r.retry_at or now).astimezone(UTC),
            "b_sent_at": now if r.status == SENT else None,
        }
        for r in results
    ]
    blocked = [r.id for r in results if r.status == BLOCKED]
    async with db.session() as session:
        await session.execute(statement, params)
        if blocked:
            users = select(Delivery.user_key).where(Delivery.id.in_(blocked))
            await session.execute(
                update(Subscriber)
                .where(Subscriber.user_key.in_(users))
                .values(active=False, blocked=True, updated_at=now)
            )
            await session.execute(
                update(Delivery)
                .where(Delivery.user_key.in_(users), Delivery.status == PENDING)
                .values(status=CANCELLED, error="recipient blocked the bot")
            )


async def expire_leases(db: Database, now: datetime) -> int:
    """Rows whose worker died mid-send become 'uncertain' and are not sent again (see the module docstring)."""
    async with db.session() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.status == SENDING, Delivery.claimed_until < now.astimezone(UTC))
            .values(status=UNCERTAIN, error="worker stopped while sending; not resent to avoid a duplicate")
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def cancel_pending_for(db: Database, user_key: str) -> int:
    """An opt-out: every message not yet being sent to this user is cancelled."""
    async with db.session() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.user_key == user_key, Delivery.status == PENDING)
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
