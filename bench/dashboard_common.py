"""What the dashboard benchmarks share: a scratch PostgreSQL database, the dashboard served in this
process with a logged-in staff client, and the page-time table against the stylesheet baseline."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.webhook_common import machine
from bot.config import Settings
from bot.knowledge.holder import ContentHolder
from bot.runtime import Runtime
from bot.storage import migrations
from bot.storage.db import Database
from bot.storage.staff import add_staff
from bot.web.server import build_app
from tests.support.postgres import own_postgres_database

PASSWORD = "bench-password-123"
STYLESHEET = "/dashboard/static/style.css"


@asynccontextmanager
async def scratch_database() -> AsyncIterator[tuple[str, Database]]:
    """A migrated database of its own on the local server (its asyncpg URL and our handle), dropped afterwards."""
    async with own_postgres_database() as (name, _admin):
        db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
        try:
            await migrations.upgrade(db)
            yield f"postgresql://postgres@127.0.0.1:5432/{name}", db
        finally:
            await db.dispose()


@asynccontextmanager
async def logged_in(db: Database, dsn: str, user: str) -> AsyncIterator[tuple[Runtime, aiohttp.ClientSession, str]]:
    """The dashboard on a local port and a staff client logged in to it: (runtime, session, base URL)."""
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    service = Runtime(
        Settings.from_env({"DATABASE_URL": url, "PSEUDONYM_KEY": "bench"}), db, ContentHolder(Path("content"))
    )
    await add_staff(db, user, PASSWORD)
    runner = web.AppRunner(build_app(service))
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for a bare IP address
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(base + "/dashboard/login") as r:
                token = re.search(r'name="csrf_token" value="([^"]+)"', await r.text())
            assert token
            form = {"username": user, "password": PASSWORD, "csrf_token": token.group(1)}
            async with session.post(base + "/dashboard/login", data=form) as r:
                assert r.status == 200, r.status
            yield service, session, base
    finally:
        await runner.cleanup()


async def timed_get(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started


async def page_times(
    session: aiohttp.ClientSession, base: str, pages: list[tuple[str, str]], repeat: int
) -> list[tuple[str, list[float]]]:
    """Each page fetched `repeat` times, after the stylesheet (the baseline row, first)."""
    rows = [("static stylesheet (baseline)", [await timed_get(session, base + STYLESHEET) for _ in range(repeat)])]
    for label, page in pages:
        rows.append((label, [await timed_get(session, base + page) for _ in range(repeat)]))
    return rows


def print_page_table(rows: list[tuple[str, list[float]]], goal_ms: float) -> None:
    """Median and max per page with its ratio to the baseline; the slowest page (baseline excluded) against the goal."""
    print(f"\nmachine: {machine()}")
    print("| page | median ms | max ms | ratio to baseline (median) |\n| --- | ---: | ---: | ---: |")
    base_median = statistics.median(rows[0][1])
    for label, times in rows:
        med, top = statistics.median(times) * 1000, max(times) * 1000
        print(f"| {label} | {med:.1f} | {top:.1f} | {statistics.median(times) / base_median:.1f} |")
    worst = max(max(times) for _label, times in rows[1:]) * 1000
    print(f"\nslowest page load: {worst:.0f} ms (goal < {goal_ms:.0f} ms)")
