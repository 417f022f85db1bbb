"""What lives for the whole process kept out of the cyclic garbage collector's full collections.

A full (generation 2) collection walks every object the collector tracks, and the event loop answers
nobody meanwhile. After `serve` starts that is 145,000 objects (the content, its indexes, the modules'
functions and types), and about 195,000 once the first few hundred messages have built the engine's lazy
tables: 80-110 ms of CPU per full collection on this project's 2-core machine, and under load one came
every 1-3 s (bench/RESULTS.md, issue 23 round 6), which set Telegram's p99 at half the sustained rate.

`gc.freeze()` moves every object alive into a permanent generation that collections skip (reference
counting still frees what dies there, only garbage in reference cycles waits). `Settler` freezes what
is alive at start, and settles again when the objects that have grown old since pass `GROWN` (the engine's
lazy tables after the first messages) or the content was swapped, spaced: `SPACING` seconds after start,
then twice as long after each, up to an hour.

Two kinds of settle. A growth settle collects only what is not frozen yet (the grown objects, about
60,000 the first time) and freezes what is left: the frozen heap is not walked again (measured at load 5: 40-52 ms
of CPU against 178-205 ms for the full one). A full settle (unfreeze, one collection of all 180,000-200,000 objects, freeze)
only when the content was swapped (the old content's cycles are collected) or the last full one is
`LONGEST` ago (cycles that died among frozen objects are collected at least that often). The full
settle was every settle before, up to eleven pauses of that size in a process's first hour, the tail of
the latency at half the sustained rate in a benchmark's fresh process (bench/RESULTS.md, round 11).
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


def settle_grown() -> None:
    """Collect what is not frozen (the frozen heap is skipped), freeze what is left."""
    gc.collect()
    gc.freeze()


class Settler:
    """Keeps the long-lived heap frozen; `run` is the serve process's background task."""

    def __init__(self, swapped: Callable[[], object], clock: Callable[[], float] = time.monotonic) -> None:
        self.swapped, self.clock = swapped, clock  # swapped(): an object that changes when the content is reloaded
        self.settles = self.full = 0
        self._seen = swapped()
        self._last = self._last_full = clock()
        self._spacing = SPACING

    def check(self) -> bool:
        """Settle if due; whether it settled."""
        now, live = self.clock(), self.swapped()
        if now - self._last < self._spacing or (live is self._seen and len(gc.get_objects(2)) < GROWN):
            return False
        started = time.process_time()
        full = live is not self._seen or now - self._last_full >= LONGEST
        if full:
            settle()
            self._last_full, self.full = now, self.full + 1
        else:
            settle_grown()
        self._seen, self._last, self.settles = live, now, self.settles + 1
        self._spacing = min(self._spacing * 2, LONGEST)
        log.debug(
            "heap settled (%s): %d objects frozen, %.0f ms",
            "full" if full else "grown", gc.get_freeze_count(), (time.process_time() - started) * 1000,
        )  # fmt: skip
        return True

    async def run(self, interval: float = CHECK) -> None:
        settle()  # start-up: the content and the modules
        while True:
            await asyncio.sleep(interval)
            self.check()
