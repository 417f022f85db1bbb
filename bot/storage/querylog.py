"""The query log: what residents asked and how the bot answered, with nothing personal kept.

Rows hold a keyed pseudonym instead of the user id and the text with NIKs, phone
numbers and e-mail addresses already redacted. After the retention period a row's
text goes; its counts live on in `query_daily_counts` (per day, channel and intent).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    and_,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.models import Base

DEFAULT_RETENTION_DAYS = 180
RETENTION_ENV = "QUERY_LOG_RETENTION_DAYS"


class QueryLog(Base):
    """One inbound message and what the bot did with it."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # the feedback buttons point at this
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[date] = mapped_column(Date, index=True)  # the office's local date, for daily counts
    channel: Mapped[str] = mapped_column(String(16))
    user_pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # redacted; None for buttons/locations
    intent: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    answered: Mapped[bool] = mapped_column(Boolean)
    response_ms: Mapped[int] = mapped_column(Integer)
    content_version: Mapped[str] = mapped_column(String(32))
    kelurahan_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    feedback_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    helpful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class QueryDailyCount(Base):
    """Counts that outlive the retention period: messages per day, channel and intent."""

    __tablename__ = "query_daily_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    helpful_yes: Mapped[int] = mapped_column(Integer, default=0)
    helpful_no: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True, slots=True)
class QueryRow:
    """A log row as the service builds it (already pseudonymised and redacted)."""

    ref: str
    at: datetime
    day: date
    channel: str
    user_pseudonym: str
    text: str | None
    intent: str
    confidence: float
    answered: bool
    response_ms: int
    content_version: str
    kelurahan_code: str | None = None
    feedback_asked: bool = False


@dataclass(frozen=True, slots=True)
class Feedback:
    """A 👍/👎 for an earlier answer, applied to that answer's row."""

    ref: str
    user_pseudonym: str
    helpful: bool


async def write_batch(db: Database, items: Sequence[QueryRow | Feedback]) -> None:
    """Write rows, then apply feedback, in one transaction (feedback always follows its row)."""
    rows = [asdict(i) for i in items if isinstance(i, QueryRow)]
    feedback = [i for i in items if isinstance(i, Feedback)]
    async with db.session() as session:
        if rows:
            await session.execute(insert(QueryLog), rows)
        for fb in feedback:
            await session.execute(
                sql_update(QueryLog)
                .where(and_(QueryLog.ref == fb.ref, QueryLog.user_pseudonym == fb.user_pseudonym))
                .values(helpful=fb.helpful)
            )


async def rows_for(db: Database, user_pseudonym: str) -> list[QueryLog]:
    async with db.session() as session:
        result = await session.scalars(
            select(QueryLog).where(QueryLog.user_pseudonym == user_pseudonym).order_by(QueryLog.id)
        )
        return list(result)


async def erase_pseudonym(db: Database, user_pseudonym: str) -> int:
    """Delete every row of one user (the daily counts hold no user, so they stay)."""
    async with db.session() as session:
        result = await session.execute(delete(QueryLog).where(QueryLog.user_pseudonym == user_pseudonym))
    return int(getattr(result, "rowcount", 0) or 0)


def retention_days(env: dict[str, str] | None = None) -> int:
    """QUERY_LOG_RETENTION_DAYS (default 180); a bad value falls back to the default, never to 'keep nothing'."""
    raw = (os.environ if env is None else env).get(RETENTION_ENV, "").strip()
    try:
        days = int(raw) if raw else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return days if days > 0 else DEFAULT_RETENTION_DAYS


async def apply_retention(db: Database, days: int | None = None, today: date | None = None) -> int:
    """Fold rows older than `days` into the daily counts and delete them; returns rows deleted.

    The worker calls this once a day. Whole days are folded, so running it twice is harmless.
    """
    keep = retention_days() if days is None else days
    cutoff = (today or datetime.now(UTC).date()) - timedelta(days=keep)
    yes = func.sum(func.cast(QueryLog.helpful.is_(True), Integer))
    no = func.sum(func.cast(QueryLog.helpful.is_(False), Integer))
    async with db.session() as session:
        groups = await session.execute(
            select(
                QueryLog.day,
                QueryLog.channel,
                QueryLog.intent,
                func.count(),
                func.sum(func.cast(QueryLog.answered, Integer)),
                yes,
                no,
            )
            .where(QueryLog.day < cutoff)
            .group_by(QueryLog.day, QueryLog.channel, QueryLog.intent)
        )
        for day, channel, intent, total, answered, helpful_yes, helpful_no in groups.all():
            row = await session.get(QueryDailyCount, (day, channel, intent))
            if row is None:
                row = QueryDailyCount(
                    day=day, channel=channel, intent=intent, total=0, answered=0, helpful_yes=0, helpful_no=0
                )
                session.add(row)
            row.total += int(total)
            row.answered += int(answered or 0)
            row.helpful_yes += int(helpful_yes or 0)
            row.helpful_no += int(helpful_no or 0)
        result = await session.execute(delete(QueryLog).where(QueryLog.day < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
