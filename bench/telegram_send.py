"""What one Telegram answer costs the sender: python-telegram-bot over httpx vs over aiohttp, same run.

    .venv/bin/python -m bench.telegram_send [--sends 2000] [--rounds 2] [--concurrency 1,32]

The fake Bot API (tests/support/telegram_api.py) runs in its own process, so this process's CPU
time (`time.process_time`) is the sending side alone. Each round measures, in turn:
- `Bot.send_message` with PTB's default `HTTPXRequest` (pool of 64, as bot/channels/telegram/send.py);
- `Bot.send_message` with `AiohttpRequest` on one pooled aiohttp session (what the runtime gives the Bot);
- the bot's answers since issue 23: `TelegramSender.send_one` over the same AiohttpRequest, one JSON
  POST read as PTB reads the reply, without `Bot.send_message` (bot/channels/telegram/send.py);
- a bare aiohttp POST of the same form on the same kind of session (no PTB): the floor.
One text with an inline keyboard per send, to a different chat each time; `--concurrency 1`
sends one at a time, 32 keeps that many in flight (as a busy webhook does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.request import HTTPXRequest

from bench.webhook_common import machine
from bot.channels.telegram import aiohttp_request
from bot.channels.telegram.render import Outgoing
from bot.channels.telegram.send import TelegramSender
from tests.support.servers import LOOPBACK, server_process
from tests.support.telegram_api import FakeTelegram

TEXT = "Imunisasi dasar lengkap untuk bayi 2 bulan: <b>DPT-HB-Hib 1</b>, Polio tetes 2, PCV 1, Rotavirus 1."
KINDS = ("ptb_httpx", "ptb_aiohttp", "sender_direct", "bare_aiohttp")
MARKUP = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Jadwal lengkap", callback_data="intent:imunisasi_jadwal")],
     [InlineKeyboardButton("Menu utama", callback_data="menu")]]
)  # fmt: skip


async def load(send: Callable[[int], Awaitable[Any]], count: int, concurrency: int) -> tuple[float, float]:
    """(CPU ms per send, sends per second of wall time) for `count` sends, `concurrency` in flight."""
    next_chat = iter(range(count))

    async def worker() -> None:
        for i in next_chat:
            await send(10_000_000 + i)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / count, count / wall


def sender(bot: Bot) -> Callable[[int], Awaitable[Any]]:
    return lambda chat: bot.send_message(chat, TEXT, parse_mode="HTML", reply_markup=MARKUP)


def bare_sender(http: aiohttp.ClientSession, url: str) -> Callable[[int], Awaitable[Any]]:
    """The same form PTB posts, on the same kind of session, without PTB."""
    markup = json.dumps(MARKUP.to_dict())

    async def send(chat: int) -> None:
        form = {"chat_id": str(chat), "text": TEXT, "parse_mode": "HTML", "reply_markup": markup}
        async with http.post(url, data=form) as response:
            json.loads(await response.read())

    return send


async def cell(kind: str, base: str, token: str, sends: int, concurrency: int) -> tuple[float, float]:
    """One measurement: a fresh client of `kind`, warmed with 50 sends, then `sends` sends."""
    if kind == "ptb_httpx":
        async with Bot(token, base_url=base, request=HTTPXRequest(connection_pool_size=64, read_timeout=10)) as bot:
            await load(sender(bot), 50, 4)
            return await load(sender(bot), sends, concurrency)
    async with aiohttp_request.session() as http:
        if kind == "ptb_aiohttp":
            async with Bot(token, base_url=base, request=aiohttp_request.AiohttpRequest(http)) as bot:
                await load(sender(bot), 50, 4)
                return await load(sender(bot), sends, concurrency)
        if kind == "sender_direct":
            async with Bot(token, base_url=base, request=aiohttp_request.AiohttpRequest(http)) as bot:
                direct = TelegramSender(bot)
                await load(lambda chat: direct.send_one(chat, Outgoing(TEXT, MARKUP)), 50, 4)
                return await load(lambda chat: direct.send_one(chat, Outgoing(TEXT, MARKUP)), sends, concurrency)
        send = bare_sender(http, f"{base}{token}/sendMessage")
        await load(send, 50, 4)
        return await load(send, sends, concurrency)


async def run(fake_api: str, token: str, sends: int, rounds: int, levels: list[int]) -> list[dict[str, Any]]:
    results = []
    for r in range(rounds):
        for concurrency in levels:
            row: dict[str, Any] = {"round": r + 1, "concurrency": concurrency, "load": os.getloadavg()[0]}
            for kind in KINDS:
                row[kind] = await cell(kind, f"{fake_api}/bot", token, sends, concurrency)
            results.append(row)
    return results


async def main_async(sends: int, rounds: int, levels: list[int]) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "bench.telegram_send", "--serve-fake", "{port}"]
    async with server_process(command) as base, aiohttp.ClientSession() as http:
        async with http.get(f"{base}/fake") as response:
            fake = await response.json()
        return await run(fake["api_url"], fake["token"], sends, rounds, levels)


async def serve_fake(port: int) -> None:
    """The fake Bot API in this process, and on `port` a page saying where it listens."""
    async with FakeTelegram() as fake:
        fake.on_sent = lambda _chat, _params: fake.sent.clear()  # keep memory flat over many rounds
        app = web.Application()
        app.router.add_get("/fake", lambda _r: _json({"api_url": fake.api_url, "token": fake.token}))
        app.router.add_get("/healthz", lambda _r: _json({"ok": True}))
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, LOOPBACK, port).start()
        await asyncio.Event().wait()


async def _json(body: dict[str, Any]) -> web.Response:
    return web.json_response(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sends", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", default="1,32")
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fake:
        asyncio.run(serve_fake(args.serve_fake))
        return 0
    levels = [int(c) for c in args.concurrency.split(",")]
    results = asyncio.run(main_async(args.sends, args.rounds, levels))
    print(f"machine: {machine()}; {args.sends} sends per cell; fake Bot API in its own process")
    print(
        "| round | in flight | load (1 min) | PTB + HTTPXRequest: CPU ms/send, sends/s "
        "| PTB + AiohttpRequest | TelegramSender (JSON POST) | bare aiohttp POST | HTTPX / aiohttp CPU |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in results:
        cells = [f"{row[k][0]:.3f} ms, {row[k][1]:.0f}/s" for k in KINDS]
        ratio = row["ptb_httpx"][0] / row["ptb_aiohttp"][0]
        print(f"| {row['round']} | {row['concurrency']} | {row['load']:.1f} | {' | '.join(cells)} | {ratio:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
