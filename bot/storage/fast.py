"""The few statements every message runs, on the database driver itself.

A message costs a handful of one-row statements (the outbox record that is also the dedupe, the
conversation state read and write, the outbox progress). Through SQLAlchemy's pool and execution
machinery each costs 110-130 us of CPU on SQLite and 160-190 us on PostgreSQL, where the driver's
own work is 10-40 us (bench/RESULTS.md, issue 23). A `Statement` here is still written with
SQLAlchemy Core and compiled by it, once per dialect (with its bind processors, e.g. SQLite's
datetime text); only the execution bypasses it:

- SQLite: one sqlite3 connection of the process, used on the loop's thread in autocommit (each
  statement its own transaction; an executemany in one), busy timeout 0 and an asyncio retry when
  another connection holds the write lock (as storage/sqlite_inline.py);
- PostgreSQL: an asyncpg pool of the process (asyncpg replaces a connection the server closed when
  it is next acquired), each statement on its own (autocommit; executemany is atomic).

Errors come out as SQLAlchemy's DBAPIError, so callers handle them like any database error.
Only for statements whose results are plain values (ints, text): no result processing is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from bot.storage.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_PATIENCE = 30.0  # seconds a statement keeps trying for SQLite's write lock
_BUSY = 5  # SQLITE_BUSY (not BUSY_SNAPSHOT: that transaction must start again)


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in positional order
    processors: Mapping[str, Callable[[Any], Any]]  # SQLAlchemy's bind processors (SQLite datetimes as text)
    fixed: Mapping[str, Any]  # values written in the statement itself (version=1, payload="")

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        processors, fixed = self.processors, self.fixed
        out = []
        for name in self.names:
            value = params[name] if name in params or name not in fixed else fixed[name]
            out.append(processors[name](value) if name in processors else value)
        return tuple(out)


Build = Callable[["Database"], Any]  # db -> the Core statement (the dialect's insert, for ON CONFLICT)


class Statement:
    """A Core statement built by `build(db)` and compiled once per dialect for the given parameter keys."""

    def __init__(self, build: Build, keys: Sequence[str]) -> None:
        self.build, self.keys = build, list(keys)
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self, db: Database) -> _Compiled:
        found = self._compiled.get(db.dialect)
        if found is None:
            dialect = db.hot.dialect
            compiled = self.build(db).compile(dialect=dialect, column_keys=self.keys)
            names = tuple(compiled.positiontup or ())
            processors = {n: p for n, p in compiled._bind_processors.items() if n in names}
            fixed = {n: b.value for n, b in compiled.binds.items() if not b.required and b.callable is None}
            found = self._compiled[db.dialect] = _Compiled(compiled.string, names, processors, fixed)
        return found


async def rows(db: Database, statement: Statement, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows the statement returns (SELECT, or RETURNING)."""
    driver = await db.driver()
    if driver is None:
        async with db.single() as conn:
            return [tuple(r) for r in await conn.execute(statement.build(db), dict(params))]
    compiled = statement.compiled(db)
    args = compiled.args(params)
    try:
        if isinstance(driver, sqlite3.Connection):
            return [tuple(r) for r in await _sqlite(driver, lambda: driver.execute(compiled.sql, args).fetchall())]
        async with _connection(driver) as conn:
            return [tuple(r) for r in await conn.fetch(compiled.sql, *args)]
    except DBAPIError:
        raise
    except Exception as exc:  # sqlite3.Error, asyncpg's errors, a dropped connection
        raise DBAPIError(compiled.sql, args, exc) from exc


async def rowcount(db: Database, statement: Statement, params: Mapping[str, Any]) -> int:
    """How many rows the statement wrote."""
    driver = await db.driver()
    if driver is None:
        async with db.single() as conn:
            return int((await conn.execute(statement.build(db), dict(params))).rowcount)
    compiled = statement.compiled(db)
    args = compiled.args(params)
    try:
        if isinstance(driver, sqlite3.Connection):
            return int(await _sqlite(driver, lambda: driver.execute(compiled.sql, args).rowcount))
        async with _connection(driver) as conn:
            status = await conn.execute(compiled.sql, *args)  # "UPDATE 1", "INSERT 0 1"
        return int(status.rsplit(" ", 1)[-1])
    except DBAPIError:
        raise
    except Exception as exc:
        raise DBAPIError(compiled.sql, args, exc) from exc


