"""SQLite on the event loop's own thread, for the short statements of a turn.

aiosqlite runs every call (execute, fetch, commit, even setting the isolation level) on a worker
thread of its connection and hands the result back to the loop: on this path, 3-6 hand-offs a
statement cost more CPU than the statement itself, and a write transaction held SQLite's write
lock across them while other turns' writes slept in SQLite's busy handler (bench/RESULTS.md,
issue 23). The statements of a turn (a row by primary key, one upsert, a batch insert) take
microseconds, so this connection runs them inline: a transaction that does not await anything
else runs start to commit without giving the loop away, holding the write lock for microseconds.

The connection never waits on the loop's thread for a lock held elsewhere (another process, or the
threaded engine's long work): its busy timeout is 0, and a statement SQLite refused as busy is tried
again after an asyncio sleep (1 ms, doubling to 50 ms, for up to BUSY_PATIENCE seconds). Long reads
(reports, the dashboard) stay on the threaded engine, off the loop.

It plugs into SQLAlchemy's aiosqlite dialect (`connect_args={"async_creator_fn": connect}`) as an
aiosqlite Connection whose calls run in place instead of on its thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite

BUSY_PATIENCE = 30.0  # seconds a statement keeps trying for the write lock (as busy_timeout=30000 did)
_RETRIED = frozenset({"execute", "executemany"})  # a refused statement did nothing: trying it again is safe
_BUSY = 5  # SQLITE_BUSY; SQLITE_BUSY_SNAPSHOT (517) is not retried: the transaction must start again


class _InPlace:
    """Stands in for aiosqlite's queue to its thread: a queued call runs at once (SQLAlchemy queues one
    directly to set the isolation level)."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None and not future.done():
                future.set_exception(exc)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite Connection without its thread: every call runs on the caller's (the loop's) thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, 64)
        self._tx = _InPlace()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._open().__await__()

    async def _open(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        if getattr(fn, "__name__", "") not in _RETRIED:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + BUSY_PATIENCE, 0.001
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) != _BUSY or loop.time() + pause > deadline:
                    raise
            await asyncio.sleep(pause)  # the lock is someone else's: let the loop run meanwhile
            pause = min(pause * 2, 0.05)

    def stop(self) -> asyncio.Future[Any] | None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        return None


def connect(database: str, **kwargs: Any) -> InlineConnection:
    """What SQLAlchemy's aiosqlite dialect calls (as `async_creator_fn`) to open a connection."""
    kwargs.update(timeout=0, check_same_thread=False)  # never block the loop in SQLite's busy handler
    return InlineConnection(lambda: sqlite3.connect(database, **kwargs))
