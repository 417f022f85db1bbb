"""The query log: what residents asked and how the bot answered, with nothing personal kept.

Rows hold a keyed pseudonym instead of the user id and the text with NIKs, phone
numbers and e-mail addresses already redacted. After the retention period a row's
text goes; its counts live on in `query_daily_counts` (per day, channel and intent).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import fast
from bot.storage.db import Database
from bot.storage.models import Base
from bot.storage.scope import EVERY, Scope

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
    office: Mapped[str | None] = mapped_column(String(8), nullable=True)  # region code of the office that answered


class QueryDailyCount(Base):
    """Counts that outlive the retention period: messages per day, channel and intent."""

    __tablename__ = "query_daily_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    office: Mapped[str] = mapped_column(String(8), primary_key=True, default="")  # "" = before offices were kept
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
    office: str | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    """A 👍/👎 for an earlier answer, applied to that answer's row."""

    ref: str
    user_pseudonym: str
    helpful: bool


_INSERT = insert(QueryLog.__table__)  # type: ignore[arg-type]
_FEEDBACK = (
    sql_update(QueryLog.__table__)  # type: ignore[arg-type]
    .where(
        and_(QueryLog.__table__.c.ref == bindparam("b_ref"), QueryLog.__table__.c.user_pseudonym == bindparam("b_user"))
    )
    .values(helpful=bindparam("b_helpful"))
)
_ROW_FIELDS = tuple(f.name for f in fields(QueryRow))  # plain values: no deep copy (asdict) per logged turn
_ROWS = fast.Statement(lambda _db: insert(QueryLog.__table__), _ROW_FIELDS)  # type: ignore[arg-type]


async def write_batch(db: Database, items: Sequence[QueryRow | Feedback]) -> None:
    """Write rows, then apply feedback, in one transaction (feedback always follows its row).

    A batch of rows alone (nearly every batch) is one executemany on the driver (storage/fast.py): all or
    nothing, and on PostgreSQL one round trip, without the BEGIN and COMMIT round trips around it."""
    rows = [{name: getattr(i, name) for name in _ROW_FIELDS} for i in items if isinstance(i, QueryRow)]
    feedback = [i for i in items if isinstance(i, Feedback)]
    if not feedback:
        await fast.many(db, _ROWS, rows)
        return
    async with db.hot.begin() as conn:  # short: one insert of the batch, a few updates (Core, not the ORM)
        if rows:
            await conn.execute(_INSERT, rows)
        if feedback:
            params = [{"b_ref": fb.ref, "b_user": fb.user_pseudonym, "b_helpful": fb.helpful} for fb in feedback]
            await conn.execute(_FEEDBACK, params)


async def rows_for(db: Database, user_pseudonym: str) -> list[QueryLog]:
    async with db.session() as session:
        result = await session.scalars(
            select(QueryLog).where(QueryLog.user_pseudonym == user_pseudonym).order_by(QueryLog.id)
        )
        return list(result)