async def many(db: Database, statement: Statement, params: Sequence[Mapping[str, Any]]) -> None:
    """The statement once per parameter set, all or nothing."""
    if not params:
        return
    driver = await db.driver()
    if driver is None:
        async with db.hot.begin() as conn:
            await conn.execute(statement.build(db), [dict(p) for p in params])
        return
    compiled = statement.compiled(db)
    batch = [compiled.args(p) for p in params]
    try:
        if isinstance(driver, sqlite3.Connection):
            await _sqlite(driver, lambda: _sqlite_many(driver, compiled.sql, batch))
            return
        async with _connection(driver) as conn:
            await conn.executemany(compiled.sql, batch)  # atomic (asyncpg >= 0.22)
    except DBAPIError:
        raise
    except Exception as exc:
        raise DBAPIError(compiled.sql, batch, exc) from exc


@contextlib.asynccontextmanager
async def _connection(pool: Any) -> AsyncIterator[Any]:
    """A connection of the asyncpg pool. Giving it back never fails the statement that ran on it: a statement
    the server took is done, and reporting an error then would make a webhook ask for a redelivery of an
    update already stored (asyncpg closes a connection it cannot reset, and opens a new one when needed)."""
    conn = await pool.acquire()
    try:
        yield conn
    finally:
        try:
            await pool.release(conn)
        except Exception as exc:
            log.info("a database connection was dropped on release: %s", exc)


async def no_reset(_conn: Any) -> None:
    """asyncpg's pool resets a connection given back (RESET ALL and more: a round trip); these statements
    leave nothing to reset (no transaction, no settings, no listeners)."""


def _sqlite_many(conn: sqlite3.Connection, sql: str, batch: list[tuple[Any, ...]]) -> None:
    _in_transaction(conn, lambda: conn.executemany(sql, batch))


def _in_transaction(conn: sqlite3.Connection, work: Callable[[], T]) -> T:
    conn.execute("BEGIN IMMEDIATE")  # the write lock first: a busy refusal here leaves nothing half-done
    try:
        result = work()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


async def sqlite_transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work(conn)` in one transaction on the process's SQLite connection, on the loop's thread (it must not
    await: nothing else runs while the write lock is held, for microseconds)."""
    try:
        return await _sqlite(conn, lambda: _in_transaction(conn, lambda: work(conn)))
    except DBAPIError:
        raise
    except Exception as exc:
        raise DBAPIError("(a transaction)", (), exc) from exc


async def fetch(pool: Any, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
    """One statement written for PostgreSQL (asyncpg, its arrays), on a connection of the process's pool."""
    try:
        async with _connection(pool) as conn:
            return [tuple(r) for r in await conn.fetch(sql, *args)]
    except Exception as exc:
        raise DBAPIError(sql, tuple(args), exc) from exc


async def on_sqlite(conn: sqlite3.Connection, work: Callable[[], T], sql: str, args: Sequence[Any]) -> T:
    """`work()` (statements of its own on the process's SQLite connection) on the loop's thread, tried again while
    SQLite is busy, its errors as DBAPIError of `sql`: it must not await, and must be safe to do again after SQLite
    refused it as busy."""
    try:
        result: T = await _sqlite(conn, work)
    except DBAPIError:
        raise
    except Exception as exc:
        raise DBAPIError(sql, tuple(args), exc) from exc
    return result


async def _sqlite(conn: sqlite3.Connection, work: Callable[[], Any]) -> Any:
    """Run on the loop's thread; while another connection holds the write lock, wait in asyncio."""
    loop = asyncio.get_running_loop()
    deadline, pause = loop.time() + BUSY_PATIENCE, 0.001
    while True:
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) != _BUSY or loop.time() + pause > deadline:
                raise
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.05)


def open_sqlite(path: str) -> sqlite3.Connection:
    """The process's SQLite connection for these statements: autocommit, never waiting on the loop's thread."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=0")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn
