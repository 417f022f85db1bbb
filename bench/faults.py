"""The answering path under Bot API faults, with real timings: nothing lost, nothing doubled, nobody held up.

    .venv/bin/python -m bench.faults [--postgres] [--rate 20]

`python -m bot serve --no-worker` runs as its own process against the fake Bot API in this one.
Residents write all the time (`--rate` new residents a second, one "halo" each, so each has
exactly one answer to wait for). Phases:

1. healthy (10 s): the baseline latency, update in -> answer at the fake;
2. sendMessage answers 500 for 3 s, then healthy 5 s, then 500 for 30 s, then healthy 5 s,
   then every sendMessage hangs for 60 s (the bot's own 10 s timeout ends each try);
3. isolation (30 s): 24 chats whose sends hang 60 s (three times the engine's turns at once),
   while healthy residents keep writing: their median latency against phase 1's.

Then it waits until every answer arrived (or 240 s) and counts lost and doubled answers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.webhook_common import machine
from bench.webhook_telegram import SECRET, bot_env, postgres_database
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from tests.support.servers import server_process
from tests.support.telegram_api import FakeTelegram, text_update


class Traffic:
    """Residents writing at a steady rate; when each answer arrived."""

    def __init__(self, fake: FakeTelegram, base: str, rate: float) -> None:
        self.fake, self.base, self.rate = fake, base, rate
        self.posted: dict[int, float] = {}
        self.arrived: dict[int, float] = {}
        self.refused = 0
        self.next_chat = 7_000_000
        fake.on_sent = self._arrived

    def _arrived(self, chat: int, _params: dict[str, Any]) -> None:
        self.arrived.setdefault(chat, time.perf_counter())

    async def post(self, session: aiohttp.ClientSession, chat: int) -> None:
        body = json.dumps(text_update(chat, chat, "halo")).encode()
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        self.posted[chat] = time.perf_counter()
        for _ in range(100):  # a non-2xx is delivered again, as Telegram does
            async with session.post(self.base + WEBHOOK_PATH, data=body, headers=headers) as response:
                if response.status == 200:
                    return
            self.refused += 1
            await asyncio.sleep(1)

    async def run(self, session: aiohttp.ClientSession, seconds: float) -> list[int]:
        """Residents for `seconds`; their chat ids."""
        chats: list[int] = []
        tasks = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            chat, self.next_chat = self.next_chat, self.next_chat + 1
            chats.append(chat)
            tasks.append(asyncio.create_task(self.post(session, chat)))
            await asyncio.sleep(1 / self.rate)
        await asyncio.gather(*tasks)
        return chats

    def latencies(self, chats: list[int]) -> list[float]:
        return [self.arrived[c] - self.posted[c] for c in chats if c in self.arrived]


async def run(rate: float, database_url: str | None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    database_url = database_url or f"sqlite+aiosqlite:///{workdir}/bench.db"
    async with FakeTelegram() as fake:
        env = bot_env(fake, database_url, "ERROR")
        command = [sys.executable, "-m", "bot", "serve", "--no-worker"]
        async with server_process(command, env=env) as base, aiohttp.ClientSession() as session:
            await fake.wait_until(lambda: bool(fake.webhook), within=30)
            traffic = Traffic(fake, base, rate)
            await traffic.run(session, 2)  # warm-up
            healthy = await traffic.run(session, 10)
            outage: list[int] = []
            phases: list[tuple[str, float, list[int]]] = []  # (fault, when it ended, residents who wrote in it)
            for fault, seconds, after in ((500, 3, 5), (500, 30, 5), ("hang", 60, 0)):
                if fault == "hang":
                    fake.hang(60.0)
                else:
                    fake.outage(int(fault))
                during = await traffic.run(session, seconds)
                fake.recover()
                recovered = time.perf_counter()
                phases.append((f"{fault} for {seconds} s", recovered, during))
                outage += during
                outage += await traffic.run(session, after) if after else []
            hanging = set(range(100, 124))
            fake.hang(60.0, chats=hanging)
            await asyncio.gather(*(traffic.post(session, c) for c in sorted(hanging)))
            isolated = await traffic.run(session, 30)
            fake.recover()
            everyone = [*traffic.posted]
            with contextlib.suppress(TimeoutError):
                await fake.wait_until(lambda: all(c in traffic.arrived for c in everyone), within=240)
            last = max(traffic.arrived.values(), default=recovered)
        sent = fake.sent_per_chat
        base_median = statistics.median(traffic.latencies(healthy))
        iso_median = statistics.median(traffic.latencies(isolated))
        return {
            "database": database_url.split(":", 1)[0].split("+")[0],
            "residents": len(everyone),
            "during_outages": len(outage),
            "lost": sum(1 for c in everyone if sent[c] == 0),
            "doubled": sum(1 for c in everyone if sent[c] > 1),
            "refused_503": traffic.refused,
            "all_answered_s_after_last_recovery": round(last - recovered, 1),
            # per fault: residents who wrote during it, answered, and when the last of them was after it ended
            "faults": {
                name: {
                    "wrote": len(chats),
                    "answered": sum(1 for c in chats if sent[c]),
                    "last_answer_s_after_recovery": round(max(traffic.arrived.get(c, end) for c in chats) - end, 1),
                }
                for name, end, chats in phases
            },
            "healthy_median_ms": round(base_median * 1000, 1),
            "isolation_median_ms": round(iso_median * 1000, 1),
            "isolation_ratio": round(iso_median / base_median, 2),
            "isolation_p90_ms": round(statistics.quantiles(traffic.latencies(isolated), n=10)[-1] * 1000, 1),
            "sendMessage_calls": fake.stats().get("requests", {}).get("sendMessage"),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20.0, help="new residents per second")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway local PostgreSQL database")
    args = parser.parse_args(argv)

    async def go() -> dict[str, Any]:
        if args.postgres:
            async with postgres_database() as url:
                return await run(args.rate, url)
        return await run(args.rate, None)

    print(machine())
    result = asyncio.run(go())
    print(json.dumps(result, indent=2))
    return 0 if result["lost"] == 0 and result["doubled"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
