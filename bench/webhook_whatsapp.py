"""WhatsApp webhook throughput: messages/s and p50/p99 latency, signed webhook in -> answer at the fake Graph API.

    .venv/bin/python -m bench.webhook_whatsapp [--messages 2000] [--concurrency 32] [--database-url URL]

The same benchmark as bench/webhook_telegram.py, through the WhatsApp path. Both servers
run as their own process, as in production: `python -m bot serve --no-worker` (signature
check, message-id dedupe, 24-hour window, engine, query log, sending to the fake Graph
API on loopback) and the bare aiohttp baseline that only parses the JSON and answers 200.
The same message mix goes to both at the same concurrency, each message from a different
resident. For the bot a request counts as done when its answer reached the fake Graph API;
for the baseline when the 200 is back. A second bot row counts the 200 alone (what Meta
sees), with the answers still being worked on in the background.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.webhook_common import LoadResult, bare_command, echo_command, format_table, machine, post_load
from bench.webhook_telegram import MESSAGES, Mix, query_log_rows
from bot.channels.whatsapp import PATH
from bot.channels.whatsapp.api import GraphConfig
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph
from tests.support.servers import server_process

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-app-secret"


def messages(count: int, first: int, mix: Mix = MESSAGES, start: int = 0) -> list[tuple[str, bytes]]:
    """(sender, body) pairs: one resident per webhook, so every body has exactly one answer to wait for.

    Message i says mix[start + i] (cycling), as bench.webhook_telegram.updates.
    """
    now = time.time()
    out = []
    for i in range(count):
        wa_id = f"628{first + i:010d}"
        what = mix[(start + i) % len(mix)]
        message = meta.location(wa_id, *what, at=now) if isinstance(what, tuple) else meta.text(wa_id, what, at=now)
        out.append((wa_id, json.dumps(meta.webhook([message])).encode()))
    return out


def _signed(_i: int, body: bytes) -> dict[str, str]:
    return {"X-Hub-Signature-256": meta.sign(body, SECRET)}


async def run(count: int, concurrency: int, warmup: int, database_url: str | None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-whatsapp-"))
    database_url = database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
    async with FakeGraph() as graph:

        async def measure(base: str, batch: list[tuple[str, bytes]], end_to_end: bool) -> LoadResult:
            async def completion(i: int) -> None:
                await graph.wait_for(batch[i][0])

            return await post_load(
                base + PATH,
                [body for _, body in batch],
                concurrency,
                headers=_signed,
                completion=completion if end_to_end else None,
            )

        warm, acked, measured = messages(warmup, 1), messages(count, 2_000_000), messages(count, 1_000_000)
        async with server_process(bare_command(PATH)) as base:
            await measure(base, warm, end_to_end=False)
            baseline = await measure(base, measured, end_to_end=False)
        # The floor: parse, one message to the fake Graph API, 200. No bot can answer faster than this.
        reply_url = GraphConfig(graph.base_url, graph.token, graph.phone_number_id).messages_url
        async with server_process(echo_command(PATH, "whatsapp", reply_url, f"Bearer {graph.token}")) as base:
            await measure(base, messages(warmup, 3_000_000), end_to_end=True)
            echo = await measure(base, messages(count, 4_000_000), end_to_end=True)
        env = {
            "DATABASE_URL": database_url,
            "CONTENT_DIR": str(ROOT / "content"),
            "PSEUDONYM_KEY": "bench",
            "WHATSAPP_ACCESS_TOKEN": graph.token,
            "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
            "WHATSAPP_APP_SECRET": SECRET,
            "WHATSAPP_VERIFY_TOKEN": "bench-verify",
            "WHATSAPP_API_BASE_URL": graph.base_url,
            "LOG_LEVEL": "WARNING",
        }
        async with server_process([sys.executable, "-m", "bot", "serve", "--no-worker"], env=env) as base:
            await measure(base, warm, end_to_end=True)
            bot = await measure(base, measured, end_to_end=True)
            ack = await measure(base, acked, end_to_end=False)
            started = time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*(graph.wait_for(wa_id) for wa_id, _ in acked)), 600)
            backlog = time.perf_counter() - started
        return {
            "baseline": baseline,
            "echo": echo,
            "bot": bot,
            "ack": ack,
            "backlog_seconds": backlog,
            "query_log_rows": await query_log_rows(database_url),
            "refused": len(graph.refused),
            "accepted": len(graph.accepted),
            "database": database_url.split(":", 1)[0],
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--database-url", help="default: a fresh SQLite file (as `serve` uses by default)")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.messages, args.concurrency, args.warmup, args.database_url))
    baseline, bot, ack = result["baseline"], result["bot"], result["ack"]
    print(f"machine: {machine()}")
    print(
        f"messages: {args.messages} at concurrency {args.concurrency} (+{args.warmup} warm-up); "
        f"database: {result['database']}"
    )
    print(
        format_table(
            [
                ("bare aiohttp (parse JSON, 200)", baseline),
                ("echo floor (parse JSON, one message sent, 200)", result["echo"]),
                ("whatsapp webhook, message -> answer sent", bot),
                ("whatsapp webhook, 200 only (answers in background)", ack),
            ]
        )
    )
    print(f"ratio (webhook end to end / bare throughput): {bot.throughput / baseline.throughput:.3f}")
    print(f"ratio (webhook 200 only / bare throughput): {ack.throughput / baseline.throughput:.3f}")
    print(f"ratio (echo floor / bare throughput): {result['echo'].throughput / baseline.throughput:.3f}")
    print(f"background answers of the 200-only run finished {result['backlog_seconds']:.1f} s after the last 200")
    print(
        f"query log rows written: {result['query_log_rows']}; fake Graph API: "
        f"{result['accepted']} messages accepted, {result['refused']} refused"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
