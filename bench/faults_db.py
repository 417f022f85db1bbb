"""PostgreSQL stopped for 10 s mid-traffic on both channels, through a real `serve` process: nothing lost, nothing doubled.

    .venv/bin/python -m bench.faults_db [--seconds 10] [--rate 10]

`python -m bot serve --no-worker` answers Telegram and WhatsApp (fake Bot API and Graph API in this
process) on a database of its own, reached through a TCP proxy in this process. "Stopping
PostgreSQL" is cutting that proxy: every open connection is reset and new ones are refused, for
this bot only (the shared cluster other work uses is left alone; tests/test_answering_faults.py
does the same). Residents write on both channels all the time (`--rate` a second on each, one
message each); a webhook answered with a non-2xx is delivered again a second later, as Telegram
and Meta do. Then it waits until every resident has an answer and counts lost and doubled ones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from typing import Any

import aiohttp

from bench.webhook_common import machine
from bench.webhook_telegram import SECRET, bot_env
from bot.channels import whatsapp
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph
from tests.support.postgres import own_postgres_database
from tests.support.servers import server_process
from tests.support.tcp_proxy import TcpProxy
from tests.support.telegram_api import FakeTelegram, text_update

WA_SECRET = "bench-app-secret"


class Residents:
    """One message each on both channels; when it was first posted, how often refused, when answered."""

    def __init__(self, base: str, session: aiohttp.ClientSession, tg: FakeTelegram, graph: FakeGraph) -> None:
        self.base, self.session, self.tg, self.graph = base, session, tg, graph
        self.posted: dict[tuple[str, int], float] = {}
        self.refused = {"telegram": 0, "whatsapp": 0}
        self.answered: dict[tuple[str, int], float] = {}
        self.waiting: list[asyncio.Task[None]] = []
        tg.on_sent = lambda chat, _: self.answered.setdefault(("telegram", chat), time.perf_counter())

    async def _whatsapp_answer(self, n: int) -> None:
        await self.graph.wait_for(wa(n))
        self.answered[("whatsapp", n)] = time.perf_counter()

    async def post(self, channel: str, n: int) -> None:
        if channel == "telegram":
            url, raw = self.base + WEBHOOK_PATH, json.dumps(text_update(n, n, "jadwal imunisasi campak")).encode()
            headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        else:
            body = meta.webhook([meta.text(wa(n), "halo", message_id=f"wamid.bench{n}")])
            url, raw = self.base + whatsapp.PATH, json.dumps(body).encode()
            headers = {"Content-Type": "application/json", "X-Hub-Signature-256": meta.sign(raw, WA_SECRET)}
        self.posted[(channel, n)] = time.perf_counter()
        if channel == "whatsapp":
            self.waiting.append(asyncio.create_task(self._whatsapp_answer(n)))
        for _ in range(300):
            try:
                async with self.session.post(url, data=raw, headers=headers) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            self.refused[channel] += 1
            await asyncio.sleep(1)  # the platform delivers it again

    async def run(self, seconds: float, rate: float, first: int) -> list[int]:
        ns, tasks, n = [], [], first
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            ns.append(n)
            tasks += [asyncio.create_task(self.post("telegram", n)), asyncio.create_task(self.post("whatsapp", n))]
            n += 1
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*tasks)
        return ns

    def median_ms(self, ns: list[int]) -> float:
        found = [self.answered[(c, n)] - self.posted[(c, n)] for c in ("telegram", "whatsapp") for n in ns]
        return round(statistics.median(found) * 1000, 1)


def wa(n: int) -> str:
    return f"62812{n:07d}"


async def run(seconds: float, rate: float) -> dict[str, Any]:
    async with own_postgres_database() as (name, _admin), TcpProxy(5432) as proxy:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/{name}"
        upgrade = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "upgrade", env={**os.environ, "DATABASE_URL": url}
        )
        assert await upgrade.wait() == 0
        async with FakeTelegram() as tg, FakeGraph() as graph:
            env = {
                **bot_env(tg, url, "ERROR"),
                "WHATSAPP_ACCESS_TOKEN": graph.token,
                "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
                "WHATSAPP_APP_SECRET": WA_SECRET,
                "WHATSAPP_VERIFY_TOKEN": "bench-verify",
                "WHATSAPP_API_BASE_URL": graph.base_url,
            }
            command = [sys.executable, "-m", "bot", "serve", "--no-worker"]
            async with server_process(command, env=env) as base, aiohttp.ClientSession() as session:
                residents = Residents(base, session, tg, graph)
                warm = await residents.run(2, rate, 1_000)  # warm-up: the first turns load what later ones reuse
                before = await residents.run(5, rate, 10_000)
                during = asyncio.create_task(residents.run(seconds + 4, rate, 20_000))
                await asyncio.sleep(2)
                await proxy.cut()  # "PostgreSQL stopped": connections reset, new ones refused
                cut_at = time.perf_counter()
                await asyncio.sleep(seconds)
                proxy.restore()
                restored = time.perf_counter()
                outage = await during
                after = await residents.run(5, rate, 30_000)
                everyone = warm + before + outage + after
                deadline = time.perf_counter() + 180
                while time.perf_counter() < deadline:
                    if len(residents.answered) >= 2 * len(everyone):
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(3)  # anything doubled arrives meanwhile
                for task in residents.waiting:
                    task.cancel()
        tg_copies = [tg.sent_per_chat[n] for n in everyone]
        wa_copies = [len(graph.sent_to(wa(n))) for n in everyone]
        last = max(residents.answered.values(), default=restored)
        return {
            "database": "postgresql (own database behind a TCP proxy, cut for the outage)",
            "outage_s": round(restored - cut_at, 1),
            "residents_per_channel": len(everyone),
            "written_during_outage_per_channel": len(outage),
            "refused_non_2xx": residents.refused,
            "lost": {"telegram": tg_copies.count(0), "whatsapp": wa_copies.count(0)},
            "doubled": {"telegram": sum(c > 1 for c in tg_copies), "whatsapp": sum(c > 1 for c in wa_copies)},
            "all_answered_s_after_restore": round(last - restored, 1),
            "median_ms_before": residents.median_ms(before) if before else None,
            "median_ms_after": residents.median_ms(after) if after else None,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the database is away")
    parser.add_argument("--rate", type=float, default=10.0, help="new residents per second on each channel")
    args = parser.parse_args(argv)
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    result = asyncio.run(run(args.seconds, args.rate))
    print(json.dumps(result, indent=2))
    bad = sum(result["lost"].values()) + sum(result["doubled"].values())
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
