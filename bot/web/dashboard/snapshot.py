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
from bot.knowledge.offices import Offices
from bot.reports import Report, Wording, build_report
from bot.storage.db import Database
from bot.storage.scope import EVERY, Scope

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
    """The latest report of each office view (a Scope) that was asked for; `EVERY` is the whole deployment."""

    def __init__(
        self,
        db: Database,
        content: Callable[[], Content],
        refresh: float = REFRESH_SECONDS,
        offices: Callable[[], Offices] | None = None,
    ) -> None:
        self.db, self.content, self.refresh = db, content, refresh
        self.offices = offices
        self._snapshots: dict[Scope, Snapshot] = {}
        self._lock = asyncio.Lock()
        self._wording: tuple[str, Wording] | None = None

    def wording(self, content: Content) -> Wording:
        """The content's slang list and stopwords for grouping questions (one per content version)."""
        if self._wording is None or self._wording[0] != content.version:
            language = content.language
            self._wording = (content.version, Wording(dict(language.replacements), frozenset(language.stopwords)))
        return self._wording[1]

    def _content(self, scope: Scope) -> Content:
        """The viewed office's content (its time zone, its wording); the default office's for all of them."""
        found = self.offices().get(scope.office) if self.offices is not None and scope.office else None
        return found or self.content()

    def _period(self, scope: Scope) -> tuple[date, date]:
        return period(datetime.now(self._content(scope).office.zone).date())

    async def latest(self, scope: Scope = EVERY) -> Snapshot:
        """The newest snapshot of that view; built now only if there is none for today's period yet."""
        found = self._snapshots.get(scope)
        if found is not None and (found.report.start, found.report.end) == self._period(scope):
            return found
        return await self.rebuild(scope)

    async def rebuild(self, scope: Scope = EVERY) -> Snapshot:
        async with self._lock:  # one build at a time; whoever waited gets the fresh one
            found = self._snapshots.get(scope)
            if found is not None and (datetime.now(UTC) - found.built_at).total_seconds() < 1:
                return found
            start, end = self._period(scope)
            began = datetime.now(UTC)
            content = self._content(scope)
            report = await build_report(self.db, start, end, self.wording(content), groups=100, scope=scope)
            seconds = (datetime.now(UTC) - began).total_seconds()
            self._snapshots[scope] = Snapshot(report, datetime.now(UTC), seconds)
            return self._snapshots[scope]

    async def run(self, stop: asyncio.Event) -> None:
        """Rebuild every view asked for every `refresh` seconds until `stop` is set; a failed build keeps the last."""
        while not stop.is_set():
            for scope in list(self._snapshots) or [EVERY]:
                try:
                    snap = await self.rebuild(scope)
                    log.info("dashboard report (%s) rebuilt in %.1f s", scope.office or "all", snap.build_seconds)
                except Exception:
                    log.exception("dashboard report rebuild failed; pages keep the previous one")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.refresh)

    def forget(self) -> None:
        self._snapshots.clear()


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
