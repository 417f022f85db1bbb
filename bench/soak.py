"""Soak: mixed Telegram traffic at a steady rate through one `serve` process, recorded minute by minute.

    .venv/bin/python -m bench.soak [--minutes 30] [--rate 8] [--residents 24] [--postgres]

`python -m bot serve --no-worker` runs as its own process (SQLite in a temporary directory, or a
throwaway database on the local PostgreSQL server with `--postgres`)
and answers to the fake Bot API on loopback. Residents hold short conversations (greeting,
menu numbers, questions, shared locations, UHC flow steps, inline buttons), each on a fresh
chat, one step at a time; a global ticker lets out `rate` steps per second. Every 20th update
is posted twice, as Telegram does when it retries, to check that it is answered once.

Each minute: the serve process's resident memory (VmRSS) and Python memory blocks in use (from
its /healthz: growing blocks would be a leak; RSS also counts what the allocator keeps), p50/p99
latency (update posted -> first answer at the fake Bot API), answered steps per second, errors
(non-200, no answer within 30 s). At the end: messages lost (a step accepted with 200 and never answered) and
duplicates (a chat receiving the same text twice).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.webhook_common import machine, percentile
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from tests.support.servers import LOOPBACK, server_process
from tests.support.telegram_api import FakeTelegram, callback_update, location_update, text_update

ROOT = Path(__file__).resolve().parent.parent
SECRET = "soak-secret"
ANSWER_WITHIN = 30.0
READY_WITHIN = 180.0  # seconds `serve` may take to start (it builds its understanding first; slow on a busy machine)
LOC = (0.5071, 101.4478)  # a point in Pekanbaru
BUTTON = "@button"  # press the first inline button of the bot's last answer
# Conversations of a few steps each; no step repeats inside one, so a repeated text in a chat is a duplicate.
SCRIPTS: tuple[tuple[str | tuple[float, float], ...], ...] = (
    ("halo", "2", LOC),
    ("berobat gratis pakai KTP", "1", BUTTON, BUTTON),
    ("kapan imunisasi campak", "cara cek status BPJS", "/bantuan"),
    ("/start", BUTTON, "menu"),
    ("imunisasi bayi 2 bulan apa saja", "puskesmas terdekat", LOC),
)


@dataclass
class Minute:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    posted: int = 0


@dataclass
class Soak:
    fake: FakeTelegram
    url: str
    rate: float
    deadline: float
    minutes: list[Minute] = field(default_factory=lambda: [Minute()])
    lost: int = 0
    reposted: int = 0
    steps: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _chats: itertools.count[int] = field(default_factory=lambda: itertools.count(8_000_000))
    _permits: asyncio.Queue[None] = field(default_factory=lambda: asyncio.Queue(maxsize=1))
    markup: dict[int, Any] = field(default_factory=dict)  # each chat's last keyboard (for BUTTON steps)
    sent: int = 0

    def __post_init__(self) -> None:
        self.fake.on_sent = self._sent

    def _sent(self, chat_id: int, params: dict[str, Any]) -> None:
        """Keep each chat's last keyboard and a count; the fake's own lists are emptied so that a long run
        at hundreds of steps a second neither scans nor keeps every message (its duplicate count stays)."""
        self.sent += 1
        self.markup[chat_id] = params.get("reply_markup")
        self.fake.sent.clear()
        self.fake.calls.clear()

    @property
    def now(self) -> Minute:
        return self.minutes[-1]

    async def ticker(self) -> None:
        """Let out one step every 1/rate seconds (steady, not bursty: a missed tick is not made up)."""
        interval = 1.0 / self.rate
        next_at = time.monotonic()
        while time.monotonic() < self.deadline:
            if self._permits.empty():
                self._permits.put_nowait(None)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    async def resident(self, session: aiohttp.ClientSession, which: int) -> None:
        for script in itertools.cycle(SCRIPTS[which % len(SCRIPTS) :] + SCRIPTS[: which % len(SCRIPTS)]):
            chat_id = next(self._chats)
            for step in script:
                try:
                    await asyncio.wait_for(self._permits.get(), max(0.01, self.deadline - time.monotonic()))
                except TimeoutError:
                    return
                if time.monotonic() >= self.deadline:
                    return
                if not await self.step(session, chat_id, step):
                    break  # the conversation went wrong: start a new one
                await asyncio.sleep(0.3)  # a second reply of this step arrives before the next step

    def body(self, chat_id: int, step: str | tuple[float, float]) -> dict[str, Any] | None:
        update_id = next(self._ids)
        if isinstance(step, tuple):
            return location_update(update_id, chat_id, *step)
        if step == BUTTON:
            markup = self.markup.get(chat_id)
            keys = markup.get("inline_keyboard") if isinstance(markup, dict) else None
            if not keys:
                return text_update(update_id, chat_id, "1")  # a reply keyboard: type the number instead
            return callback_update(update_id, chat_id, keys[0][0]["callback_data"])
        return text_update(update_id, chat_id, step)

    async def step(self, session: aiohttp.ClientSession, chat_id: int, step: str | tuple[float, float]) -> bool:
        body = self.body(chat_id, step)
        assert body is not None
        data = json.dumps(body).encode()
        before = self.fake.sent_per_chat[chat_id]
        minute = self.now
        minute.posted += 1
        self.steps += 1
        started = time.perf_counter()
        twice = self.steps % 20 == 0
        try:
            statuses = await asyncio.gather(*(self.post(session, data) for _ in range(2 if twice else 1)))
        except (aiohttp.ClientError, OSError, TimeoutError):
            minute.errors += 1
            return False
        self.reposted += twice
        if statuses[0] != 200:
            minute.errors += 1
            return False
        try:
            await self.fake.wait_until(lambda: self.fake.sent_per_chat[chat_id] > before, ANSWER_WITHIN)
        except TimeoutError:
            minute.errors += 1
            self.lost += 1
            return False
        minute.latencies_ms.append((time.perf_counter() - started) * 1000)
        return True

    async def post(self, session: aiohttp.ClientSession, data: bytes) -> int:
        headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
        async with session.post(self.url, data=data, headers=headers) as response:
            await response.read()
            return response.status


def child_pid(word: str) -> int:
    """The pid of this process's child whose command line contains `word` (the server_process child)."""
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me and word in cmdline:
            return int(entry.name)
    raise RuntimeError(f"no child process running {word!r}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def python_blocks(session: aiohttp.ClientSession, base: str) -> int:
    """The serve process's Python memory blocks in use, from its /healthz (0 if it did not answer)."""
    try:
        async with session.get(base + "/healthz") as response:
            return int((await response.json())["process"]["python_blocks"])
    except (aiohttp.ClientError, ValueError, KeyError, TypeError):
        return 0


def row(n: int, minute: Minute, rss: float, blocks: int) -> dict[str, float]:
    lat = minute.latencies_ms
    return {
        "minute": n,
        "rss_mb": round(rss, 1),
        "python_kblocks": round(blocks / 1000, 1),
        "answered": len(lat),
        "per_s": round(len(lat) / 60, 2),
        "p50_ms": round(percentile(lat, 50), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "errors": minute.errors,
        "load": round(os.getloadavg()[0], 1),
    }


def print_row(r: dict[str, float]) -> None:
    print(
        f"| {r['minute']:.0f} | {r['rss_mb']:.1f} | {r['python_kblocks']:.1f} | {r['answered']:.0f} | {r['per_s']:.2f} | {r['p50_ms']:.1f} "
        f"| {r['p99_ms']:.1f} | {r['errors']:.0f} | {r['load']:.1f} |",
        flush=True,
    )


async def run(minutes: float, rate: float, residents: int, database_url: str | None = None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    async with FakeTelegram() as fake:
        env = {
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{workdir}/soak.db",
            "CONTENT_DIR": str(ROOT / "content"),
            "PSEUDONYM_KEY": "soak",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_WEBHOOK_URL": "https://soak.invalid/telegram/webhook",
            "TELEGRAM_API_BASE_URL": fake.api_url,
        }
        serve = [sys.executable, "-m", "bot", "serve", "--no-worker"]
        async with server_process(serve, env=env, ready_within=READY_WITHIN) as base:
            assert base.startswith(f"http://{LOOPBACK}:")
            pid = child_pid("serve")
            await fake.wait_until(lambda: bool(fake.webhook), within=30)
            started = time.monotonic()
            soak = Soak(fake, base + WEBHOOK_PATH, rate, started + minutes * 60)
            rows: list[dict[str, float]] = []
            print(
                f"soak: {minutes} min, {rate}/s, {residents} residents, serve pid {pid}, start RSS {rss_mb(pid):.1f} MB"
            )
            print(
                "| minute | RSS MB | Python blocks (thousands) | answered | answered/s | p50 ms | p99 ms | errors | load |"
            )
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)

            async def recorder(session: aiohttp.ClientSession) -> None:
                n = 0
                while time.monotonic() < soak.deadline:
                    await asyncio.sleep(min(60.0, max(0.0, soak.deadline - time.monotonic())))
                    n += 1
                    minute, soak.minutes = soak.now, [*soak.minutes, Minute()]
                    rows.append(row(n, minute, rss_mb(pid), await python_blocks(session, base)))
                    print_row(rows[-1])

            connector = aiohttp.TCPConnector(limit=residents * 2 + 1)
            async with aiohttp.ClientSession(connector=connector) as session:
                await asyncio.gather(
                    soak.ticker(), recorder(session), *(soak.resident(session, i) for i in range(residents))
                )
            await asyncio.sleep(3)  # answers still on their way
            final_rss = rss_mb(pid)
    all_lat = [lat for m in soak.minutes for lat in m.latencies_ms]
    return {
        "minutes": minutes,
        "rate": rate,
        "residents": residents,
        "rows": rows,
        "steps": soak.steps,
        "answered": len(all_lat),
        "throughput_per_s": round(len(all_lat) / (minutes * 60), 2),
        "p50_ms": round(percentile(all_lat, 50), 1),
        "p99_ms": round(percentile(all_lat, 99), 1),
        "errors": sum(m.errors for m in soak.minutes),
        "lost": soak.lost,
        "reposted_updates": soak.reposted,
        "duplicates": fake.duplicates,
        "final_rss_mb": round(final_rss, 1),
        "database": (database_url or "sqlite").split(":", 1)[0].split("+")[0],
        "fake": {"sent": soak.sent, "chats": len(fake.sent_per_chat)},
        "machine": machine(),
    }


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    if not args.postgres:
        return await run(args.minutes, args.rate, args.residents)
    from bench.webhook_telegram import postgres_database

    async with postgres_database() as url:
        return await run(args.minutes, args.rate, args.residents, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=8.0, help="conversation steps per second")
    parser.add_argument("--residents", type=int, default=24, help="conversations in progress at once")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--postgres", action="store_true", help="a throwaway database on the local PostgreSQL server")
    args = parser.parse_args(argv)
    summary = asyncio.run(_run(args))
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if summary["lost"] == 0 and summary["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
