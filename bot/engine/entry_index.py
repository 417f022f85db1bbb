"""The entries' own questions scored for a message without visiting every entry a common word touches.

A message with "imunisasi" or "anak" touches hundreds of questions; most share only that one word with it. Those
score (word weight / question weight) x precision^power, the same for every question of the entry but for the
question's weight: the lightest of them scores best. So an entry's questions met by one word are read once per
word (its lightest question not met by another word too), and only questions met by two words or more are scored
one by one. The scores are the same numbers as scoring every question (round 12: the matcher's cost).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence


class EntryIndex:
    def __init__(self, entries: Sequence[tuple[str, frozenset[str], float]]) -> None:
        """`entries`: (entry id, keys, total weight of the keys) of each question."""
        self._intent = [intent_id for intent_id, _, _ in entries]
        self._keys = [keys for _, keys, _ in entries]
        self._weight = [weight for _, _, weight in entries]
        postings: dict[str, list[int]] = defaultdict(list)
        for at, (_, keys, _) in enumerate(entries):
            for k in keys:
                postings[k].append(at)
        self._postings = {k: frozenset(v) for k, v in postings.items()}
        # Each word's questions by entry, lightest first (ties in the order written): (entry id, question numbers).
        self._lightest: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {}
        for k, numbers in postings.items():
            by_entry: dict[str, list[int]] = defaultdict(list)
            for n in sorted(numbers, key=lambda n: (self._weight[n], n)):
                by_entry[self._intent[n]].append(n)
            self._lightest[k] = tuple((intent_id, tuple(ns)) for intent_id, ns in by_entry.items())

    def best(
        self,
        query: Sequence[str],
        weights: Mapping[str, float],
        total: float,
        floor: Callable[[str], float],
        own: Mapping[str, float],
        power: float,
    ) -> dict[str, float]:
        """Each entry's best question score: recall x precision^power, precision at least `floor(entry)` / total,
        or `own[entry]` / total for a question met by one word only (`floor` fills `own`). `query`: the message's
        keys, sorted."""
        seen: set[int] = set()
        several: set[int] = set()  # questions met by two of the message's words or more
        postings = self._postings
        for k in query:
            found = postings.get(k)
            if found is not None:
                several |= seen & found
                seen |= found
        best: dict[str, float] = {}
        entry_keys, entry_weight, entry_intent = self._keys, self._weight, self._intent
        for n in several:
            keys = entry_keys[n]
            overlap = math.fsum([weights[k] for k in query if k in keys])
            intent_id = entry_intent[n]
            precision = max(overlap, floor(intent_id)) / total
            score = (overlap / entry_weight[n]) * precision**power
            if score > best.get(intent_id, 0.0):
                best[intent_id] = score
        lightest = self._lightest
        for k in query:
            by_entry = lightest.get(k)
            if by_entry is None:
                continue
            w = weights[k]
            for intent_id, ns in by_entry:
                n = ns[0]
                if n in several:
                    n = next((n for n in ns if n not in several), -1)
                    if n < 0:
                        continue
                least = own.get(intent_id)
                if least is None:
                    floor(intent_id)
                    least = own[intent_id]
                precision = max(w, least) / total
                score = (w / entry_weight[n]) * precision**power
                if score > best.get(intent_id, 0.0):
                    best[intent_id] = score
        return best
