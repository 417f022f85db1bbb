"""Writes the query log off the request path: rows are buffered and flushed in batches.

An answer never waits for the log and never fails because of it. When the database is
down, rows stay in the buffer and the writer retries with growing pauses; if the buffer
reaches its bound, the oldest rows are dropped with an error line saying how many.
`close()` (on SIGTERM) writes whatever is buffered before the process ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from bot.storage.db import Database
from bot.storage.querylog import Feedback, QueryRow, write_batch

log = logging.getLogger(__name__)

Item = QueryRow | Feedback


class QueryLogWriter:
    def __init__(
        self,
        db: Database,
        batch_size: int = 500,
        interval: float = 0.5,
        max_buffer: int = 100_000,
        max_pause: float = 30.0,
    ) -> None:
        self.db = db
        self.batch_size = batch_size
        self.interval = interval
        self.max_buffer = max_buffer
        self.max_pause = max_pause
        self._buffer: deque[Item] = deque()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()  # one batch at a time, in order
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._failing = False
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def add(self, item: Item) -> None:
        """Queue one row or feedback; never blocks, never raises."""
        if self._closed:
            log.error("query log: a row arrived after shutdown and was not written")
            return
        self._buffer.append(item)
        if len(self._buffer) > self.max_buffer:
            self._buffer.popleft()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error(
                    "query log: buffer full (%d rows) while the database is unavailable; %d oldest rows dropped",
                    self.max_buffer,
                    self.dropped,
                )
        if len(self._buffer) >= self.batch_size:
            self._wake.set()
        self._ensure_task()

    def _ensure_task(self) -> None:
        if self._task is None or self._task.done():
            try:
                self._task = asyncio.get_running_loop().create_task(self._run(), name="querylog-writer")
            except RuntimeError:  # no loop (e.g. a sync test): close() or flush() writes it
                self._task = None

    async def _run(self) -> None:
        pause = self.interval
        while not self._closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)
            self._wake.clear()
            pause = self.interval if await self._write_some() else min(max(pause * 2, 1.0), self.max_pause)

    async def _write_some(self) -> bool:
        """Write everything buffered, batch by batch; False when the database refused."""
        async with self._lock:
            while self._buffer:
                batch = [self._buffer[i] for i in range(min(self.batch_size, len(self._buffer)))]
                try:
                    await write_batch(self.db, batch)
                except Exception as exc:  # any database trouble: keep the rows and retry later
                    if not self._failing:
                        log.error(
                            "query log: database unavailable (%s: %s); %d rows buffered, retrying",
                            type(exc).__name__,
                            exc,
                            len(self._buffer),
                        )
                    self._failing = True
                    return False
                for _ in batch:
                    self._buffer.popleft()
                if self._failing:
                    log.warning("query log: database back; writing %d buffered rows", len(self._buffer))
                    self._failing = False
        return True

    async def flush(self) -> bool:
        """Write everything queued so far; False when the database is unavailable (rows stay buffered)."""
        return await self._write_some()

    async def forget(self, user_pseudonym: str) -> int:
        """Drop one user's buffered rows (their data is being erased); returns how many."""
        async with self._lock:
            keep = [i for i in self._buffer if i.user_pseudonym != user_pseudonym]
            gone = len(self._buffer) - len(keep)
            self._buffer = deque(keep)
        return gone

    async def close(self, attempts: int = 5) -> None:
        """Stop the background task and write what is left, retrying a few times before giving up loudly."""
        self._closed = True
        self._wake.set()
        if self._task is not None and not self._task.done():
            # Let a batch in flight finish rather than cancel it: a cancelled commit could be written twice.
            with contextlib.suppress(Exception):
                await self._task
        pause = 0.2
        for attempt in range(attempts):
            if await self._write_some():
                return
            if attempt < attempts - 1:
                await asyncio.sleep(pause)
                pause *= 2
        log.error("query log: database unavailable at shutdown; %d rows could not be written", len(self._buffer))
