"""Telegram webhook throughput: updates/s and p50/p99 latency, update in -> answer at the fake Bot API.

    .venv/bin/python -m bench.webhook_telegram [--updates 2000] [--concurrency 32] [--postgres]

Both servers run as their own process, as in production: `python -m bot serve --no-worker`
(the real route, dedupe, engine, query log, python-telegram-bot sending to the fake Bot API
on loopback) and the bare aiohttp baseline that only parses the JSON and answers 200. The
same updates (a mix of greetings, questions, menu commands and shared locations, each from
a different resident) go to both at the same concurrency. For the bot a request counts as
done when its answer reached the fake Bot API; for the baseline when the 200 is back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.webhook_common import LoadResult, bare_command, echo_command, format_table, machine, post_load
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.storage.db import Database
from tests.support.postgres import own_postgres_database
from tests.support.servers import server_process
from tests.support.telegram_api import FakeTelegram, location_update, text_update

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
MESSAGES: tuple[str | tuple[float, float], ...] = (
    "halo",
    "/start",
    "menu",
    "imunisasi bayi 2 bulan apa saja",
    "puskesmas terdekat",
    "berobat gratis pakai KTP",
    "kapan imunisasi campak",
    (0.5071, 101.4478),
    "cara cek status BPJS",
    "/bantuan",
)


Mix = Sequence[str | tuple[float, float]]
# `--mix residents` (bench.wire): first messages residents wrote, from the understanding tuning sets, named (never a
# glob: the frozen evaluation set lies beside them).
RESIDENT_SETS = (*"abcdefghijklmno", "t", "t2", "t3")


def resident_mix() -> list[str | tuple[float, float]]:
    """Each tuning conversation's first text once, shuffled (a fixed seed), every tenth update MESSAGES' location.

    MESSAGES repeats ten texts, which an engine that remembers a text's reading answers from memory after the
    first ten; a peak of residents brings new texts, and this mix does too (about 4,000 before one repeats).
    """
    from bench.blind.score import load_conversations

    seen: set[str] = set()
    texts: list[str] = []
    for name in RESIDENT_SETS:
        for conv in load_conversations(ROOT / "bench" / "blind" / f"understanding_{name}.yaml"):
            say = conv.turns[0].say
            if not say.startswith("@loc") and say not in seen:
                seen.add(say)
                texts.append(say)
    random.Random(13).shuffle(texts)
    where = next(m for m in MESSAGES if isinstance(m, tuple))
    mix: list[str | tuple[float, float]] = []
    for i, say in enumerate(texts):
        mix.extend([say, where] if i % 9 == 8 else [say])
    return mix


def updates(count: int, first_id: int, mix: Mix = MESSAGES, start: int = 0) -> list[tuple[int, bytes]]:
    """(chat id, body) pairs: one resident per update so that every update has exactly one answer to wait for.

    Update i says mix[start + i] (cycling): a caller that moves `start` on sends a server no text twice.
    """
    out = []
    for i in range(count):
        chat_id = 5_000_000 + first_id + i
        what = mix[(start + i) % len(mix)]
        if isinstance(what, tuple):
            update = location_update(first_id + i, chat_id, *what)
        else:
            update = text_update(first_id + i, chat_id, what)
        out.append((chat_id, json.dumps(update).encode()))
    return out


def bot_env(fake: FakeTelegram, database_url: str, log_level: str = "WARNING") -> dict[str, str]:
    """The environment of a `serve` process answering through `fake`."""
    return {
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(ROOT / "content"),
        "PSEUDONYM_KEY": "bench",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/telegram/webhook",
        "TELEGRAM_API_BASE_URL": fake.api_url,
        "LOG_LEVEL": log_level,
    }


async def query_log_rows(database_url: str) -> int | None:
    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM query_log"))).scalar_one())
    except Exception:
        return None  # no query log table (yet)
    finally:
        await db.dispose()


async def run(count: int, concurrency: int, warmup: int, database_url: str | None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-telegram-"))
    database_url = database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
    async with FakeTelegram() as fake:
        answered: dict[int, asyncio.Future[None]] = {}

        def on_sent(chat_id: int, _params: dict[str, Any]) -> None:
            future = answered.get(chat_id)
            if future is not None and not future.done():
                future.set_result(None)

        fake.on_sent = on_sent

        async def measure(base: str, path: str, batch: list[tuple[int, bytes]], end_to_end: bool) -> LoadResult:
            loop = asyncio.get_running_loop()
            for chat_id, _ in batch:
                answered[chat_id] = loop.create_future()

            async def completion(i: int) -> None:
                await answered[batch[i][0]]

            return await post_load(
                base + path,
                [body for _, body in batch],
                concurrency,
                headers={SECRET_HEADER: SECRET},
                completion=completion if end_to_end else None,
            )

        warm, measured = updates(warmup, 1), updates(count, 1_000_000)
        async with server_process(bare_command(WEBHOOK_PATH)) as base:
            await measure(base, WEBHOOK_PATH, warm, end_to_end=False)
            baseline = await measure(base, WEBHOOK_PATH, measured, end_to_end=False)
        # The floor: parse, one sendMessage to the fake, 200. No bot can answer faster than this.
        async with server_process(
            echo_command(WEBHOOK_PATH, "telegram", f"{fake.base_url}{fake.token}/sendMessage")
        ) as base:
            await measure(base, WEBHOOK_PATH, updates(warmup, 3_000_000), end_to_end=True)
            echo = await measure(base, WEBHOOK_PATH, updates(count, 4_000_000), end_to_end=True)
        env = bot_env(fake, database_url)
        async with server_process([sys.executable, "-m", "bot", "serve", "--no-worker"], env=env) as base:
            await fake.wait_until(lambda: bool(fake.webhook), within=30)
            await measure(base, WEBHOOK_PATH, warm, end_to_end=True)
            bot = await measure(base, WEBHOOK_PATH, measured, end_to_end=True)
            # What Telegram waits for: only the 200, the answers still being worked on behind it.
            # Past MAX_BACKLOG the route answers 503 and Telegram would deliver those again later;
            # only the updates acknowledged with a 200 are waited for.
            acks_batch = updates(count, 2_000_000)
            acknowledged: list[int] = []
            loop = asyncio.get_running_loop()
            for chat_id, _ in acks_batch:
                answered[chat_id] = loop.create_future()

            async def note(i: int) -> None:
                acknowledged.append(i)

            acks = await post_load(
                base + WEBHOOK_PATH, [b for _, b in acks_batch], concurrency, {SECRET_HEADER: SECRET}, note
            )
            last_ack = time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*(answered[acks_batch[i][0]] for i in acknowledged)), 600)
            backlog_s = time.perf_counter() - last_ack
        rows = await query_log_rows(database_url)
        return {
            "baseline": baseline,
            "echo": echo,
            "bot": bot,
            "acks": acks,
            "backlog_s": backlog_s,
            "query_log_rows": rows,
            "fake": fake.stats(),
            "database": database_url.split(":", 1)[0].split("+")[0],
        }


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A throwaway database on the local PostgreSQL server (tests/support/postgres.py's own database), as a URL."""
    async with own_postgres_database() as (name, _admin):
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def breakdown(per_step: int = 300) -> dict[str, float]:
    """CPU milliseconds per update for each step of the path, one update at a time, in this process.

    Sequential and in-process, so no step waits for another; 'send' includes the fake Bot API's own
    work (it runs in this process too), so it is an upper bound for the channel's share.
    """
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram.parse import parse
    from bot.runtime import Runtime
    from bot.storage import answer_outbox
    from tests.support.telegram_harness import telegram_settings

    async with FakeTelegram() as fake:
        settings = telegram_settings(Path(tempfile.mkdtemp(prefix="bench-telegram-steps-")), fake)
        service = await Runtime.open(settings, watch_interval=None)
        channel = TelegramChannel(service.handle, service.db, service.recipients, service.telegram_bot())
        await channel.start()
        raw = [json.loads(body) for _, body in updates(per_step + 20, 1)]
        for data in raw[:20]:  # warm caches and connections
            await channel.accept([data])
            await channel.drain()
        batch = raw[20:]
        steps: dict[str, float] = {}

        async def step(name: str, action: Any) -> list[Any]:
            started = time.process_time()
            out = [await action(i, data) for i, data in enumerate(batch)]
            steps[name] = (time.process_time() - started) * 1000 / len(batch)
            return out

        async def dedupe(_i: int, data: dict[str, Any]) -> Any:
            stored = [answer_outbox.Accepted(str(data["update_id"]), "", json.dumps(data))]
            return await answer_outbox.accept(service.db, "telegram", stored, datetime.now(UTC), timedelta(minutes=1))

        async def to_inbound(_i: int, data: dict[str, Any]) -> Any:
            return parse(data, channel.username).inbound

        async def engine(i: int, _data: dict[str, Any]) -> Any:
            return await service.handle(inbounds[i])

        async def send(i: int, data: dict[str, Any]) -> Any:
            return [await channel.sender.send(f"telegram:{data['update_id']}", r) for r in outcomes[i].replies]

        await step("store + dedupe (answer_outbox.accept)", dedupe)
        inbounds = await step("parse (the JSON read by parse.py)", to_inbound)
        outcomes = await step("service.handle (engine, state, query log)", engine)
        await step("render + sendMessage via PTB over the aiohttp session (incl. the fake)", send)
        await channel.close()
        await service.close()
        return steps


