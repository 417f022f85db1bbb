"""The office report behind the overview and inbox, cached briefly so pages stay fast on a big log.

Building a report over a month of a busy city's log takes longer than a page may; staff
do not need second-fresh figures, so one report per period is reused for a short while
and rebuilt by one request at a time.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

from bot.knowledge.content import Content
from bot.reports import Report, Wording, build_report
from bot.storage.db import Database

TTL_SECONDS = 120.0
PERIOD_DAYS = 30


class ReportCache:
    def __init__(self, db: Database, ttl: float = TTL_SECONDS) -> None:
        self.db, self.ttl = db, ttl
        self._reports: dict[tuple[date, date], tuple[float, Report]] = {}
        self._lock = asyncio.Lock()
        self._wording: tuple[str, Wording] | None = None

    @staticmethod
    def period(today: date, days: int = PERIOD_DAYS) -> tuple[date, date]:
        return today - timedelta(days=days - 1), today

    def wording(self, content: Content) -> Wording:
        """The content's slang list and stopwords for grouping questions (one per content version)."""
        if self._wording is None or self._wording[0] != content.version:
            language = content.language
            self._wording = (content.version, Wording(dict(language.replacements), frozenset(language.stopwords)))
        return self._wording[1]

    async def get(self, start: date, end: date, content: Content) -> Report:
        found = self._reports.get((start, end))
        if found and time.monotonic() - found[0] < self.ttl:
            return found[1]
        async with self._lock:  # one rebuild at a time; the others reuse its result
            found = self._reports.get((start, end))
            if found and time.monotonic() - found[0] < self.ttl:
                return found[1]
            report = await build_report(self.db, start, end, self.wording(content), groups=100)
            self._reports = {(start, end): (time.monotonic(), report)}
            return report

    def forget(self) -> None:
        self._reports.clear()
