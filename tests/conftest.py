"""Fixtures for every test: offline sockets, a database on SQLite or the real PostgreSQL server, the service, a chat.

Helpers that tests and benchmarks share live in tests/support/; import them from there, not from here."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.engine.understanding import Understanding
from bot.runtime import Runtime
from bot.storage import migrations
from bot.storage.db import Database
from tests.support.chat import Chat
from tests.support.graph_api import FakeGraph
from tests.support.postgres import own_postgres_database, postgres_database
from tests.support.settings import CONTENT, make_settings
from tests.support.shipped import shipped_content
from tests.support.telegram_api import FakeTelegram


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


@pytest.fixture(scope="session")
def danger() -> Understanding:
    """The shipped content's Understanding, built once for the danger tests: they only read messages with it."""
    return Understanding(shipped_content())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The same storage tests on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await migrations.upgrade(db)
        yield db
        await db.dispose()
        return
    async with postgres_database() as db:
        yield db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database a `Runtime` or a separate process can open by URL alone (on PostgreSQL: a fresh database)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/bot.db"
        return
    async with own_postgres_database() as (name, _admin):
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a `chat_jsonl` resident: a fresh SQLite file, a fixed pseudonym key."""
    return {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db", "PSEUDONYM_KEY": "k"}


@pytest.fixture
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the real content, for tests that edit it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    yield target


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Runtime]:
    """The bot as every command assembles it (bot.runtime), without the content watcher."""
    svc = await Runtime.open(make_settings(tmp_path), watch_interval=None)
    yield svc
    await svc.close()


@pytest.fixture
def chat(service: Runtime) -> Chat:
    return Chat(service)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram Bot API on a local port."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    """A fake WhatsApp Cloud (Graph) API on a local port."""
    async with FakeGraph() as fake:
        yield fake
