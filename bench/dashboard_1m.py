"""Dashboard page times over a generated 1,000,000-row query log in PostgreSQL (goal: every page < 1 s).

    .venv/bin/python -m bench.dashboard_1m [--rows 1000000]

The log is generated as in bench/report_1m.py (a month of three channels, ~17% unanswered with
20,000 distinct wordings). The dashboard runs in this process on 127.0.0.1; a logged-in staff
client fetches every page several times. The month's report is built in the background (as in
production); the time of that build and of the very first page after a start are given too.
Baseline in the same run: the dashboard's static stylesheet from the same server.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
import uuid
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web

from bench.report_1m import ADMIN, generate
from bench.webhook_common import machine
from bot.config import Settings
from bot.knowledge.holder import ContentHolder
from bot.runtime import Runtime
from bot.storage import migrations
from bot.storage.db import Database
from bot.storage.staff import add_staff
from bot.web.dashboard.snapshot import ReportCache
from bot.web.server import build_app

PAGES = ["/dashboard/", "/dashboard/inbox", "/dashboard/broadcasts", "/dashboard/subscribers", "/dashboard/content"]
PASSWORD = "bench-password-123"


async def timed_get(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    name = f"bench_q12_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    db = Database(url)
    runner: web.AppRunner | None = None
    try:
        await migrations.upgrade(db)
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}")
        started = time.perf_counter()
        await generate(conn, args.rows, 20_000)
        print(
            f"generated {await conn.fetchval('SELECT count(*) FROM query_log'):,} rows in {time.perf_counter() - started:.0f} s"
        )
        await conn.close()

        settings = Settings.from_env({"DATABASE_URL": url, "PSEUDONYM_KEY": "bench"})
        service = Runtime(settings, db, ContentHolder(Path("content")))
        await add_staff(db, "bench", PASSWORD)
        runner = web.AppRunner(build_app(service))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        started_app = time.perf_counter()
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"

        jar = aiohttp.CookieJar(unsafe=True)  # cookies for a bare IP address
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(base + "/dashboard/login") as r:
                token = re.search(r'name="csrf_token" value="([^"]+)"', await r.text())
            assert token
            async with session.post(
                base + "/dashboard/login",
                data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)},
            ) as r:
                assert r.status == 200, r.status
            first = await timed_get(session, base + "/dashboard/")
            print(
                f"first overview after start (waits for the first report build): {first:.2f} s "
                f"(app started {time.perf_counter() - started_app:.1f} s before)"
            )
            async with session.get(base + "/dashboard/") as r:
                total = re.search(r'id="total">([^<]+)<', await r.text())
            print(f"messages in the overview's 30-day period: {total.group(1) if total else '?'}")
            cache = ReportCache(db, lambda: service.holder.current)
            snap = await cache.rebuild()
            print(f"background report build (what the refresher does every few minutes): {snap.build_seconds:.2f} s")
            baseline = [await timed_get(session, base + "/dashboard/static/style.css") for _ in range(args.repeat)]
            rows = [("static stylesheet (baseline)", baseline)]
            for page in PAGES:
                rows.append((page, [await timed_get(session, base + page) for _ in range(args.repeat)]))
        print(f"\nmachine: {machine()}")
        print("| page | median ms | max ms | ratio to baseline (median) |\n| --- | ---: | ---: | ---: |")
        base_median = statistics.median(baseline)
        worst = 0.0
        for page, times in rows:
            med, top = statistics.median(times) * 1000, max(times) * 1000
            worst = max(worst, top)
            print(f"| {page} | {med:.1f} | {top:.1f} | {statistics.median(times) / base_median:.1f} |")
        print(f"\nslowest page load: {worst:.0f} ms (goal < 1000 ms)")
    finally:
        if runner is not None:
            await runner.cleanup()
        await db.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
