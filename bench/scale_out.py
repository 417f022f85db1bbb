"""Issue 23: two `serve` processes behind nginx on PostgreSQL against one, in the same run.

    .venv/bin/python -m bench.scale_out [--updates 2000] [--concurrency 64] [--rounds 2]

One PostgreSQL database (a throwaway one on the local server) and the fake Bot API (in this process);
nginx (deploy/nginx.conf, tests/support/nginx.py) in front of one `serve --no-worker` process, then of
two, alternating one, two, two, one... Each run posts bench/webhook_telegram.py's mix through nginx,
every update from a new resident, `--concurrency` in flight, and counts an update done when its answer
reached the fake. Reported per run: answered updates/s, p50/p99, the serve processes' CPU ms per update
and the 1-minute load average; then two/one per round. On a machine with fewer free cores than
processes (the load generator, the fake, nginx and PostgreSQL share them) two cannot reach twice one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass

from bench.webhook_common import LoadResult, machine
from bench.webhook_telegram import bot_env, postgres_database
from bench.wire import READY_WITHIN, Telegram, cpu_seconds, fresh, sustained
from tests.support.nginx import nginx
from tests.support.servers import server_process
from tests.support.telegram_api import FakeTelegram


@dataclass
class Run:
    processes: int
    load: float
    result: LoadResult
    cpu_ms: float

    def row(self) -> str:
        r = self.result
        return (
            f"| {self.processes} | {self.load:.1f} | {r.ok}/{r.sent} | {r.throughput:.0f} | "
            f"{r.p50_ms:.1f} / {r.p99_ms:.1f} | {self.cpu_ms:.2f} |"
        )


async def one_run(channel: Telegram, url: str, processes: int, count: int, concurrency: int) -> Run:
    env = bot_env(channel.fake, url)
    command = [sys.executable, "-m", "bot", "serve", "--no-worker"]
    async with AsyncExitStack() as stack:
        starting = (server_process(command, env=env, ready_within=READY_WITHIN) for _ in range(processes))
        served = [await stack.enter_async_context(s) for s in starting]
        ports = [int(s.rsplit(":", 1)[1]) for s in served]
        proxy, _ = await stack.enter_async_context(nginx(ports, worker_connections=1024))
        await sustained(channel, proxy, max(200, count // 5), fresh(), concurrency)  # warm-up
        load = os.getloadavg()[0]
        before = [cpu_seconds(s.pid) for s in served]
        result = await sustained(channel, proxy, count, fresh(), concurrency)
        spent = sum(cpu_seconds(s.pid) - b for s, b in zip(served, before, strict=True))
        return Run(processes, load, result, spent * 1000 / max(result.ok, 1))


async def run(args: argparse.Namespace) -> list[tuple[Run, Run]]:
    rounds = []
    async with FakeTelegram() as tg, postgres_database() as url:
        channel = Telegram(tg)
        for r in range(args.rounds):
            order = (1, 2) if r % 2 == 0 else (2, 1)
            done = {n: await one_run(channel, url, n, args.updates, args.concurrency) for n in order}
            rounds.append((done[1], done[2]))
            print(f"round {r + 1}: one {done[1].result.throughput:.0f}/s, two {done[2].result.throughput:.0f}/s")
    return rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rounds = asyncio.run(run(args))
    print(f"machine: {machine()}; started {started}; load average at the end {os.getloadavg()}")
    print(f"{args.updates} updates per run through nginx at concurrency {args.concurrency}, PostgreSQL")
    print("| serve processes | load | answered | updates/s | p50 / p99 ms | serve CPU ms/update |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for one, two in rounds:
        print(one.row())
        print(two.row())
    ratios = [two.result.throughput / max(one.result.throughput, 1e-9) for one, two in rounds]
    print("two / one, per round: " + ", ".join(f"{r:.2f}" for r in ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
