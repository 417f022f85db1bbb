"""Delivery statuses WhatsApp reports for messages we sent (sent, delivered, read, failed).

Recorded, never answered. A failure meaning the number cannot be reached (131026) also
marks the subscriber blocked, so reminders and broadcasts stop trying. Every message we send
comes back as two or three status webhooks: the webhook notes them in a `StatusWriter`, which
writes those of a moment in one statement (storage/late_writes.py), not a transaction each.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import fast
from bot.storage.db import Database
from bot.storage.late_writes import LateWriter
from bot.storage.models import Base
from bot.storage.subscriptions import Subscriber

UNDELIVERABLE = 131026


class WhatsAppStatus(Base):
    """One status of one sent message; the same status delivered twice is kept once."""

    __tablename__ = "whatsapp_statuses"

    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_key: Mapped[str] = mapped_column(String(128), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    error_code: Mapped[int | None] = mapped_column(Integer, nullable=True)


async def record_status(
    db: Database, message_id: str, status: str, user_key: str, at: datetime, error_code: int | None = None
) -> bool:
    """Store one status; False when it was stored before (a redelivered callback)."""
    try:
        async with db.session() as session:
            session.add(
                WhatsAppStatus(message_id=message_id, status=status, user_key=user_key, at=at, error_code=error_code)
            )
            if status == "failed" and error_code == UNDELIVERABLE:
                await session.execute(
                    update(Subscriber).where(Subscriber.user_key == user_key).values(active=False, blocked=True)
                )
        return True
    except IntegrityError:
        return False


@dataclass(frozen=True, slots=True)
class Status:
    """One status callback as recorded."""

    message_id: str
    status: str
    user_key: str
    at: datetime
    error_code: int | None = None

    @property
    def undeliverable(self) -> bool:
        return self.status == "failed" and self.error_code == UNDELIVERABLE


def _insert(db: Database) -> object:
    statement = db.insert(WhatsAppStatus).values(
        message_id=bindparam("message_id"), status=bindparam("status"), user_key=bindparam("user_key"),
        at=bindparam("at"), error_code=bindparam("error_code"),
    )  # fmt: skip
    return statement.on_conflict_do_nothing(index_elements=[WhatsAppStatus.message_id, WhatsAppStatus.status])


_INSERT = fast.Statement(_insert, ["message_id", "status", "user_key", "at", "error_code"])


async def record_many(db: Database, statuses: Sequence[Status]) -> None:
    """Several statuses in one statement; one already stored is kept as it was (a redelivered callback).
    The undeliverable ones' subscribers are marked blocked after it (rare: one transaction for them)."""
    if db.dialect not in ("sqlite", "postgresql"):  # another database: one by one, as `record_status`
        for s in statuses:
            await record_status(db, s.message_id, s.status, s.user_key, s.at, s.error_code)
        return
    rows = [
        {"message_id": s.message_id, "status": s.status, "user_key": s.user_key, "at": _utc(s.at),
         "error_code": s.error_code}
        for s in statuses
    ]  # fmt: skip
    await fast.many(db, _INSERT, rows)
    blocked = sorted({s.user_key for s in statuses if s.undeliverable})
    if blocked:
        async with db.session() as session:
            await session.execute(
                update(Subscriber).where(Subscriber.user_key.in_(blocked)).values(active=False, blocked=True)
            )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class StatusWriter(LateWriter[tuple[str, str], Status]):
    """The statuses of the webhooks of a moment, written together; the first of a redelivered one is kept."""

    def __init__(self, db: Database, delay: float = 0.2) -> None:
        super().__init__(functools.partial(_write, db), _never, "WhatsApp statuses", delay)

    def add(self, status: Status) -> None:
        self.note((status.message_id, status.status), status)


async def _write(db: Database, batch: dict[tuple[str, str], Status]) -> None:
    await record_many(db, list(batch.values()))


def _never(_old: Status, _new: Status) -> bool:
    return False


_ORDER = {"sent": 0, "delivered": 1, "read": 2, "failed": 3}  # timestamps are whole seconds: ties are common


async def statuses_of(db: Database, message_id: str) -> list[str]:
    """The statuses of one message in the order they happen."""
    async with db.session() as session:
        rows = (
            await session.execute(
                select(WhatsAppStatus.status, WhatsAppStatus.at).where(WhatsAppStatus.message_id == message_id)
            )
        ).all()
    return [s for s, _at in sorted(rows, key=lambda r: (r[1], _ORDER.get(r[0], 9)))]
