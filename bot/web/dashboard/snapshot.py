"""The office report behind the overview and inbox, rebuilt in the background.

Building a month's report over a busy city's log takes seconds; a page may take well
under one. So the dashboard keeps the latest report and a background task rebuilds it
every few minutes: pages render what is ready and say how fresh it is. Only the very
first page after a start waits for a build.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.knowledge.content import Content
from bot.reports import Report, Wording, build_report
from bot.storage.db import Database

log = logging.getLogger(__name__)

REFRESH_SECONDS = 120.0
PERIOD_DAYS = 30


@dataclass(frozen=True)
class Snapshot:
    report: Report
    built_at: datetime  # UTC
    build_seconds: float


def period(today: date, days: int = PERIOD_DAYS) -> tuple[date, date]:
    return today - timedelta(days=days - 1), today


class ReportCache:
    def __init__(self, db: Database, content: Callable[[], Content], refresh: float = REFRESH_SECONDS) -> None:
        self.db, self.content, self.refresh = db, content, refresh
        self._snapshot: Snapshot | None = None
        self._lock = asyncio.Lock()
        self._wording: tuple[str, Wording] | None = None

    def wording(self, content: Content) -> Wording:
        """The content's slang list and stopwords for grouping questions (one per content version)."""
        if self._wording is None or self._wording[0] != content.version:
            language = content.language
            self._wording = (content.version, Wording(dict(language.replacements), frozenset(language.stopwords)))
        return self._wording[1]

    def _period(self) -> tuple[date, date]:
        return period(datetime.now(self.content().office.zone).date())

    async def latest(self) -> Snapshot:
        """The newest snapshot; built now only if there is none for today's period yet."""
        found = self._snapshot
        if found is not None and (found.report.start, found.report.end) == self._period():
            return found
        return await self.rebuild()

    async def rebuild(self) -> Snapshot:
        async with self._lock:  # one build at a time; whoever waited gets the fresh one
            if self._snapshot is not None and (datetime.now(UTC) - self._snapshot.built_at).total_seconds() < 1:
                return self._snapshot
            start, end = self._period()
            began = datetime.now(UTC)
            content = self.content()
            report = await build_report(self.db, start, end, self.wording(content), groups=100)
            seconds = (datetime.now(UTC) - began).total_seconds()
            self._snapshot = Snapshot(report, datetime.now(UTC), seconds)
            return self._snapshot

    async def run(self, stop: asyncio.Event) -> None:
        """Rebuild every `refresh` seconds until `stop` is set; a failed build keeps the last one."""
        while not stop.is_set():
            try:
                snap = await self.rebuild()
                log.info("dashboard report rebuilt in %.1f s", snap.build_seconds)
            except Exception:
                log.exception("dashboard report rebuild failed; pages keep the previous one")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.refresh)

    def forget(self) -> None:
        self._snapshot = None


def refresher(cache: ReportCache):  # type: ignore[no-untyped-def]
    """An aiohttp cleanup context that keeps the cache fresh while the app runs.

    On shutdown it lets a build in progress finish rather than cancelling it: cancelling a
    database call half-way can leave the connection for the pool in a state it never leaves.
    """

    @contextlib.asynccontextmanager
    async def ctx(_app: object):  # type: ignore[no-untyped-def]
        stop = asyncio.Event()
        task = asyncio.create_task(cache.run(stop))
        yield
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), 30)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return ctx
