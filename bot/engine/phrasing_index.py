"""Residents' phrasings (content/phrasings.yaml) scored all at once: the same word overlap as the matcher's entries.

There are about twice as many phrasings as authored questions, and residents' words ("anak", "bisa") are shared
by hundreds of them: scored one by one in Python they made a match five times slower. Here each word's phrasings
are one array, and a message's overlap with every phrasing is one weighted count (numpy.bincount), summed in the
message's sorted word order, so the same message gets the same scores under any hash seed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np


class PhrasingIndex:
    def __init__(self, phrasings: Sequence[tuple[str, frozenset[str]]], weight: Mapping[str, float]) -> None:
        """`phrasings`: (entry id, keys) each; `weight`: every key's weight (the matcher's)."""
        postings: dict[str, list[int]] = defaultdict(list)
        for at, (_, keys) in enumerate(phrasings):
            for k in sorted(keys):
                postings[k].append(at)
        self._postings = {k: np.array(v, dtype=np.int32) for k, v in postings.items()}
        self._size = len(phrasings)
        self._weights = np.array([sum(weight[k] for k in sorted(keys)) for _, keys in phrasings], dtype=np.float64)
        self.intents = sorted({intent_id for intent_id, _ in phrasings})
        number = {intent_id: n for n, intent_id in enumerate(self.intents)}
        self._intent = np.array([number[intent_id] for intent_id, _ in phrasings], dtype=np.int32)

    def __len__(self) -> int:
        return self._size

    def best(
        self,
        query: Sequence[str],
        weights: Mapping[str, float],
        total: float,
        precision_floor: Callable[[str], float],
        power: float,
        factor: float,
    ) -> dict[str, float]:
        """Each entry's best phrasing score for the message: recall x precision^power x factor, where precision
        is at least `precision_floor(entry)` (the weight the entry's words cover anywhere, discounted) / total."""
        found = [(self._postings[k], weights[k]) for k in query if k in self._postings]
        if not found:
            return {}
        at = np.concatenate([p for p, _ in found])
        counted = np.concatenate([np.full(len(p), w) for p, w in found])
        overlap = np.bincount(at, weights=counted, minlength=self._size)
        hit = np.flatnonzero(overlap)
        intents = self._intent[hit]
        floors = np.zeros(len(self.intents))
        for n in np.unique(intents):
            floors[n] = precision_floor(self.intents[n])
        precision = np.maximum(overlap[hit], floors[intents]) / total
        scores = overlap[hit] / self._weights[hit] * precision**power * factor
        best = np.zeros(len(self.intents))
        np.maximum.at(best, intents, scores)
        return {self.intents[n]: float(best[n]) for n in np.flatnonzero(best)}
