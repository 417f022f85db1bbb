"""Two real `serve` processes on one PostgreSQL: 200 users each send two messages at the same moment, one to
each process (a language choice and a shared location); both changes to each user's state are kept.

The state is saved with a version check and the turn retried on a conflict (bot.engine.state); this
shows it end to end, through the webhooks, the answer outbox and two processes' own connections.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.engine.state import load_state
from bot.storage.db import Database
from tests.support.postgres import own_postgres_database
from tests.support.servers import server_process
from tests.support.telegram_api import FakeTelegram, location_update, text_update

ROOT = Path(__file__).resolve().parent.parent
SECRET = "two-serve-secret"
KEY = "two-serve-key"
USERS = 200
AT_ONCE = 25  # pairs in flight together
NEAR_KANTOR = [0.51, 101.45]  # the shared location as the state keeps it (rounded to about 1 km)


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_serve_processes_lose_no_state_change() -> None:
    async with own_postgres_database() as (name, _admin), FakeTelegram() as tg, AsyncExitStack() as stack:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        env = {
            "DATABASE_URL": url,
            "CONTENT_DIR": str(ROOT / "content"),
            "PSEUDONYM_KEY": KEY,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": tg.api_url,
        }
        upgrade = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "upgrade", env={**os.environ, **env}, stdout=subprocess.DEVNULL
        )
        assert await upgrade.wait() == 0
        serve = [sys.executable, "-m", "bot", "serve", "--no-worker"]
        bases = [await stack.enter_async_context(server_process(serve, env=env)) for _ in range(2)]
        session = await stack.enter_async_context(aiohttp.ClientSession())
        gate = asyncio.Semaphore(AT_ONCE)

        async def post(base: str, body: dict[str, Any]) -> None:
            async with session.post(base + WEBHOOK_PATH, json=body, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200, await response.text()

        async def pair(i: int) -> None:
            chat = 700_000 + i
            one, two = bases if i % 2 else bases[::-1]  # each process gets the language choice half the time
            async with gate:
                await asyncio.gather(
                    post(one, text_update(2 * i + 1, chat, "/bahasa english")),
                    post(two, location_update(2 * i + 2, chat, 0.5071, 101.4478)),
                )

        chats = [700_000 + i for i in range(USERS)]
        await asyncio.gather(*(pair(i) for i in range(USERS)))
        await tg.wait_until(lambda: all(tg.sent_per_chat[c] >= 2 for c in chats), within=120)  # both answered
        db = Database(url)
        try:
            lost = []
            for chat in chats:
                state, _version = await load_state(db, f"telegram:{chat}", KEY.encode())
                kept = (state.lang, state.lang_chosen, state.profile.get("last_location"))
                if kept != ("en", True, NEAR_KANTOR):
                    lost.append((chat, kept))
        finally:
            await db.dispose()
        assert lost == [], f"{len(lost)} of {USERS} users lost a change: {lost[:5]}"
