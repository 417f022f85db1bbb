"""At-least-once webhooks: remember which update ids were handled, across restarts and processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from bot.storage.db import Database
from bot.storage.models import ProcessedUpdate


async def first_time(db: Database, channel: str, update_id: str) -> bool:
    """Record the update id; False when it was recorded before (a redelivery)."""
    stmt = (
        db.insert(ProcessedUpdate)
        .values(channel=channel, update_id=update_id, seen_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.channel, ProcessedUpdate.update_id])
    )
    async with db.single() as conn:  # one statement: its own transaction
        result = await conn.execute(stmt)
    return bool(result.rowcount == 1)


async def forget_older_than(db: Database, days: int = 7) -> int:
    """Platforms stop redelivering after a day or so; a week of ids is plenty."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    async with db.session() as session:
        result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
