"""A real `python -m bot worker` killed with SIGKILL mid-broadcast, then restarted: no loss, no duplicate."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.storage import broadcasts, migrations, subscriptions
from bot.storage.db import Database
from tests.support.postgres import require_postgres
from tests.support.settings import CONTENT, ROOT
from tests.support.telegram_api import FakeTelegram, Limits

RECIPIENTS = 120
KILL_AT = 40  # the worker dies the moment the fake Telegram has accepted this many messages


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database a separate process can open by URL alone (on PostgreSQL: a fresh database)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/crash.db"
        return
    require_postgres()
    import asyncpg

    name = f"crash_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@pytest.mark.slow
async def test_sigkill_mid_broadcast_then_restart_loses_and_repeats_nothing(database_url: str, tmp_path: Path) -> None:
    db = Database(database_url)
    await migrations.upgrade(db)
    keys = [f"telegram:{1000 + i}" for i in range(RECIPIENTS)]
    for key in keys:
        await subscriptions.subscribe_area(db, key, "telegram", "id", "14.71.01.1002")
    broadcast_id = await broadcasts.create_broadcast(
        db, "console:staff", "id", "staff", "Imunisasi BIAS Kamis", None, datetime.now(UTC), None
    )
    async with FakeTelegram(limits=Limits(global_per_second=30, per_chat_per_second=1)) as tg:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CONTENT_DIR": str(CONTENT),
            "PSEUDONYM_KEY": "test-key",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.api_url,
            "BROADCAST_LANES": "1",
            "BROADCAST_SLICE_SECONDS": "0.01",  # one message per claim: exactly one in flight at the kill
            "BROADCAST_LEASE_SECONDS": "3",
            "BROADCAST_POLL_SECONDS": "0.2",
            "BROADCAST_HOUSEKEEPING_SECONDS": "0.5",
        }
        first = _start_worker(env)
        original = tg._m_sendmessage

        async def kill_on_receipt(p: dict[str, Any]) -> Any:
            result = await original(p)
            if len(tg.sent) == KILL_AT:  # accepted by "Telegram", the worker never hears back
                os.kill(first.pid, signal.SIGKILL)
            return result

        tg._m_sendmessage = kill_on_receipt  # type: ignore[method-assign]
        try:
            await asyncio.to_thread(first.wait, 60)
            assert first.returncode == -signal.SIGKILL
            assert len(tg.sent) == KILL_AT
            tg._m_sendmessage = original  # type: ignore[method-assign]
            second = _start_worker(env)
            try:
                await tg.wait_until(lambda: len(tg.sent) >= RECIPIENTS, within=60)

                async def settled() -> broadcasts.Counts:
                    for _ in range(100):
                        counts = await broadcasts.counts(db, broadcast_id)
                        if counts.done:
                            return counts
                        await asyncio.sleep(0.2)
                    raise AssertionError(f"broadcast did not finish: {counts}")

                counts = await settled()
            finally:
                second.send_signal(signal.SIGTERM)
                await asyncio.to_thread(second.wait, 30)
            stats = tg.stats()
        finally:
            if first.poll() is None:
                first.kill()
    await db.dispose()
    per_chat = {int(k.split(":")[1]): 0 for k in keys}
    for message in tg.sent:
        per_chat[int(message["chat_id"])] += 1
    assert set(per_chat.values()) == {1}, "every recipient exactly once"
    assert stats["duplicates"] == 0 and stats["too_many_requests"] == 0
    # the one message in flight at the kill is 'uncertain' (it did arrive); all others are 'sent'
    assert (counts.sent, counts.uncertain, counts.failed) == (RECIPIENTS - 1, 1, 0)
    assert second.returncode == 0
