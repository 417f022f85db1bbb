"""Pacing outbound messages to a platform's limits: an overall rate, a per-chat rate, and 429 pauses.

Platforms count the messages they *receive* in one-second windows, and a 429 costs a whole
`retry_after` pause. We cannot see when the platform received a message, only that it was after
we started sending it and before its answer reached us. So a message counts against the window
from the moment it is granted until one second after its answer came back: with at most `limit`
such messages at any time, no one-second window on the platform's clock can hold more than
`limit`, however the network or a busy event loop delays them. Slots are also booked evenly
(1/rate apart) so the messages do not leave in bursts.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        per_chat_interval: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        window_cap: int | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self.per_chat_interval = per_chat_interval
        # What the platform allows in one second (the pace above aims just under it).
        self.window_cap = window_cap or max(1, math.ceil(per_second))
        self._successes = 0
        # The event loop's timers have ~1 ms resolution: a slot due within a millisecond is granted
        # now. A waiter woken late (the loop was busy with a database batch) may take the slots of
        # the last 50 ms it missed, so stalls cost no throughput: at most one extra message at
        # Telegram's 30/s; the window above keeps any catch-up within the platform's limit.
        self.early = 0.001
        self.catch_up = 0.05
        self._clock, self._sleep = clock, sleep
        self._last = -math.inf
        self._paused_until = 0.0
        # One entry per message in the window: [time its answer came back + 1 s], inf while in flight.
        self._window: deque[list[float]] = deque()
        self._chats: dict[str, float] = {}

    async def wait(self, chat: str | None = None) -> list[float]:
        """Sleep until a message to `chat` may go; `release` the returned slot once its answer is back."""
        await self.pace(chat)
        try:
            return await self.enter()
        except BaseException:
            self.abandon(chat)
            raise

    async def pace(self, chat: str | None = None) -> None:
        """The first half of `wait`: this chat's turn and the next slot of the overall pace.

        Then `enter` the window right before the request (a step in between, such as recording
        that the request starts, does not count against the window), or `abandon` the chat.
        """
        held = chat if self.per_chat_interval > 0 else None  # the chat this message keeps to itself
        if held is not None:
            while (free := self._chats.get(held, 0.0)) > self._clock():  # a time, not an event: polled
                await self._sleep(min(free - self._clock(), self.per_chat_interval))
            self._chats[held] = math.inf  # held while this message waits and is sent
        try:
            now = self._clock()
            at = max(self._last + self.interval, self._paused_until, now - self.catch_up)
            self._last = at  # booked: the next caller gets the slot after this one, without a lock
            if at > now + self.early:
                await self._sleep(at - now)
        except BaseException:
            self.abandon(chat)  # cancelled while waiting: nothing went to this chat
            raise

    def abandon(self, chat: str | None) -> None:
        """Nothing went to `chat` after `pace` after all: it is free again."""
        if chat is not None and self.per_chat_interval > 0:
            self._chats.pop(chat, None)

    async def enter(self) -> list[float]:
        """Wait for room in the one-second window and take it: the request may go now."""
        while True:
            now = self._clock()
            window = self._window
            while window and window[0][0] <= now:
                window.popleft()
            if len(window) < self.window_cap and now >= self._paused_until - self.early:
                break
            # The oldest entry leaves the window at its time (one still in flight: look again soon).
            wait_until = min(window[0][0], now + 0.005) if len(window) >= self.window_cap else self._paused_until
            await self._sleep(max(wait_until - now, 0.0005))
        entry = [math.inf]
        self._window.append(entry)
        return entry

    def release(self, entry: list[float], chat: str | None = None) -> None:
        """The message's answer came back (or it failed): it leaves the window one second from now."""
        now = self._clock()
        entry[0] = now + 1.0
        if chat is not None and self.per_chat_interval > 0:
            self._chats[chat] = now + self.per_chat_interval
            if len(self._chats) > 10_000:
                self._chats = {c: t for c, t in self._chats.items() if t > now}

    def slow_down(self) -> None:
        """A 429 although we paced (another sender on the same token?): aim a little lower (to 80%)."""
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

    def pause(self, seconds: float) -> None:
        """The platform said 'retry after': nothing goes out before then."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
