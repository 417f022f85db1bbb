"""The PostgreSQL server at 127.0.0.1:5432: required in CI, skipped locally when it is down; private schemas and databases."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.storage.db import Database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    if not postgres_up():
        if os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required in CI but 127.0.0.1:5432 is not reachable")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (CI starts it; locally these tests skip)")


async def fresh_postgres_schema() -> tuple[str, str]:
    """A private schema per test so parallel tests and old data never mix."""
    import asyncpg

    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        await conn.execute(f'CREATE SCHEMA "{name}"')
    finally:
        await conn.close()
    return name, POSTGRES_URL


async def drop_postgres_schema(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        await conn.close()


@asynccontextmanager
async def postgres_database() -> AsyncIterator[Database]:
    """A migrated database in a private schema of the real server, dropped afterwards (skips when it is down)."""
    from bot.storage import migrations

    require_postgres()
    schema, url = await fresh_postgres_schema()
    db = Database(url, schema=schema)
    await migrations.upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
        await drop_postgres_schema(schema)


@asynccontextmanager
async def empty_database_like(database: Database, tmp_path: Path) -> AsyncIterator[Database]:
    """A second, empty database of the same kind (SQLite file or PostgreSQL schema), not migrated."""
    schema = None
    if database.is_sqlite:
        fresh = Database(f"sqlite+aiosqlite:///{tmp_path}/fresh-{uuid.uuid4().hex[:8]}.db")
    else:
        schema, url = await fresh_postgres_schema()
        fresh = Database(url, schema=schema)
    try:
        yield fresh
    finally:
        await fresh.dispose()
        if schema:
            await drop_postgres_schema(schema)


@asynccontextmanager
async def own_postgres_database() -> AsyncIterator[tuple[str, Any]]:
    """A database of its own (so cutting its connections touches nobody else) and an admin connection."""
    require_postgres()
    import asyncpg

    name = f"t13_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, admin
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
