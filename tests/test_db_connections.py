"""The database connections of a turn: no pings or transaction round trips on PostgreSQL, a dropped
connection replaced at checkout, and SQLite's short statements on the loop without blocking it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.storage import answer_outbox, conversations, fast, migrations, sqlite_inline
from bot.storage.db import Database
from bot.storage.dedupe import first_time
from tests.support.postgres import postgres_database

SECRET = b"k"


@pytest.fixture
async def postgres() -> AsyncIterator[Database]:
    async with postgres_database() as db:
        yield db


def _log_queries(db: Database) -> list[str]:
    """The simple-protocol commands asyncpg sends (BEGIN, COMMIT, ROLLBACK, a ping's ';') on new connections,
    of SQLAlchemy's pool and of the driver pool of storage/fast.py."""
    seen: list[str] = []

    def attach(driver_connection: Any) -> None:
        driver_connection.add_query_logger(lambda record: seen.append(record.query))

    @event.listens_for(db.engine.sync_engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        attach(dbapi_connection.driver_connection)

    async def on_driver(conn: Any) -> None:
        attach(conn)

    db.on_driver_connect.append(on_driver)
    return seen


def _transaction_commands(seen: list[str]) -> list[str]:
    return [q for q in seen if q.split()[0].rstrip(";").upper() in {"BEGIN", "COMMIT", "ROLLBACK", ""}]


@pytest.mark.postgres
async def test_a_turns_statements_go_alone_on_postgres(postgres: Database) -> None:
    await postgres.engine.dispose()  # new connections, with the logger
    seen = _log_queries(postgres)
    stored = await conversations.load_state(postgres, "telegram:1", SECRET)
    saved = await conversations.save_state(postgres, "telegram:1", SECRET, "telegram", "{}", "id", stored.version)
    assert await first_time(postgres, "telegram", "1")
    now = datetime.now(UTC)
    assert await answer_outbox.accept(
        postgres, "telegram", [answer_outbox.Accepted("9", "telegram:1", "{}")], now, timedelta(seconds=60)
    )
    stored = await conversations.load_state(postgres, "telegram:1", SECRET)
    assert stored.version == saved
    # No pre-ping (BEGIN; ';'; ROLLBACK) at checkout, no BEGIN/COMMIT around a single statement.
    assert _transaction_commands(seen) == []
    async with postgres.engine.begin() as conn:  # the logger does see a real transaction
        await conn.execute(text("SELECT 1"))
    assert [q.split()[0] for q in _transaction_commands(seen)] == ["BEGIN", "COMMIT;"]


_PID = fast.Statement(lambda _db: select(func.pg_backend_pid()), [])


@pytest.mark.postgres
async def test_a_connection_the_server_dropped_is_replaced_at_checkout(postgres: Database) -> None:
    import asyncpg

    async with postgres.single() as conn:
        pooled = await conn.scalar(text("SELECT pg_backend_pid()"))
    [(driven,)] = await fast.rows(postgres, _PID, {})
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        for pid in (pooled, driven):
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await asyncio.sleep(0.3)  # the loop reads the closed sockets (a restart or failover looks the same)
    # Without a ping, the next use still gets a working connection: the closed one is replaced.
    stored = await conversations.load_state(postgres, "telegram:2", SECRET)  # storage/fast.py's pool
    assert stored.version == 0
    assert (await fast.rows(postgres, _PID, {}))[0][0] != driven
    async with postgres.single() as conn:  # SQLAlchemy's pool
        assert await conn.scalar(text("SELECT pg_backend_pid()")) != pooled


# ---- SQLite on the loop ---------------------------------------------------------------------------


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    await migrations.upgrade(db)
    yield db
    await db.dispose()


async def test_sqlite_turn_statements_run_on_the_loop_thread(sqlite: Database) -> None:
    threads: set[int] = set()
    statements: list[str] = []

    @event.listens_for(sqlite.hot.sync_engine, "before_cursor_execute")
    def _where(*_args: Any) -> None:
        threads.add(threading.get_ident())

    def traced(sql: str) -> None:
        threads.add(threading.get_ident())
        statements.append(sql.split()[0])

    driver = await sqlite.driver()
    assert isinstance(driver, sqlite3.Connection)
    driver.set_trace_callback(traced)
    stored = await conversations.load_state(sqlite, "telegram:1", SECRET)
    await conversations.save_state(sqlite, "telegram:1", SECRET, "telegram", "{}", "id", stored.version)
    assert await first_time(sqlite, "telegram", "1")  # the inline engine
    assert not await first_time(sqlite, "telegram", "1")
    saved = await conversations.save_state(sqlite, "telegram:2", SECRET, "telegram", "{}", "id", 0)
    assert (await conversations.load_state(sqlite, "telegram:2", SECRET)).version == saved  # the row kept
    assert statements == ["SELECT", "INSERT", "INSERT"]  # the state's statements went to the driver
    assert threads == {threading.get_ident()}
    assert sqlite.hot is not sqlite.engine  # long reads (reports, dashboard) keep aiosqlite's threads


async def _dedupe(db: Database, key: str) -> bool:
    return await first_time(db, "telegram", key)


async def _state(db: Database, key: str) -> bool:
    await conversations.save_state(db, f"telegram:{key}", SECRET, "telegram", "{}", "id", 0)
    return True


WRITERS = {"inline engine": _dedupe, "driver (fast.py)": _state}


@pytest.mark.parametrize("writer", WRITERS)
async def test_a_write_waits_for_a_lock_held_elsewhere_without_blocking_the_loop(
    sqlite: Database, tmp_path: Path, writer: str
) -> None:
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)  # another process, as the worker is
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    other.execute("INSERT INTO processed_updates (channel, update_id, seen_at) VALUES ('x', '1', '2026-01-01')")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(WRITERS[writer](sqlite, "7"))
    await asyncio.sleep(0.3)
    assert not writing.done()  # still waiting for the lock...
    assert ticks >= 10  # ...while the loop kept running (SQLite's own busy wait would have frozen it)
    other.execute("COMMIT")
    assert await asyncio.wait_for(writing, 5)
    ticking.cancel()
    other.close()


@pytest.mark.parametrize("writer", WRITERS)
async def test_a_lock_held_past_the_patience_is_an_error(
    sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_PATIENCE", 0.2)
    monkeypatch.setattr(fast, "BUSY_PATIENCE", 0.2)
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(SQLAlchemyError, match="locked"):
            await WRITERS[writer](sqlite, "8")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await WRITERS[writer](sqlite, "8")  # nothing was half-written
