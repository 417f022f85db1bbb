"""Where the Python heap grows per update: tracemalloc around the real Telegram path, in one process.

    .venv/bin/python -m bench.heap_growth [--warmup 1500] [--updates 3000]

Complements bench/soak.py (which sees the process's RSS from outside): the Telegram channel
(parse, service.handle with SQLite, send to the fake Bot API) processes `warmup` updates, then
`updates` more from new residents (four messages each); the difference between the two heap
snapshots shows what stays behind per update. Allocations made inside the fake Bot API (it
runs in this process and keeps what it received) are filtered out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import tracemalloc
from pathlib import Path

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.send import make_bot
from bot.runtime import Runtime
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import telegram_settings

MESSAGES = ("halo", "2", "berobat gratis pakai KTP", "1", "kapan imunisasi campak", "/bantuan", "menu")


async def run(warmup: int, updates: int, top: int, frames: int) -> None:
    async with FakeTelegram() as fake:
        settings = telegram_settings(Path(tempfile.mkdtemp(prefix="bench-heap-")), fake)
        service = await Runtime.open(settings, watch_interval=None)
        channel = TelegramChannel(service.handle, service.db, service.recipients, make_bot(settings))
        await channel.start()
        next_id = 1

        async def batch(count: int) -> None:
            nonlocal next_id
            for _ in range(count):
                chat_id = 10_000_000 + next_id // 4  # a new resident every four messages
                await channel.accept([text_update(next_id, chat_id, MESSAGES[next_id % len(MESSAGES)])])
                await channel.drain()
                next_id += 1

        await batch(warmup)
        gc.collect()
        tracemalloc.start(25)
        before = tracemalloc.take_snapshot()
        await batch(updates)
        gc.collect()
        after = tracemalloc.take_snapshot()
        mine = [tracemalloc.Filter(False, "*/tests/support/*", all_frames=True)]  # not the fake's own records
        diffs = after.filter_traces(mine).compare_to(before.filter_traces(mine), "traceback")
        grown = sum(d.size_diff for d in diffs)
        print(f"{updates} updates after {warmup} of warm-up: heap grew {grown / 1024:.0f} KiB in total")
        for d in diffs[:top]:
            frame = d.traceback[-1]  # where it was allocated (tracebacks run oldest first)
            print(f"  {d.size_diff / 1024:+.0f} KiB ({d.count_diff:+d} blocks) at {frame.filename}:{frame.lineno}")
            if frames:
                print("\n".join("      " + line for line in d.traceback.format(limit=-frames)))
        await channel.close()
        await service.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.heap_growth")
    parser.add_argument("--warmup", type=int, default=1500)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--frames", type=int, default=0, help="show this many frames of each allocation")
    args = parser.parse_args(argv)
    asyncio.run(run(args.warmup, args.updates, args.top, args.frames))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
