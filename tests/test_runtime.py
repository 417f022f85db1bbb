"""The composition root (bot.runtime): every command's process follows content edits and closes in order."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import run_worker
from bot.broadcast.worker import Worker, WorkerConfig
from bot.channels.console import parse_line
from bot.runtime import Runtime
from bot.storage.db import Database
from bot.storage.querylog import QueryLog
from tests.support.settings import make_settings


async def test_the_worker_process_follows_a_content_edit_within_seconds(
    tmp_path: Path, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bot worker` once kept queueing from the content it started with until restarted."""
    seen: list[str] = []  # the content version each housekeeping round queued from
    a_round = asyncio.Event()
    housekeeping = Worker.housekeeping

    async def spying(self: Worker, now: datetime) -> None:
        seen.append(self.content().version)
        a_round.set()
        await housekeeping(self, now)

    async def next_round() -> str:
        a_round.clear()
        await a_round.wait()
        return seen[-1]

    monkeypatch.setattr(Worker, "housekeeping", spying)
    stop = asyncio.Event()
    config = WorkerConfig(housekeeping_seconds=0.05, poll_seconds=0.05, lanes=1)
    worker = asyncio.create_task(
        run_worker(make_settings(tmp_path, content=content_dir), stop, watch_interval=0.05, config=config)
    )
    try:
        async with asyncio.timeout(10):
            started_with = await next_round()
            office = content_dir / "office.yaml"
            office.write_text(office.read_text(encoding="utf-8") + "\n# diubah staf\n", encoding="utf-8")
            while await next_round() == started_with:
                pass
    finally:
        stop.set()
        await worker
    assert worker.result() == 0


async def test_closing_writes_the_queued_log_rows(tmp_path: Path) -> None:
    """Leaving the runtime writes what the query log still holds in memory (SIGTERM loses no row)."""
    settings = make_settings(tmp_path)
    async with Runtime.start(settings, watch_interval=0.05) as runtime:
        await runtime.handle(parse_line("jadwal imunisasi", "console:runtime"))
        assert runtime.querylog.writer.pending == 1  # written off the request path, not yet
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            assert await session.scalar(select(func.count()).select_from(QueryLog)) == 1
    finally:
        await db.dispose()
