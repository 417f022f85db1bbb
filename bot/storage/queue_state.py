"""How far behind the outbound queue is, for /healthz: deliveries waiting, being sent, the oldest wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.storage.db import Database
from bot.storage.outbox import PENDING, UNFINISHED, Delivery, utc


@dataclass(frozen=True, slots=True)
class QueueState:
    pending: int  # waiting for a worker (including retries not yet due)
    claimed: int  # leased by a worker: about to be sent or being sent
    oldest_pending_age_s: float | None  # None: nothing waiting


async def queue_state(db: Database, now: datetime) -> QueueState:
    """One grouped query over the deliveries not yet finished."""
    query = (
        select(Delivery.status, func.count(), func.min(Delivery.created_at))
        .where(Delivery.status.in_(UNFINISHED))
        .group_by(Delivery.status)
    )
    async with db.session() as session:
        found = {status: (int(n), oldest) for status, n, oldest in await session.execute(query)}
    pending, oldest = found.get(PENDING, (0, None))
    age = max(0.0, (utc(now) - utc(oldest)).total_seconds()) if oldest is not None else None
    claimed = sum(n for status, (n, _) in found.items() if status != PENDING)
    return QueueState(pending, claimed, age)
