"""Per-user flood control: a burst of messages from one user is slowed with one polite note.

A sliding window per user key, in memory: cheap, and a flood is a per-process event
(several processes each slow the share of the flood they receive).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from enum import Enum

from bot.engine.types import Outcome, Reply
from bot.i18n import DEFAULT_LANG, translations
from bot.storage.conversations import language_of
from bot.storage.db import Database


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first message over the limit: answer with one polite note
    DROP = "drop"  # further messages in the same flood: no answer at all


class FloodGuard:
    def __init__(
        self,
        limit: int = 20,
        window: float = 10.0,
        max_users: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.max_users = limit, window, max_users
        self.clock = clock  # tests pass a fake clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: dict[str, float] = {}

    def check(self, user_key: str, now: float | None = None) -> Verdict:
        now = self.clock() if now is None else now
        times = self._seen.pop(user_key, None) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        self._seen[user_key] = times  # most recent last, so the oldest users are evicted first
        self._forget_quiet(now)
        if len(self._seen) > self.max_users:
            old, _ = self._seen.popitem(last=False)
            self._warned.pop(old, None)
        if len(times) <= self.limit:
            self._warned.pop(user_key, None)
            return Verdict.ALLOW
        if user_key in self._warned and now - self._warned[user_key] < self.window:
            return Verdict.DROP
        self._warned[user_key] = now
        return Verdict.WARN

    def _forget_quiet(self, now: float) -> None:
        """Drop users silent for a whole window: memory follows the users of the last seconds, not all time."""
        while self._seen:
            oldest = next(iter(self._seen))
            if self._seen[oldest][-1] > now - self.window:
                return
            del self._seen[oldest]
            self._warned.pop(oldest, None)


FLOOD = "flood"  # the intent of the note (and of a dropped message: no replies at all)


async def slow_down(db: Database, user_key: str, secret: bytes, verdict: Verdict) -> Outcome:
    """The answer to a flooding user: the polite note once (WARN), then nothing at all (DROP)."""
    if verdict is Verdict.DROP:
        return Outcome(FLOOD, (), answered=False)
    try:  # one note per flood, so it may cost a database read to say it in the user's own language
        lang = await language_of(db, user_key, secret) or DEFAULT_LANG
    except Exception:  # the database is away: the note still goes out, in Indonesian
        lang = DEFAULT_LANG
    note = translations(lang).gettext(
        "Maaf, pesan Anda datang terlalu cepat. Mohon tunggu sebentar, ya, lalu kirim lagi pertanyaan Anda."
    )
    return Outcome(FLOOD, (Reply(note),), answered=False)
