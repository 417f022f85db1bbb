"""Records noted at once and written together a moment later, for what a webhook only records.

A WhatsApp message opens its user's 24-hour window, and every message we send comes back as two or three
status webhooks (sent, delivered, read): one transaction for each would cost more than the answering path's
own writes. What is only recorded is noted here by key and written in one statement per batch; a write that
fails keeps its records for the next batch (at most `limit`: beyond that, while the database is down, the
newest are dropped and counted, since memory must not grow without bound). A record lost in a crash costs
what the record is for (a window that looks closed, a status not shown), never an answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")


class LateWriter(Generic[K, V]):
    """Pending records by key; `replaces(old, new)` says whether a second note of a key wins over the first."""

    def __init__(
        self,
        write: Callable[[dict[K, V]], Awaitable[None]],
        replaces: Callable[[V, V], bool],
        what: str,
        delay: float = 0.2,
        limit: int = 50_000,
    ) -> None:
        self._write, self._replaces, self.what = write, replaces, what
        self.delay, self.limit = delay, limit
        self._pending: dict[K, V] = {}
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0  # records not kept while the database was down (logged)

    def note(self, key: K, value: V) -> None:
        found = self._pending.get(key)
        if found is None:
            if len(self._pending) >= self.limit:
                self.dropped += 1
                return
            self._pending[key] = value
        elif self._replaces(found, value):
            self._pending[key] = value
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._write_soon())

    def forget(self, key: K) -> None:
        self._pending.pop(key, None)

    async def _write_soon(self) -> None:
        await asyncio.sleep(self.delay)
        await self.flush()

    async def flush(self) -> None:
        """Write everything noted so far; on a database error keep it for the next try."""
        batch, self._pending = self._pending, {}
        if not batch:
            return
        try:
            await self._write(batch)
        except Exception:
            log.exception("recording %d %s failed; trying again with the next batch", len(batch), self.what)
            for key, value in batch.items():
                if key not in self._pending and len(self._pending) < self.limit:
                    self._pending[key] = value

    async def close(self) -> None:
        """Write what is still pending (shutdown, tests)."""
        if self._task is not None and not self._task.done():
            await self._task  # at most `delay` away; cancelling it could drop a batch mid-write
        await self.flush()
        if self.dropped:
            log.error("%d %s were not recorded while the database was unavailable", self.dropped, self.what)
