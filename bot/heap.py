"""What lives for the whole process kept out of the cyclic garbage collector's full collections.

A full (generation 2) collection walks every object the collector tracks, and the event loop answers
nobody meanwhile. After `serve` starts that is 145,000 objects (the content, its indexes, the modules'
functions and types), and about 195,000 once the first few hundred messages have built the engine's lazy
tables: 80-110 ms of CPU per full collection on this project's 2-core machine, and under load one came
every 1-3 s (bench/RESULTS.md, issue 23 round 6), which set Telegram's p99 at half the sustained rate.

`gc.freeze()` moves every object alive into a permanent generation that collections skip (reference
counting still frees what dies there, only garbage in reference cycles waits). `Settler` freezes what
is alive at start, and settles again (unfreeze, one full collection, freeze) when the objects that have
grown old since pass `GROWN` (the engine's lazy tables after the first messages) or the content was
swapped (the old content's cycles are collected). A settle costs one full collection, the pause it saves
many of, so they are spaced: `SPACING` seconds after start, then twice as long after each, up to an hour.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

GROWN = 20_000  # objects in the oldest collected generation (about 10 ms of a full collection)
SPACING = 1.0  # seconds at least between start and the first settle after it; doubles after each
LONGEST = 3600.0  # the spacing's ceiling
CHECK = 1.0  # seconds between two looks (len(gc.get_objects(2)): a list of the objects grown old since)


def settle() -> None:
    """Unfreeze, collect everything once, freeze what is left."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Settler:
    """Keeps the long-lived heap frozen; `run` is the serve process's background task."""

    def __init__(self, swapped: Callable[[], object], clock: Callable[[], float] = time.monotonic) -> None:
        self.swapped, self.clock = swapped, clock  # swapped(): an object that changes when the content is reloaded
        self.settles = 0
        self._seen = swapped()
        self._last = clock()
        self._spacing = SPACING

    def check(self) -> bool:
        """Settle if due; whether it settled."""
        now, live = self.clock(), self.swapped()
        if now - self._last < self._spacing or (live is self._seen and len(gc.get_objects(2)) < GROWN):
            return False
        started = time.process_time()
        settle()
        self._seen, self._last, self.settles = live, now, self.settles + 1
        self._spacing = min(self._spacing * 2, LONGEST)
        log.debug(
            "heap settled: %d objects frozen, %.0f ms", gc.get_freeze_count(), (time.process_time() - started) * 1000
        )
        return True

    async def run(self, interval: float = CHECK) -> None:
        settle()  # start-up: the content and the modules
        while True:
            await asyncio.sleep(interval)
            self.check()
