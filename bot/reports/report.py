"""The office's report for a period: traffic per day and channel, top topics, the content-gap list,
helpfulness per topic, response times. The counting is GROUP BY in the database (bot/storage/querylog.py);
only the distinct unanswered texts come to Python, where spelling variants are grouped together.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.engine import answers
from bot.engine.types import ANSWER
from bot.reports.grouping import QuestionGroup, Wording, group_questions
from bot.reports.percentiles import percentiles
from bot.storage import querylog
from bot.storage.db import Database
from bot.storage.scope import EVERY, Scope

UNANSWERED_INTENTS = ("fallback", "clarify")


@dataclass
class Report:
    start: date
    end: date
    per_day: list[tuple[date, str, int, int]]  # day, channel, messages, answered
    topics: list[tuple[str, int]]  # intent, messages
    unanswered: list[QuestionGroup]
    helpfulness: list[tuple[str, int, int, int]]  # intent, asked, 👍, 👎
    response_ms: dict[float, float]  # percentile -> milliseconds
    unanswered_total: int = 0
    kelurahan: list[tuple[str, int]] = field(default_factory=list)  # where residents who told us ask from

    @property
    def total(self) -> int:
        return sum(r[2] for r in self.per_day)

    @property
    def answered(self) -> int:
        return sum(r[3] for r in self.per_day)

    @property
    def channels(self) -> list[str]:
        return sorted({r[1] for r in self.per_day})


async def build_report(
    db: Database,
    start: date,
    end: date,
    wording: Wording | Callable[[], Wording] | None = None,
    top: int = 15,
    groups: int = 30,
    scope: Scope = EVERY,
) -> Report:
    """The report for the days start..end (inclusive), from the log and the counts kept after retention.

    Four independent scans run at once, each on its own connection (PostgreSQL uses a core for each);
    `wording` may be a loader, then it runs in a thread meanwhile. `scope`: one office's rows, or all.
    """
    load = asyncio.to_thread(wording) if callable(wording) else asyncio.sleep(0, wording)
    counts, texts, histogram, areas, words = await asyncio.gather(
        querylog.daily_counts(db, start, end, scope),
        querylog.text_counts(db, start, end, UNANSWERED_INTENTS, scope),
        querylog.response_histogram(db, start, end, scope),
        querylog.kelurahan_counts(db, start, end, scope),
        load,
    )
    days: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    topics: dict[str, int] = defaultdict(int)
    helpful: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in counts:
        days[(c.day, c.channel)][0] += c.total
        days[(c.day, c.channel)][1] += c.answered
        if answers.kind_of(c.intent) != ANSWER:  # residents' answers only: no menus, settings or staff commands
            continue
        topics[c.intent] += c.total
        if c.asked or c.yes or c.no:
            for i, value in enumerate((c.asked, c.yes, c.no)):
                helpful[c.intent][i] += value
    return Report(
        start=start,
        end=end,
        per_day=sorted((d, c, v[0], v[1]) for (d, c), v in days.items()),
        topics=sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:top],
        unanswered=group_questions(texts, words)[:groups],
        helpfulness=sorted(((i, *v) for i, v in helpful.items()), key=lambda r: (-r[1], r[0])),  # type: ignore[misc]
        response_ms=percentiles(histogram),
        unanswered_total=sum(n for _t, n in texts),
        kelurahan=areas[:top],
    )
