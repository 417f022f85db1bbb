"""Real `python -m bot worker` processes killed with SIGKILL mid-broadcast: nobody goes without the message.

The queue is at least once (bot.storage.outbox): rows a dead worker had claimed but not started go
back to the queue as they were; rows whose request had started are sent again, counted, and
reported to the author. So after any kill: 0 recipients without the message, and duplicates
<= the rows that were 'sending' at the kill <= the dead worker's lanes (one request per lane).
The 20-kill loop of issue 20 is `bench/broadcast_kill.py`; the second test runs 5 of it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.storage import broadcasts, migrations
from bot.storage.db import Database
from tests.support.broadcast_kill import (
    AUTHOR,
    TWICE,
    kill_loop,
    received,
    settled,
    start_worker,
    stop_worker,
    subscribe,
    summaries_of,
    verdict,
    worker_env,
)
from tests.support.telegram_api import FakeTelegram, Limits


@pytest.mark.slow
async def test_sigkill_mid_broadcast_then_restart(database_url: str, tmp_path: Path) -> None:
    """One lane, killed the moment "Telegram" accepted the 40th message: that one is sent again and reported."""
    db = Database(database_url)
    await migrations.upgrade(db)
    chats = await subscribe(db, 120)
    broadcast_id = await broadcasts.create_broadcast(
        db, f"telegram:{AUTHOR}", "id", "staff", "Imunisasi BIAS Kamis", None, datetime.now(UTC), None
    )
    async with FakeTelegram(limits=Limits(global_per_second=30, per_chat_per_second=1)) as tg:
        env = worker_env(database_url, tg, lanes="1", claim_seconds="1", lease_seconds="2")
        first = await start_worker(env, tmp_path / "first.log")

        def kill_on_receipt(chat_id: int, _: dict[str, Any]) -> None:
            if len(tg.sent) == 40:  # accepted by "Telegram"; the worker never hears back
                os.kill(first.pid, signal.SIGKILL)

        tg.on_sent = kill_on_receipt
        assert await asyncio.wait_for(first.wait(), 60) == -signal.SIGKILL
        tg.on_sent = None
        assert len(tg.sent) == 40
        second = await start_worker(env, tmp_path / "second.log")
        try:
            await settled(db, [broadcast_id], lambda: len(summaries_of([tg])), within=120)
        finally:
            assert await stop_worker(second) == 0
        counts = await broadcasts.counts(db, broadcast_id)
    await db.dispose()
    got = received([tg], "Imunisasi BIAS Kamis")
    assert all(got[c] >= 1 for c in chats), "every recipient has the message"
    assert sorted(got[c] for c in chats)[-2:] == [1, 2], "exactly one, the one in flight at the kill, twice"
    assert (counts.sent, counts.maybe_twice, counts.failed, counts.uncertain) == (120, 1, 0, 0)
    assert "1 penerima " + TWICE in summaries_of([tg])[broadcast_id]
    assert tg.too_many == 0


@pytest.mark.slow
async def test_sigkill_at_random_moments(database_url: str, tmp_path: Path) -> None:
    """5 broadcasts of 300, each with a worker (4 lanes) killed at a random moment while another keeps going."""
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    result = await kill_loop(database_url, trials=5, recipients=300, lanes=4, seed=seed, workdir=tmp_path)
    assert verdict(result, recipients=300, lanes=4) == [], f"{result} (CRASH_SEED={seed})"
    assert all(t["sent_before_kill"] >= 1 for t in result["trials"])  # every victim died mid-broadcast
