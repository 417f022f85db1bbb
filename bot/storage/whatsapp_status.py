"""Delivery statuses WhatsApp reports for messages we sent (sent, delivered, read, failed).

Recorded, never answered. A failure meaning the number cannot be reached (131026) also
marks the subscriber blocked, so reminders and broadcasts stop trying.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
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
