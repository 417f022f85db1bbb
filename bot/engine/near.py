"""The words of a fixed list nearest a typed one (rapidfuzz ratio), comparing only words of a length that can be near.

A ratio is 200 x the letters two words share in order / their letters together, so a 7-letter word reaches 88 only
against words of 6 to 8 letters. `Near.extract` gives what `process.extract` over the whole list gives (the same
words, scores and order: ties keep the list's order), from the words of a length within reach, kept per length.
Round 12: the spelling corrector and the danger detector's typo search compared each unknown word with 3,000-5,000.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process


def _within_reach(length: int, other: int, cutoff: float) -> bool:
    """Whether two words of these lengths may reach the cutoff (ratio <= 200 x the shorter / both lengths)."""
    both = length + other
    return both == 0 or 200.0 * min(length, other) / both >= cutoff - 1e-9


class Near:
    def __init__(self, choices: Sequence[str]) -> None:
        self._choices = list(choices)
        self._reach: dict[tuple[int, float], list[str]] = {}

    def extract(self, word: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """(choice, score) of the `limit` choices scoring `cutoff` or more, best first, as `process.extract` orders
        them."""
        key = (len(word), cutoff)
        choices = self._reach.get(key)
        if choices is None:
            choices = self._reach[key] = [c for c in self._choices if _within_reach(len(word), len(c), cutoff)]
        return [
            (c, score)
            for c, score, _ in process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        ]
