"""The real `serve` app (or the polling loop) wired to the fake Bot API, for the Telegram tests and benchmark."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.channels.answering import Timing
from bot.channels.telegram import CHANNEL_KEY, SECRET_HEADER, WEBHOOK_PATH, TelegramChannel, run_polling
from bot.channels.telegram.send import make_bot
from bot.config import Settings
from bot.engine.types import Inbound, Outcome
from bot.runtime import Runtime
from bot.web.server import build_app
from tests.support.settings import CONTENT
from tests.support.telegram_api import FakeTelegram

SECRET = "tes-rahasia_123"
# The answering path's timings, shortened: retries in tenths of a second instead of seconds.
QUICK = Timing(poll=0.05, first_retry=0.1, max_retry=0.5, grace=2.0)
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"


def telegram_settings(tmp_path: Path, fake: FakeTelegram, database_url: str | None = None, **env: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            "CONTENT_DIR": str(CONTENT),
            "PSEUDONYM_KEY": "test-key",
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
            "TELEGRAM_API_BASE_URL": fake.api_url,
            **env,
        }
    )


@dataclass
class Spy:
    """Records what the engine decided for each inbound (the wire only shows the texts)."""

    turns: list[tuple[Inbound, Outcome]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def attach(self, service: Runtime, today: date | None = None) -> None:
        handle = service.handle

        async def spying(inbound: Inbound, today_: date | None = None) -> Outcome:
            outcome = await handle(inbound, today=today_ or today)
            self.turns.append((inbound, outcome))
            self.changed.set()
            return outcome

        service.handle = spying  # type: ignore[method-assign]


@dataclass
class Bench:
    """One running bot (webhook or polling) against the fake, with helpers to talk to it."""

    fake: FakeTelegram
    service: Runtime
    channel: TelegramChannel
    spy: Spy
    client: TestClient | None = None  # webhook mode only

    async def post(self, body: Any, secret: str | None = SECRET, raw: bytes | None = None) -> int:
        """POST to the webhook like Telegram; returns the HTTP status."""
        assert self.client is not None, "not in webhook mode"
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        data = raw if raw is not None else json.dumps(body).encode()
        async with self.client.post(WEBHOOK_PATH, data=data, headers=headers) as response:
            return response.status

    async def deliver(self, update: dict[str, Any]) -> Outcome:
        """Hand one update to the bot (webhook POST, or queued for getUpdates) and wait for its answer."""
        before = len(self.spy.turns)
        if self.client is not None:
            status = await self.post(update)
            assert status == 200, status
        else:
            self.fake.push_update(update)
        async with asyncio.timeout(15):
            while len(self.spy.turns) <= before:
                await self.spy.changed.wait()
                self.spy.changed.clear()
        await self.channel.drain()
        return self.spy.turns[before][1]


@asynccontextmanager
async def webhook_bot(settings: Settings, fake: FakeTelegram, today: date | None = None) -> AsyncIterator[Bench]:
    """The `serve` app (build_app, so the real route and startup) on a loopback test server."""
    service = await Runtime.open(settings, watch_interval=None)
    spy = Spy()
    spy.attach(service, today)
    app = build_app(service)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        channel = app[CHANNEL_KEY]
        channel.answers.timing = QUICK
        yield Bench(fake, service, channel, spy, client)
    finally:
        await client.close()
        await service.close()


@asynccontextmanager
async def polling_bot(settings: Settings, fake: FakeTelegram, today: date | None = None) -> AsyncIterator[Bench]:
    """`python -m bot poll`'s loop (run_polling) against the fake, with a short long-poll timeout."""
    service = await Runtime.open(settings, watch_interval=None)
    spy = Spy()
    spy.attach(service, today)
    bot = make_bot(settings, poll_timeout=1)
    channel = TelegramChannel(service.handle, service.db, service.recipients, bot, timing=QUICK)
    stop = asyncio.Event()
    task = asyncio.create_task(run_polling(channel, stop, poll_seconds=1))
    try:
        yield Bench(fake, service, channel, spy)
    finally:
        stop.set()
        await task
        await service.close()
