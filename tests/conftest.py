"""Shared fixtures: a database on SQLite or the real PostgreSQL server, the service, a chat driver."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest

from bot.channels.console import outcome_json, parse_line
from bot.config import Settings
from bot.runtime import Runtime
from bot.storage import migrations
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def _require_postgres() -> None:
    if not _postgres_up():
        if os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required in CI but 127.0.0.1:5432 is not reachable")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (CI starts it; locally these tests skip)")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run offline: any connection outside loopback fails the test (as python-telegram-bot's do)."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        local = isinstance(host, str) and (host.startswith("127.") or host in {"::1", "localhost"})
        if self.family in (socket.AF_INET, socket.AF_INET6) and not local:
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


async def _fresh_postgres_schema() -> tuple[str, str]:
    """A private schema per test so parallel tests and old data never mix."""
    import asyncpg

    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        await conn.execute(f'CREATE SCHEMA "{name}"')
    finally:
        await conn.close()
    return name, POSTGRES_URL


async def _drop_postgres_schema(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        await conn.close()


@asynccontextmanager
async def empty_database_like(database: Database, tmp_path: Path) -> AsyncIterator[Database]:
    """A second, empty database of the same kind (SQLite file or PostgreSQL schema), not migrated."""
    schema = None
    if database.is_sqlite:
        fresh = Database(f"sqlite+aiosqlite:///{tmp_path}/fresh-{uuid.uuid4().hex[:8]}.db")
    else:
        schema, url = await _fresh_postgres_schema()
        fresh = Database(url, schema=schema)
    try:
        yield fresh
    finally:
        await fresh.dispose()
        if schema:
            await _drop_postgres_schema(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The same storage tests on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await migrations.upgrade(db)
        yield db
        await db.dispose()
        return
    _require_postgres()
    schema, url = await _fresh_postgres_schema()
    db = Database(url, schema=schema)
    await migrations.upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
        await _drop_postgres_schema(schema)


@pytest.fixture
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the real content, for tests that edit it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    yield target


def make_settings(tmp_path: Path, content: Path = CONTENT, database_url: str | None = None) -> Settings:
    env = {
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "CONTENT_DIR": str(content),
        "PSEUDONYM_KEY": "test-key",
    }
    return Settings.from_env(env)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Runtime]:
    """The bot as every command assembles it (bot.runtime), without the content watcher."""
    svc = await Runtime.open(make_settings(tmp_path), watch_interval=None)
    yield svc
    await svc.close()


class Chat:
    """Drives the bot exactly like `chat --jsonl`: one line in, one JSON object out."""

    def __init__(self, service: Runtime, user: str = "tester", today: date | None = None) -> None:
        self.service, self.user, self.today = service, user, today

    async def say(self, line: str) -> dict:
        outcome = await self.service.handle(parse_line(line, f"console:{self.user}"), today=self.today)
        return json.loads(outcome_json(line, outcome))

    async def run(self, *lines: str) -> list[dict]:
        return [await self.say(line) for line in lines]


@pytest.fixture
def chat(service: Runtime) -> Chat:
    return Chat(service)


def text_of(result: dict) -> str:
    return "\n".join(r["text"] for r in result["replies"])


def payloads_of(result: dict) -> list[str]:
    return [b["payload"] for r in result["replies"] for b in r["buttons"]]


__all__ = ["Chat", "asyncio", "make_settings", "payloads_of", "text_of"]
