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
        self.intents = sorted({intent_id for intent_id, _ in phrasings})
        number = {intent_id: n for n, intent_id in enumerate(self.intents)}
        # Kept by entry (then as written): an entry's phrasings a message meets are side by side, and each entry's
        # best is one `maximum.reduceat` (round 12: `maximum.at` was a third of a match's cost).
        phrasings = sorted(phrasings, key=lambda p: number[p[0]])
        postings: dict[str, list[int]] = defaultdict(list)
        for at, (_, keys) in enumerate(phrasings):
            for k in sorted(keys):
                postings[k].append(at)
        self._postings = {k: np.array(v, dtype=np.int32) for k, v in postings.items()}
        self._size = len(phrasings)
        self._weights = np.array([sum(weight[k] for k in sorted(keys)) for _, keys in phrasings], dtype=np.float64)
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
        if not hit.size:
            return {}
        intents = self._intent[hit]  # in order: each entry's phrasings side by side
        recall = overlap[hit] / self._weights[hit]
        starts = _starts(intents)
        reach = np.maximum.reduceat(recall * factor, starts)  # each entry's best score at full precision
        floors = np.full(len(self.intents), np.nan)
        for n, top in zip(intents[starts].tolist(), reach.tolist(), strict=True):
            if top > 0.0:
                intent_id = self.intents[n]
                if top > beat.get(intent_id, 0.0):
                    floors[n] = precision_floor(intent_id)
        open_ = ~np.isnan(floors[intents])
        if not open_.any():
            return {}
        hit, intents, recall = hit[open_], intents[open_], recall[open_]
        precision = np.maximum(overlap[hit], floors[intents]) / total
        scores = recall * precision**power * factor
        starts = _starts(intents)
        best = np.maximum.reduceat(scores, starts)
        return {self.intents[n]: top for n, top in zip(intents[starts].tolist(), best.tolist(), strict=True) if top}


def _starts(intents: np.ndarray) -> np.ndarray:
    """Where each run of one entry's phrasings starts in `intents` (not empty, each entry's side by side)."""
    return np.flatnonzero(np.concatenate(([True], intents[1:] != intents[:-1])))