async def recent(db: Database, user_pseudonym: str, before: datetime, limit: int = 6) -> list[QueryLog]:
    """The user's last `limit` turns up to `before`, oldest first (what an officer reads before answering)."""
    async with db.session() as session:
        result = await session.scalars(
            select(QueryLog)
            .where(QueryLog.user_pseudonym == user_pseudonym, QueryLog.at <= before)
            .order_by(QueryLog.at.desc(), QueryLog.id.desc())
            .limit(limit)
        )
        return list(result)[::-1]


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
    async with db.session() as session:
        groups = await session.execute(_per_day(QueryLog.day < cutoff, by_office=True))
        for day, channel, intent, total, answered, _asked, helpful_yes, helpful_no, office in groups.all():
            key = (day, channel, intent, office or "")
            row = await session.get(QueryDailyCount, key)
            if row is None:
                row = QueryDailyCount(
                    day=day,
                    channel=channel,
                    intent=intent,
                    office=office or "",
                    total=0,
                    answered=0,
                    helpful_yes=0,
                    helpful_no=0,
                )
                session.add(row)
            row.total += int(total)
            row.answered += int(answered or 0)
            row.helpful_yes += int(helpful_yes or 0)
            row.helpful_no += int(helpful_no or 0)
        result = await session.execute(delete(QueryLog).where(QueryLog.day < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


# ---- what the office's report reads: GROUP BY in the database, small results out ----------------


@dataclass(frozen=True, slots=True)
class DayCount:
    """Messages of one day, channel and intent: how many, answered, asked for feedback, 👍, 👎."""

    day: date
    channel: str
    intent: str
    total: int
    answered: int
    asked: int
    yes: int
    no: int


def _sum_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _per_day(where: ColumnElement[bool], by_office: bool = False) -> Select[Any]:
    """The one daily count over the log: the report reads it, retention folds it into QueryDailyCount."""
    q = QueryLog
    groups = (q.day, q.channel, q.intent, *((q.office,) if by_office else ()))
    return (
        select(
            q.day,
            q.channel,
            q.intent,
            func.count(),
            _sum_of(q.answered.is_(True)),
            _sum_of(q.feedback_asked.is_(True)),
            _sum_of(q.helpful.is_(True)),
            _sum_of(q.helpful.is_(False)),
            *groups[3:],
        )
        .where(where)
        .group_by(*groups)
    )


def _period(start: date, end: date, scope: Scope = EVERY) -> ColumnElement[bool]:
    return and_(QueryLog.day >= start, QueryLog.day <= end, scope.where(QueryLog.office))


async def daily_counts(db: Database, start: date, end: date, scope: Scope = EVERY) -> list[DayCount]:
    """Counts per day, channel and intent for start..end: from the log, plus those kept after retention."""
    kept = QueryDailyCount
    async with db.session() as s:
        logged = await s.execute(_per_day(_period(start, end, scope)))
        folded = await s.execute(
            select(
                kept.day, kept.channel, kept.intent, kept.total, kept.answered, kept.helpful_yes, kept.helpful_no
            ).where(kept.day >= start, kept.day <= end, scope.where(kept.office))
        )
        rows = [
            DayCount(_as_date(d), c, i, int(n), int(ok or 0), int(a or 0), int(y or 0), int(no or 0))
            for d, c, i, n, ok, a, y, no in logged.all()
        ]
        rows += [
            DayCount(_as_date(d), c, i, int(n), int(ok), 0, int(y), int(no)) for d, c, i, n, ok, y, no in folded.all()
        ]
    return rows


async def text_counts(
    db: Database, start: date, end: date, intents: Sequence[str], scope: Scope = EVERY
) -> list[tuple[str, int]]:
    """Each distinct text sent in start..end that got one of these intents, with how often."""
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.text, func.count())
            .where(_period(start, end, scope), QueryLog.intent.in_(intents), QueryLog.text.is_not(None))
            .group_by(QueryLog.text)
        )
        return [(t, int(n)) for t, n in result.all() if t]


async def response_histogram(db: Database, start: date, end: date, scope: Scope = EVERY) -> list[tuple[int, int]]:
    """How many answers took each number of milliseconds: percentiles without sorting a million rows."""
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.response_ms, func.count()).where(_period(start, end, scope)).group_by(QueryLog.response_ms)
        )
        return sorted((int(ms), int(n)) for ms, n in result.all())


async def kelurahan_counts(db: Database, start: date, end: date, scope: Scope = EVERY) -> list[tuple[str, int]]:
    """Messages per kelurahan (of residents who told us theirs), most first."""
    async with db.session() as s:
        result = await s.execute(
            select(QueryLog.kelurahan_code, func.count())
            .where(_period(start, end, scope), QueryLog.kelurahan_code.is_not(None))
            .group_by(QueryLog.kelurahan_code)
        )
        return sorted(((str(k), int(n)) for k, n in result.all()), key=lambda r: (-r[1], r[0]))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
