"""The daily retention job the worker runs: old query texts go, their counts per intent and day stay;
handover messages (conversations with an officer) follow the same period."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from bot.storage import handover
from bot.storage.db import Database
from bot.storage.querylog import apply_retention, retention_days

log = logging.getLogger(__name__)


async def run_retention(db: Database, today: date | None = None) -> int:
    """Apply QUERY_LOG_RETENTION_DAYS (default 180) once; returns rows deleted, 0 (logged) if the database failed.

    Call it from the worker about once a day; it is idempotent, so a restart that runs it again is harmless.
    """
    days = retention_days()
    try:
        deleted = await apply_retention(db, days, today)
        cutoff = datetime.combine((today or datetime.now(UTC).date()) - timedelta(days=days), time(0), tzinfo=UTC)
        messages = await handover.apply_retention(db, cutoff)
    except Exception:  # the worker must keep sending reminders; tomorrow's run catches up
        log.exception("query log retention failed; it will be retried on the next run")
        return 0
    if deleted or messages:
        log.info(
            "retention: %d query rows and %d handover messages older than %d days deleted (daily counts kept)",
            deleted, messages, days,
        )  # fmt: skip
    return deleted + messages
