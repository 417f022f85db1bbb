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
import time

import asyncpg

from bench.dashboard_common import logged_in, page_times, print_page_table, scratch_database, timed_get
from bench.report_1m import generate
from bot.web.dashboard.snapshot import ReportCache

PAGES = ["/dashboard/", "/dashboard/inbox", "/dashboard/broadcasts", "/dashboard/subscribers", "/dashboard/content"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    async with scratch_database() as (dsn, db):
        conn = await asyncpg.connect(dsn)
        started = time.perf_counter()
        await generate(conn, args.rows, 20_000)
        print(
            f"generated {await conn.fetchval('SELECT count(*) FROM query_log'):,} rows in {time.perf_counter() - started:.0f} s"
        )
        await conn.close()
        started_app = time.perf_counter()
        async with logged_in(db, dsn, "bench") as (service, session, base):
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
            rows = await page_times(session, base, [(page, page) for page in PAGES], args.repeat)
        print_page_table(rows, goal_ms=1000)


if __name__ == "__main__":
    asyncio.run(main())
