"""Pacing outbound messages to a platform's limits: an overall rate, a per-chat rate, and 429 pauses.

Platforms count messages in one-second windows, and a 429 costs a whole `retry_after` pause, so
bursts are what matter. Slots are booked evenly (1/rate apart); and because slots woken late by a
busy event loop would leave together, the real send times are kept for the last second and never
more than `per_second` of them fall in one window.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, per_second: float, per_chat_interval: float = 0.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self.per_chat_interval = per_chat_interval
        self.window_cap = max(1, math.floor(per_second))
        self._successes = 0
        # A slot granted late may be followed closely by the next, but never by a burst.
        self.catch_up = min(0.002, self.interval)
        # The event loop cannot sleep less than ~1 ms: a slot due sooner is granted now (the spacing
        # of the following slots still counts from the slot's own time, so the rate holds).
        self.early = min(0.001, self.interval / 4)
        self._clock = clock
        self._last = -math.inf
        self._paused_until = 0.0
        self._granted: deque[float] = deque()
        self._chats: dict[str, float] = {}

    async def wait(self, chat: str | None = None) -> None:
        """Sleep until a message to `chat` may go: its chat is free and an overall slot is ours."""
        if chat is not None and self.per_chat_interval > 0:
            while (free := self._chats.get(chat, 0.0)) > self._clock():  # noqa: ASYNC110 - a time, not an event
                await asyncio.sleep(min(free - self._clock(), self.per_chat_interval))
            self._chats[chat] = math.inf  # held while this message waits for its overall slot
        now = self._clock()
        at = max(self._last + self.interval, self._paused_until, now - self.catch_up)
        self._last = at  # booked: the next caller gets the slot after this one, without a lock
        if at > now + self.early:
            await asyncio.sleep(at - now)
        # Slots woken late (a busy event loop) would leave together: the window of real send times decides.
        while True:
            now = self._clock()
            while self._granted and self._granted[0] <= now - 1.0:
                self._granted.popleft()
            if len(self._granted) < self.window_cap and now >= self._paused_until - self.early:
                break
            wait_until = self._granted[0] + 1.0 if len(self._granted) >= self.window_cap else self._paused_until
            await asyncio.sleep(max(wait_until - now, 0.0005))
        self._granted.append(now)
        if chat is not None and self.per_chat_interval > 0:
            self._chats[chat] = now + self.per_chat_interval
            if len(self._chats) > 10_000:
                self._chats = {c: t for c, t in self._chats.items() if t > now}

    def slow_down(self) -> None:
        """A 429 although we paced: the path to the platform is jittery, so aim a little lower (to 80%)."""
        self._set_rate(max(self.per_second * 0.8, self.current * 0.98))
        self._successes = 0

    def succeeded(self) -> None:
        """Every hundred messages without a 429, creep back towards the configured rate."""
        self._successes += 1
        if self._successes >= 100 and self.current < self.per_second:
            self._set_rate(min(self.per_second, self.current * 1.005))
            self._successes = 0

    @property
    def current(self) -> float:
        return 1.0 / self.interval

    def _set_rate(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self.window_cap = max(1, math.floor(per_second))

    def pause(self, seconds: float) -> None:
        """The platform said 'retry after': nothing goes out before then."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