async def run_all(count: int, concurrency: int, warmup: int, postgres: bool) -> list[dict[str, Any]]:
    results = [await run(count, concurrency, warmup, None)]
    if postgres:
        async with postgres_database() as url:
            results.append(await run(count, concurrency, warmup, url))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also run on a throwaway local PostgreSQL database")
    args = parser.parse_args(argv)
    results = asyncio.run(run_all(args.updates, args.concurrency, args.warmup, args.postgres))
    steps = asyncio.run(breakdown())
    print(f"machine: {machine()}")
    print(f"updates: {args.updates} at concurrency {args.concurrency} (+{args.warmup} warm-up, not measured)")
    for result in results:
        baseline, bot = result["baseline"], result["bot"]
        print(f"\n## database: {result['database']}")
        print(
            format_table(
                [
                    ("bare aiohttp (parse JSON, 200)", baseline),
                    ("echo floor (parse JSON, one sendMessage, 200)", result["echo"]),
                    ("telegram webhook, update -> answer sent", bot),
                    ("telegram webhook, 200 only (answers in background)", result["acks"]),
                ]
            )
        )
        print(f"ratio (webhook / bare throughput): {bot.throughput / baseline.throughput:.3f}")
        print(f"ratio (echo floor / bare throughput): {result['echo'].throughput / baseline.throughput:.3f}")
        print(f"HTTP 200 latency during the end-to-end run: p50 {bot.ack_p50_ms:.1f} ms, p99 {bot.ack_p99_ms:.1f} ms")
        busy = result["acks"].statuses.get(503, 0)
        print(
            f"200-only run: its answers were all sent {result['backlog_s']:.1f} s after its last 200; "
            f"{busy} updates answered 503 (backlog full: left with Telegram to deliver again)"
        )
        print(f"query log rows written: {result['query_log_rows']}; fake Bot API: {result['fake']}")
    print("\n## CPU per update by step (one at a time, in-process, SQLite)")
    print("| step | CPU ms |\n| --- | ---: |")
    for name, ms in steps.items():
        print(f"| {name} | {ms:.2f} |")
    print(f"| total | {sum(steps.values()):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
