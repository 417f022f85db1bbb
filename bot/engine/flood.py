"""Per-user flood control: a burst of messages from one user is slowed with one polite note.

A sliding window per user key, in memory: cheap, and a flood is a per-process event
(several processes each slow the share of the flood they receive).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first message over the limit: answer with one polite note
    DROP = "drop"  # further messages in the same flood: no answer at all


class FloodGuard:
    def __init__(self, limit: int = 20, window: float = 10.0, max_users: int = 100_000) -> None:
        self.limit, self.window, self.max_users = limit, window, max_users
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: dict[str, float] = {}

    def check(self, user_key: str, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        times = self._seen.pop(user_key, None) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        self._seen[user_key] = times  # most recent last, so the oldest users are evicted first
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
