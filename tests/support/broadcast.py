"""Broadcast worker tests' parts: a fast worker config, a steerable fake sender, subscribers, running until done."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from bot.broadcast.worker import Worker, WorkerConfig
from bot.delivery import SendResult
from bot.engine.types import Reply
from bot.knowledge.holder import ContentHolder
from bot.runtime import Runtime
from bot.storage import broadcasts, subscriptions
from bot.storage.db import Database
from tests.support.settings import CONTENT, make_settings

FAST = WorkerConfig(telegram_rate=2000, telegram_chat_interval=0, lanes=4, poll_seconds=0.05, housekeeping_seconds=0.1)


class FakeSender:
    """Records every send; steered per user: 'blocked', 'flood' (one 429) or 'flaky' (one 5xx)."""

    channel = "telegram"

    def __init__(self, steer: dict[str, str] | None = None) -> None:
        self.sent: Counter[str] = Counter()
        self.texts: dict[str, list[str]] = {}
        self.steer = dict(steer or {})
        self.tries: Counter[str] = Counter()

    async def send(self, user_key: str, reply: Reply) -> SendResult:
        self.tries[user_key] += 1
        await asyncio.sleep(0.001)
        mode = self.steer.get(user_key)
        if mode == "blocked":
            return SendResult(ok=False, blocked=True, error="Forbidden: bot was blocked by the user")
        if mode == "flood" and self.tries[user_key] == 1:
            return SendResult(ok=False, retry_after=0.2, error="Too Many Requests")
        if mode == "flaky" and self.tries[user_key] == 1:
            return SendResult(ok=False, transient=True, error="502 Bad Gateway")
        self.sent[user_key] += 1
        self.texts.setdefault(user_key, []).append(reply.text)
        return SendResult(ok=True)

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> SendResult:
        return await self.send(user_key, Reply(" ".join(params)))


def service_on(database: Database, tmp_path: Path) -> Runtime:
    return Runtime(make_settings(tmp_path), database, ContentHolder(CONTENT))


async def add_subscribers(db: Database, n: int, kelurahan: str = "14.71.01.1002", start: int = 1) -> list[str]:
    keys = [f"telegram:{i}" for i in range(start, start + n)]
    for key in keys:
        await subscriptions.subscribe_area(db, key, "telegram", "id", kelurahan)
    return keys


async def run_until_done(workers: list[Worker], db: Database, broadcast_id: int, within: float = 30.0) -> None:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(w.run(stop)) for w in workers]
    try:
        async with asyncio.timeout(within):
            while True:
                await asyncio.sleep(0.05)
                counts = await broadcasts.counts(db, broadcast_id)
                if counts.total and counts.done:
                    break
    finally:
        stop.set()
        await asyncio.gather(*tasks)
