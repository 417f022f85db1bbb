"""Every entry's questions and residents' phrasings scored for a message in one pass of array operations.

A message with "imunisasi" or "anak" meets a thousand of the 5,600-odd variants (questions and phrasings). Scored
in two passes, the questions in Python and each entry's precision floor entry by entry, they were a third of a
new text's turn (round 13). Here each of the message's words holds an array of the variants, and one of the
entries, that use it: the message's overlap with every variant and every entry is one weighted count
(numpy.bincount, summed in the message's sorted word order, so the same message gets the same scores under any
hash seed), and every variant's score one array expression. The questions' overlaps and the floors were exact
sums (fsum) and are now left-to-right ones: a score may differ in its last bits, far below the four places a
match is rounded to (round 14: bench/answers_dump.py gave the same answers before and after).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

ROUNDING_REACH = 2e-4  # more than round(x, 4) can move two scores towards each other (0.5e-4 each)


@dataclass(frozen=True, slots=True)
class Weighing:
    """How a variant's overlap becomes a score (understanding.py's tuning constants)."""

    power: float  # precision's exponent
    intent_precision: float  # precision's floor: the weight an entry's own questions cover, at this discount
    phrased_precision: float  # ...or the weight its phrasings cover, at this one
    phrasing_weight: float  # a phrasing's score counts this much of a question's


class VariantIndex:
    def __init__(
        self,
        intents: Sequence[str],
        questions: Sequence[tuple[str, frozenset[str], float]],
        phrasings: Sequence[tuple[str, frozenset[str]]],
        weight: Mapping[str, float],
        weighing: Weighing,
    ) -> None:
        """`intents`: every entry id; `questions`: (entry id, keys, total weight of the keys) of each question;
        `phrasings`: (entry id, keys) of each resident's phrasing; `weight`: every key's weight (the matcher's)."""
        self.intents = list(intents)
        self._how = weighing
        number = {intent_id: n for n, intent_id in enumerate(self.intents)}
        size = self._size = len(self.intents)
        variants = [(i, keys, w, True) for i, keys, w in questions]
        variants += [(i, keys, sum(weight[k] for k in sorted(keys)), False) for i, keys in phrasings]
        # Kept by entry (then as written): the variants of one entry a message meets are side by side, and each
        # entry's best is one `maximum.reduceat`.
        variants.sort(key=lambda v: number[v[0]])
        self._count = len(variants)
        self._intent = np.array([number[i] for i, *_ in variants], dtype=np.intp)
        self._weight = np.array([w for _, _, w, _ in variants], dtype=np.float64)
        self._question = np.array([asked for *_, asked in variants], dtype=bool)
        self._factor = np.where(self._question, 1.0, weighing.phrasing_weight)
        # Each word's variants, then (numbered after every variant) the entries whose questions, or whose phrasings,
        # use it: one count gives every variant's overlap and every entry's precision floor.
        by_word: dict[str, list[int]] = {}
        entries: dict[str, set[int]] = {}
        for at, (intent_id, keys, _, asked) in enumerate(variants):
            for k in keys:
                by_word.setdefault(k, []).append(at)
                entries.setdefault(k, set()).add(self._count + number[intent_id] + (0 if asked else size))
        self._postings = {k: np.array(v + sorted(entries[k]), dtype=np.intp) for k, v in by_word.items()}

    def best(
        self, query: Sequence[str], weights: Mapping[str, float], total: float, keep: int | None = None
    ) -> tuple[dict[str, float], dict[str, float]]:
        """Each entry's best score for the message, and the weight of the message's words its questions use
        (`spread`, for ties), for every entry a word of the message touches. `query`: the message's keys, sorted.
        With `keep`, only the entries that may be among the first `keep` once scores are rounded to four places:
        those within ROUNDING_REACH of the `keep`-th best (all of them when no more touch the message).

        A question scores recall x precision^power, precision at least the entry's floor / total (the larger of
        the weight its questions cover x intent_precision and the weight its phrasings cover x phrased_precision),
        or, met by one word only, the first of the two; a phrasing the same (with the floor) x phrasing_weight."""
        found = [(self._postings[k], weights[k]) for k in query if k in self._postings]
        if not found:
            return {}, {}
        how, size, count = self._how, self._size, self._count
        at = np.concatenate([postings for postings, _ in found])
        summed = np.bincount(at, np.repeat([w for _, w in found], [len(p) for p, _ in found]), count + 2 * size)
        met = np.bincount(at, minlength=count)
        covered = summed[count:]
        own = how.intent_precision * covered[:size]
        floor = np.maximum(own, how.phrased_precision * covered[size:])

        hit = met[:count].nonzero()[0]
        intents = self._intent[hit]
        overlap = summed[hit]
        # One word of a question ("libur"): its residents' words ("lebaran") do not lift it (`own`, not the floor).
        least = np.where(self._question[hit] & (met[hit] == 1), own[intents], floor[intents])
        precision = np.maximum(overlap, least) / total
        scores = (overlap / self._weight[hit]) * precision**how.power * self._factor[hit]
        starts = np.concatenate(([True], intents[1:] != intents[:-1])).nonzero()[0]
        best = np.maximum.reduceat(scores, starts)
        entries = intents[starts]
        shown = best > 0.0
        if keep is not None and np.count_nonzero(shown) > keep:
            positive = best[shown]
            below = float(np.partition(positive, len(positive) - keep)[len(positive) - keep]) - ROUNDING_REACH
            shown &= best >= below
        ids = self.intents
        scored: dict[str, float] = {}
        spread: dict[str, float] = {}
        for n, s, c in zip(
            entries[shown].tolist(), best[shown].tolist(), covered[entries[shown]].tolist(), strict=True
        ):
            scored[ids[n]], spread[ids[n]] = s, c
        return scored, spread
