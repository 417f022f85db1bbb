"""The database handle of a process, SQLite or PostgreSQL by URL.

`engine` serves everything; `hot` serves a turn's short statements (the dedupe, the conversation
state, the query log's batches): on SQLite a second engine whose connections run on the event
loop's thread (storage/sqlite_inline.py), on PostgreSQL the same engine. `single()` is a `hot`
connection in autocommit, for work that is one statement: no BEGIN and COMMIT around it (on
PostgreSQL two round trips fewer; on SQLite the write lock is held for that statement only).

PostgreSQL connections are not pinged before use (pool_pre_ping would add BEGIN, a ping and
ROLLBACK, three round trips, to every checkout): a connection the server closed is seen as closed
by asyncpg as soon as the loop reads its end, and is replaced at checkout at no cost (`_closed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import CTE, Select, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.storage import fast, sqlite_inline

log = logging.getLogger(__name__)

FAST_POOL = 8  # PostgreSQL connections for storage/fast.py's statements (besides SQLAlchemy's pool)


class Database:
    def __init__(self, url: str, schema: str | None = None) -> None:
        """`schema` (PostgreSQL only) confines all tables to one schema: tests use a fresh one each."""
        self.url = make_url(url)
        self.schema = schema
        options: dict[str, Any] = {}
        if self.is_sqlite:
            database = self.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=10, max_overflow=10)
            if schema:
                options["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        self.hot: AsyncEngine = self.engine
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            if self.url.database and self.url.database != ":memory:":  # one in-memory database per engine
                self.hot = create_async_engine(
                    self.url, connect_args={"async_creator_fn": sqlite_inline.connect}, pool_size=4, max_overflow=8
                )
                event.listen(self.hot.sync_engine, "connect", _sqlite_pragmas_inline)
        else:
            event.listen(self.engine.sync_engine, "checkout", _closed)
        self._autocommit = self.hot.execution_options(isolation_level="AUTOCOMMIT")
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.hot_sessions = async_sessionmaker(self.hot, expire_on_commit=False)
        self._driver: asyncio.Future[Any] | None = None  # storage/fast.py's connection (SQLite) or pool (asyncpg)
        self.on_driver_connect: list[Callable[[Any], Awaitable[None]]] = []  # tests watch the driver's connections

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def insert(self, table: Any) -> Any:
        """An INSERT with this dialect's ON CONFLICT support (SQLite and PostgreSQL share the API)."""
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table)
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def hot_session(self) -> AsyncIterator[AsyncSession]:
        """`session()` on the hot engine: for a turn's short transactions (no long reads in it)."""
        async with self.hot_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def single(self) -> AsyncIterator[AsyncConnection]:
        """A hot connection for ONE statement (two would not be one transaction), committed after it.

        PostgreSQL: autocommit, so no BEGIN and COMMIT round trips. SQLite: a plain transaction on the
        inline engine (it holds the write lock for microseconds anyway, and switching the driver to
        autocommit and back at every checkout costs more CPU than the commit)."""
        if self.is_sqlite:
            async with self.hot.begin() as conn:
                yield conn
        else:
            async with self._autocommit.connect() as conn:
                yield conn

    async def driver(self) -> Any:
        """The driver-level handle for storage/fast.py: a sqlite3 connection or an asyncpg pool (None: not
        available, e.g. an in-memory SQLite database; fast.py then goes through SQLAlchemy)."""
        opened = self._driver
        if opened is not None and opened.done() and not opened.cancelled() and opened.exception() is None:
            return opened.result()  # every statement after the first: no shield, no await
        if self._driver is None:
            self._driver = asyncio.ensure_future(self._open_driver())
        try:
            return await asyncio.shield(self._driver)
        except Exception:
            self._driver = None  # the server was down: try again next time
            raise

    async def _open_driver(self) -> Any:
        if self.is_sqlite:
            if self.hot is self.engine:
                return None
            conn = fast.open_sqlite(str(self.url.database))
            for hook in self.on_driver_connect:
                await hook(conn)
            return conn
        if self.url.get_driver_name() != "asyncpg":
            return None
        import asyncpg

        dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        settings = {"search_path": self.schema} if self.schema else None

        async def init(conn: Any) -> None:
            for hook in self.on_driver_connect:
                await hook(conn)

        return await asyncpg.create_pool(
            dsn, min_size=1, max_size=FAST_POOL, server_settings=settings, init=init, reset=fast.no_reset
        )

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except (SQLAlchemyError, OSError) as exc:
            log.warning("database ping failed: %s", exc)
            return False

    async def dispose(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            with contextlib.suppress(Exception):
                handle = await driver
                if handle is not None:
                    await handle.close() if not isinstance(handle, sqlite3.Connection) else handle.close()
        if self.hot is not self.engine:
            await self.hot.dispose()
        await self.engine.dispose()


def claimable(query: Select[Any], name: str) -> CTE:
    """The rows of `query` as a CTE to claim them by: locked, and skipped by anyone claiming at the same time
    (FOR UPDATE SKIP LOCKED), MATERIALIZED so that PostgreSQL runs the locking SELECT once, not once per row
    it updates. SQLite ignores both: its single writer makes the claiming UPDATE atomic."""
    return query.with_for_update(skip_locked=True).cte(name).prefix_with("MATERIALIZED", dialect="postgresql")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_timeout_ms: int = 30000) -> None:
    # WAL lets the worker read while the web process writes; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_pragmas_inline(dbapi_connection: Any, record: Any) -> None:
    """The same, but SQLite never waits for a lock on the loop's thread (sqlite_inline retries instead)."""
    _sqlite_pragmas(dbapi_connection, record, busy_timeout_ms=0)


def _closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """At checkout: a connection the server has closed (restart, idle timeout, pg_terminate_backend) is
    replaced by a new one, with no round trip (asyncpg noticed the closed socket already)."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if callable(is_closed) and is_closed():
        raise DisconnectionError("the server closed this connection")
