"""The Conversations page with 10,000 open handovers in PostgreSQL (goal: every page < 200 ms).

    .venv/bin/python -m bench.conversations_10k [--open 10000] [--repeat 9]

Same method as bench/dashboard_1m.py: a fresh PostgreSQL database, the dashboard running in this
process on 127.0.0.1, a logged-in officer fetching each page several times; baseline in the same
run: the dashboard's static stylesheet from the same server. The data: `--open` open handovers
(80% waiting for an officer, 20% held, a quarter of those by the officer who is logged in) and
half as many closed ones, each with six events (the request, messages both ways, a claim).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import asyncpg

from bench.dashboard_common import logged_in, page_times, print_page_table, scratch_database, timed_get
from bot.storage import handover

OFFICER = "bench"
TEXTS = ("mau bicara dengan petugas", "anak saya demam sudah 3 hari, obatnya apa ya", "baik bu terima kasih",
         "puskesmas dekat rumah saya buka jam berapa", "kartu bpjs saya hilang bagaimana")  # fmt: skip


async def generate(conn: asyncpg.Connection, open_count: int) -> int:
    """Handovers and their events by COPY; returns the id of one held by the officer (for its page)."""
    rnd = random.Random(22)
    now = datetime.now(UTC)
    handovers, events = [], []
    event_id = 0
    mine = 0
    total = open_count + open_count // 2
    for n in range(1, total + 1):
        opened = now - timedelta(minutes=rnd.randint(1, 60 * 24 * 3))
        if n <= open_count * 0.8:
            status, officer, closed = "waiting", None, None
        elif n <= open_count:
            status, officer, closed = "held", OFFICER if n % 4 == 0 else f"petugas{n % 7}", None
            mine = mine or (n if officer == OFFICER else 0)
        else:
            status, officer, closed = "closed", f"petugas{n % 7}", opened + timedelta(minutes=30)
        channel = "whatsapp" if n % 3 else "telegram"
        key = f"{channel}:{62812000000 + n if channel == 'whatsapp' else 500000 + n}"
        waiting = opened if status == "waiting" else None
        handovers.append((n, key, channel, "id", status, officer, opened, waiting, closed))
        kinds = ["opened", "resident", "claimed", "officer", "resident", "resident"]
        for k, kind in enumerate(kinds):
            event_id += 1
            who = officer if kind in ("claimed", "officer") else None
            text = "" if kind == "claimed" else TEXTS[(n + k) % len(TEXTS)]
            events.append(
                (
                    event_id,
                    n,
                    key,
                    kind,
                    text,
                    who,
                    opened + timedelta(minutes=k),
                    "delivered" if kind == "officer" else "",
                    "",
                )
            )
    await conn.copy_records_to_table(
        "handovers", records=handovers,
        columns=["id", "user_key", "channel", "lang", "status", "officer", "opened_at", "waiting_since", "closed_at"],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "handover_events", records=events,
        columns=["id", "handover_id", "user_key", "kind", "text", "officer", "at", "delivery", "detail"],
    )  # fmt: skip
    await conn.execute("SELECT setval('handovers_id_seq', $1)", total)
    await conn.execute("SELECT setval('handover_events_id_seq', $1)", event_id)
    await conn.execute("ANALYZE handovers; ANALYZE handover_events")
    return mine


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    async with scratch_database() as (dsn, db):
        conn = await asyncpg.connect(dsn)
        mine = await generate(conn, args.open)
        counts = dict(await conn.fetch("SELECT status, count(*) FROM handovers GROUP BY status"))
        events = await conn.fetchval("SELECT count(*) FROM handover_events")
        await conn.close()
        print(f"handovers: {counts}; events: {events:,}")
        pages = [
            ("/dashboard/conversations (waiting: longest wait first)", "/dashboard/conversations"),
            ("/dashboard/conversations?view=mine", "/dashboard/conversations?view=mine"),
            ("/dashboard/conversations?view=closed", "/dashboard/conversations?view=closed"),
            ("/dashboard/conversations?page=50 (a late page)", "/dashboard/conversations?page=50"),
            ("/dashboard/conversations/ID (one conversation)", f"/dashboard/conversations/{mine}"),
            ("/dashboard/conversations/ID/events (the 3 s poll)", f"/dashboard/conversations/{mine}/events?after=0"),
        ]
        async with logged_in(db, dsn, OFFICER) as (_service, session, base):
            async with session.get(base + "/dashboard/conversations") as r:
                shown = len(re.findall(r'href="/dashboard/conversations/\d+"', await r.text()))
            print(f"rows on the first waiting page: {shown}")
            for _label, page in pages:  # warm-up: one fetch each (connections, template compilation)
                await timed_get(session, base + page)
            rows = await page_times(session, base, pages, args.repeat)
        print_page_table(rows, goal_ms=200)
        idle = []
        for _ in range(args.repeat):  # the worker's check for held chats past the office's timeout, every minute
            started = time.perf_counter()
            found = await handover.idle(db, datetime.now(UTC) - timedelta(minutes=120))
            idle.append(time.perf_counter() - started)
        print(
            f"worker's timeout check over {counts.get('held', 0):,} held: median {statistics.median(idle) * 1000:.1f} ms "
            f"({len(found)} idle found, at most 100 per round)"
        )


if __name__ == "__main__":
    asyncio.run(main())
