"""Broadcast throughput against the fake Telegram Bot API, which enforces the limits and answers 429.

    .venv/bin/python -m bench.broadcast --db sqlite --seconds 120            # (a) real limits, 30/s
    .venv/bin/python -m bench.broadcast --db postgres --subscribers 100000 --scale 100 --sender raw  # (b) 3,000/s

The fake and each worker (`--workers N`, each with 1/N of the limits) run in their own processes,
as in production; the fake counts what it accepted. Each worker sends as `python -m bot worker` does
(`--sender bot`: the runtime's TelegramSender, one JSON POST per message on its aiohttp session), or
through PTB's `Bot.send_message` over httpx (`ptb-httpx`, the path before issue 23), or through the
bare client below (`raw`).
Reports: achieved messages/s as a fraction of the limit (first to last accepted message), 429s,
duplicates, losses (recipients without a message), peak memory (RSS) and CPU per message sent of the
worker processes.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import multiprocessing as mp
import resource
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent


class RawBotApiSender:
    """A bare Bot API client (aiohttp, keep-alive, text only): what the queue reaches with no sender's work
    of its own, the yardstick for `--sender bot`. Same answers as TelegramSender."""

    channel = "telegram"

    def __init__(self, base_url: str, connections: int = 64) -> None:
        import aiohttp

        self.base_url = base_url
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))

    async def send(self, user_key: str, reply: Any) -> Any:
        import aiohttp

        from bot.delivery import SendResult

        chat_id = int(user_key.split(":", 1)[1])
        try:
            async with self.session.post(
                f"{self.base_url}/sendMessage", json={"chat_id": chat_id, "text": reply.text}
            ) as r:
                body = await r.json()
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(ok=False, transient=True, error=str(exc))
        if body.get("ok"):
            return SendResult(ok=True)
        if r.status == 429:
            return SendResult(ok=False, retry_after=float(body["parameters"]["retry_after"]), error="429")
        if r.status == 403:
            return SendResult(ok=False, blocked=True, error=body.get("description", ""))
        return SendResult(ok=False, transient=r.status >= 500, error=body.get("description", ""))

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> Any:
        from bot.engine.types import Reply

        return await self.send(user_key, Reply(" ".join(params)))

    async def close(self) -> None:
        await self.session.close()


def _fake_process(limit: float, per_chat: float, port_out: Any, stop: Any, result_out: Any) -> None:
    from tests.support.telegram_api import FakeTelegram, Limits

    async def main() -> None:
        async with FakeTelegram(limits=Limits(global_per_second=limit, per_chat_per_second=per_chat)) as tg:
            port_out.send((tg.port, tg.token))
            while not stop.is_set():  # noqa: ASYNC110 - a multiprocessing Event, not an asyncio one
                await asyncio.sleep(0.2)
            times = [c.at for c in tg.calls if c.method.lower() == "sendmessage" and c.status == 200]
            chats = [int(m["chat_id"]) for m in tg.sent]
            result_out.send(
                {"stats": tg.stats(), "first": min(times, default=0), "last": max(times, default=0), "chats": chats}
            )

    asyncio.run(main())


async def _ceiling(ctx: Any, messages: int) -> float:
    """Baseline in the same run: messages/s the fake and this client reach with no queue and no limit."""
    import aiohttp

    port_in, port_out = ctx.Pipe(False)
    result_in, result_out = ctx.Pipe(False)
    stop = ctx.Event()
    fake = ctx.Process(target=_fake_process, args=(1e9, 1e9, port_out, stop, result_out), daemon=True)
    fake.start()
    port, token = port_in.recv()
    gate = asyncio.Semaphore(64)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:

        async def one(i: int) -> None:
            async with (
                gate,
                session.post(f"http://127.0.0.1:{port}/bot{token}/sendMessage", json={"chat_id": i, "text": "x"}) as r,
            ):
                await r.read()

        started = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(messages)))
        rate = messages / (time.monotonic() - started)
    stop.set()
    result_in.recv()
    fake.join(10)
    return rate


def _worker_process(
    args: argparse.Namespace, url: str, schema: str | None, tmp: str, base: str, stop: Any, out: Any
) -> None:
    """One `Worker` (as `python -m bot worker` runs it) with 1/N of every limit; reports its peak RSS."""

    async def main() -> None:
        from bot.broadcast.worker import Worker, WorkerConfig
        from bot.knowledge.holder import ContentHolder
        from bot.runtime import Runtime
        from bot.storage.db import Database
        from tests.support.settings import CONTENT, make_settings

        api, token = base.rsplit("/bot", 1)
        settings = dataclasses.replace(
            make_settings(Path(tmp)), telegram_token=token, telegram_api_base_url=f"{api}/bot"
        )
        db = Database(url, schema=schema)
        service = Runtime(settings, db, ContentHolder(CONTENT))
        sender: Any
        if (
            args.sender == "bot"
        ):  # as `python -m bot worker` opens it: TelegramSender over the runtime's aiohttp session
            await service.open_senders()
            sender, closing = service.senders["telegram"], service.close
        elif args.sender == "ptb-httpx":  # the earlier path: PTB's Bot.send_message over httpx
            from telegram import Bot
            from telegram.request import HTTPXRequest

            from bot.channels.telegram.send import TelegramSender

            bot = Bot(token, base_url=f"{api}/bot", request=HTTPXRequest(connection_pool_size=64))
            await bot.initialize()
            sender, closing = TelegramSender(bot), bot.shutdown
        else:
            sender = RawBotApiSender(base)
            closing = sender.close
        share = args.workers
        config = WorkerConfig(
            telegram_rate=30.0 * args.scale / share, telegram_chat_interval=1.0 / args.scale, lanes=args.lanes,
            poll_seconds=0.05, housekeeping_seconds=2.0, slice_seconds=args.slice, margin=args.margin,
        )  # fmt: skip
        halt = asyncio.Event()
        task = asyncio.create_task(Worker(service.db, service.content, {"telegram": sender}, config).run(halt))
        while not stop.is_set():  # noqa: ASYNC110 - a multiprocessing Event, not an asyncio one
            await asyncio.sleep(0.1)
        halt.set()
        await task
        await closing()
        await db.dispose()

    asyncio.run(main())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.send((usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime))


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    from bot.storage import broadcasts, migrations
    from bot.storage.db import Database
    from bot.storage.subscriptions import Subscriber

    limit = 30.0 * args.scale
    per_chat = 1.0 * args.scale
    recipients = args.subscribers or int(limit * args.seconds)
    ctx = mp.get_context("spawn")
    ceiling = await _ceiling(ctx, min(recipients, 10_000))
    port_in, port_out = ctx.Pipe(False)
    result_in, result_out = ctx.Pipe(False)
    stop = ctx.Event()
    fake = ctx.Process(target=_fake_process, args=(limit, per_chat, port_out, stop, result_out), daemon=True)
    fake.start()
    port, token = port_in.recv()
    schema = None
    with TemporaryDirectory() as tmp:
        if args.db == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        else:
            import asyncpg

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
            await conn.execute(f'CREATE SCHEMA "{schema}"')
            await conn.close()
            url = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        db = Database(url, schema=schema)
        await migrations.upgrade(db)
        now = datetime.now(UTC)
        rows = [
            {"user_key": f"telegram:{100000 + i}", "channel": "telegram", "lang": "id", "active": True,
             "blocked": False, "kelurahan_code": "14.71.01.1002", "kecamatan_code": "14.71.01",
             "created_at": now, "updated_at": now}
            for i in range(recipients)
        ]  # fmt: skip
        async with db.session() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(insert(Subscriber), rows[start : start + 5000])
        del rows
        broadcast_id = await broadcasts.create_broadcast(
            db, "bench:staff", "id", "staff", "Benchmark", None, datetime.now(UTC), None
        )
        worker_stop = ctx.Event()
        pipes = [ctx.Pipe(False) for _ in range(args.workers)]
        workers = [
            ctx.Process(
                target=_worker_process,
                args=(args, url, schema, tmp, f"http://127.0.0.1:{port}/bot{token}", worker_stop, out),
                daemon=True,
            )
            for _, out in pipes
        ]
        started = time.monotonic()
        for process in workers:
            process.start()
        while True:
            await asyncio.sleep(2.0)  # counting 100,000 rows is work for the database too: not too often
            counts = await broadcasts.counts(db, broadcast_id)
            if counts.total and counts.done:
                break
            if time.monotonic() - started > args.seconds * 3 + 120:
                break
        wall = time.monotonic() - started
        worker_stop.set()
        peaks, cpu = zip(*(receive.recv() for receive, _ in pipes), strict=True)
        for process in workers:
            process.join(30)
        stop.set()
        fake_result = result_in.recv()
        fake.join(10)
        await db.dispose()
        if schema:
            import asyncpg

            conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await conn.close()
    chats = fake_result["chats"]
    seen = set(chats)
    span = fake_result["last"] - fake_result["first"]
    achieved = (len(chats) - 1) / span if span > 0 else 0.0
    return {
        "db": args.db,
        "sender": args.sender,
        "workers": args.workers,
        "limit_per_s": limit,
        "recipients": recipients,
        "accepted": len(chats),
        "achieved_per_s": round(achieved, 2),
        "fraction_of_limit": round(achieved / limit, 4),
        "http_ceiling_per_s": round(ceiling, 1),
        "fraction_of_reachable": round(achieved / min(limit, ceiling), 4),
        "429s": fake_result["stats"]["too_many_requests"],
        "duplicates": len(chats) - len(seen),
        "losses": recipients - len(seen & {100000 + i for i in range(recipients)}),
        "queue": {"sent": counts.sent, "failed": counts.failed, "maybe_twice": counts.maybe_twice},
        "wall_s": round(wall, 1),
        "peak_rss_mb_per_worker": [round(peak, 1) for peak in peaks],
        # The workers' whole CPU (start-up, content, queue, sending) over the messages they sent.
        "worker_cpu_ms_per_message": round(sum(cpu) * 1000 / max(len(chats), 1), 3),
        "peak_rss_mb_bench": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=120.0, help="(a) how long to send at the limit")
    parser.add_argument("--subscribers", type=int, default=0, help="(b) recipients; default limit × seconds")
    parser.add_argument("--scale", type=float, default=1.0, help="every limit (both sides) × this")
    parser.add_argument("--lanes", type=int, default=0, help="requests in flight (0: the worker's default)")
    parser.add_argument("--margin", type=float, default=0.985, help="pace at this fraction of the limit")
    parser.add_argument("--slice", type=float, default=0.2, help="seconds' worth of messages each lane claims")
    parser.add_argument("--workers", type=int, default=1, help="worker processes, each with 1/N of the limits")
    parser.add_argument(
        "--sender",
        choices=["bot", "ptb-httpx", "raw"],
        default="bot",
        help="bot: the worker's own sender (TelegramSender over the runtime's aiohttp session); "
        "ptb-httpx: PTB's Bot.send_message over httpx (the earlier path); raw: a lean aiohttp client",
    )
    print(json.dumps(asyncio.run(_run(parser.parse_args()))))


if __name__ == "__main__":
    main()
