"""The database handle: one async engine per process, SQLite or PostgreSQL by URL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import CTE, Select, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)


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
            options.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
            if schema:
                options["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

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

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except (SQLAlchemyError, OSError) as exc:
            log.warning("database ping failed: %s", exc)
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


def claimable(query: Select[Any], name: str) -> CTE:
    """The rows of `query` as a CTE to claim them by: locked, and skipped by anyone claiming at the same time
    (FOR UPDATE SKIP LOCKED), MATERIALIZED so that PostgreSQL runs the locking SELECT once, not once per row
    it updates. SQLite ignores both: its single writer makes the claiming UPDATE atomic."""
    return query.with_for_update(skip_locked=True).cte(name).prefix_with("MATERIALIZED", dialect="postgresql")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the worker read while the web process writes; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
