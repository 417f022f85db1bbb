"""Virtual time for code that takes a `clock` and a `sleep`: tests of pacing run in microseconds,
and what they assert about time cannot be disturbed by a busy machine."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class VirtualClock:
    """A monotonic clock that moves only when every task is asleep on it.

    `sleep` parks the caller until virtual time reaches its wake-up; `run` drives a coroutine,
    letting all ready tasks run before moving the clock to the earliest wake-up, as an event loop
    does with real time.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), wake))
        await wake

    async def run(self, work: Awaitable[T], settle: int = 20) -> T:
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(settle):  # every ready task runs until it sleeps or finishes
                await asyncio.sleep(0)
                if task.done():
                    break
            else:
                if not self._wake_next():
                    task.cancel()
                    raise RuntimeError("every task waits, and not on the clock: nothing can move")
        return task.result()

    def _wake_next(self) -> bool:
        while self._sleepers:
            at, _, wake = heapq.heappop(self._sleepers)
            if wake.done():  # its sleeper was cancelled
                continue
            self.now = max(self.now, at)
            wake.set_result(None)
            return True
        return False
