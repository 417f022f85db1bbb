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
        beat: Mapping[str, float],
    ) -> dict[str, float]:
        """Each entry's best phrasing score for the message, where it beats `beat` (the entry's best so far):
        recall x precision^power x factor, where precision is at least `precision_floor(entry)` (the weight the
        entry's words cover anywhere, discounted) / total. An entry whose phrasings cannot beat its score even
        at full precision is skipped before its floor is read: most entries share a chat word with a phrasing."""
        found = [(self._postings[k], weights[k]) for k in query if k in self._postings]
        if not found:
            return {}
        at = np.concatenate([p for p, _ in found])
        counted = np.repeat([w for _, w in found], [len(p) for p, _ in found])
        overlap = np.bincount(at, weights=counted, minlength=self._size)
        hit = np.flatnonzero(overlap)
        intents = self._intent[hit]
        recall = overlap[hit] / self._weights[hit]
        reach = np.zeros(len(self.intents))  # each entry's best score at full precision
        np.maximum.at(reach, intents, recall * factor)
        floors = np.full(len(self.intents), np.nan)
        for n in np.flatnonzero(reach):
            intent_id = self.intents[n]
            if reach[n] > beat.get(intent_id, 0.0):
                floors[n] = precision_floor(intent_id)
        open_ = ~np.isnan(floors[intents])
        if not open_.any():
            return {}
        hit, intents, recall = hit[open_], intents[open_], recall[open_]
        precision = np.maximum(overlap[hit], floors[intents]) / total
        scores = recall * precision**power * factor
        best = np.zeros(len(self.intents))
        np.maximum.at(best, intents, scores)
        return {self.intents[n]: float(best[n]) for n in np.flatnonzero(best)}
