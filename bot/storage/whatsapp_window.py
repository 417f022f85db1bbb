"""WhatsApp's 24-hour customer-service window: when each user last wrote to us.

Inside the window any message may be sent; outside it only an approved template.
Kept in the database so every process (web, worker) sees the same window.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import fast
from bot.storage.db import Database
from bot.storage.late_writes import LateWriter
from bot.storage.models import Base

WINDOW = timedelta(hours=24)


class WhatsAppWindow(Base):
    """The time of a user's last message to us; the window is open for 24 hours after it."""

    __tablename__ = "whatsapp_windows"

    user_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_inbound_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_open(last_inbound: datetime | None, now: datetime | None = None) -> bool:
    if last_inbound is None:
        return False
    return (now or datetime.now(UTC)) - _aware(last_inbound) < WINDOW


async def record_inbound(db: Database, user_key: str, at: datetime) -> None:
    """The user wrote at `at`: open (or keep open) their window; an older, late delivery changes nothing."""
    await record_many(db, {user_key: at})


def _upsert(db: Database) -> Any:
    statement = db.insert(WhatsAppWindow).values(
        user_key=bindparam("user_key"), last_inbound_at=bindparam("last_inbound_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[WhatsAppWindow.user_key],
        set_={"last_inbound_at": statement.excluded.last_inbound_at},
        where=WhatsAppWindow.last_inbound_at < statement.excluded.last_inbound_at,
    )


# A multi-row VALUES has no SQLAlchemy cache key: it was compiled again for every batch.
_UPSERT = fast.Statement(_upsert, ["user_key", "last_inbound_at"])


async def record_many(db: Database, latest: dict[str, datetime]) -> None:
    """Several users' latest messages in one statement (an upsert that never moves a time backwards)."""
    rows = [{"user_key": key, "last_inbound_at": _aware(at).astimezone(UTC)} for key, at in latest.items()]
    if not rows:
        return
    if db.dialect in ("sqlite", "postgresql"):
        await fast.many(db, _UPSERT, rows)  # one statement for all rows, built and compiled once
        return
    for key, at in latest.items():  # another database: row by row; a concurrent first insert is retried
        at = _aware(at)
        for _attempt in range(2):
            try:
                async with db.session() as session:
                    found = await session.get(WhatsAppWindow, key)
                    if found is None:
                        session.add(WhatsAppWindow(user_key=key, last_inbound_at=at))
                    elif _aware(found.last_inbound_at) < at:
                        found.last_inbound_at = at
                break
            except IntegrityError:
                continue


class WindowWriter(LateWriter[str, datetime]):
    """Notes each inbound time at once and writes them together a moment later (storage/late_writes.py).

    Every WhatsApp message opens a window; one statement per message would cost as much as
    the dedupe record. A write that is late or lost only makes the window look closed, and a
    closed window means a template or nothing: the safe side. `forget`: WhatsApp said this
    user's window is closed, so a pending note must not reopen it.
    """

    def __init__(self, db: Database, delay: float = 0.2) -> None:
        super().__init__(functools.partial(record_many, db), _later, "WhatsApp windows", delay)

    def note(self, key: str, value: datetime) -> None:
        super().note(key, _aware(value))


def _later(old: datetime, new: datetime) -> bool:
    return old < new


async def last_inbound(db: Database, user_key: str) -> datetime | None:
    async with db.single() as session:
        value = await session.scalar(select(WhatsAppWindow.last_inbound_at).where(WhatsAppWindow.user_key == user_key))
    return _aware(value) if value is not None else None


async def window_open(db: Database, user_key: str, now: datetime | None = None) -> bool:
    return is_open(await last_inbound(db, user_key), now)


async def close(db: Database, user_key: str) -> None:
    """WhatsApp said the window is closed (error 131047): believe it over our own clock."""
    async with db.session() as session:
        await session.execute(delete(WhatsAppWindow).where(WhatsAppWindow.user_key == user_key))
