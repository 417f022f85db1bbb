"""The words of a fixed list nearest a typed one (rapidfuzz ratio), comparing only words of a length that can be near.

A ratio is 200 x the letters two words share in order / their letters together, so a 7-letter word reaches 88 only
against words of 6 to 8 letters. `Near.extract` gives what `process.extract` over the whole list gives (the same
words, scores and order: ties keep the list's order), from the words of a length within reach, kept per length.
Round 12: the spelling corrector and the danger detector's typo search compared each unknown word with 3,000-5,000.
Round 15: of those, only the words whose letters can reach the cutoff are compared: a letter one word holds more often
than the other is one insertion or deletion at least, so the letters' counts bound the ratio from above (one array
operation over the words of that length), and a word that cannot reach the cutoff is never scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

_LETTERS = 27  # a..z, and one count for every other character (a coarser count only loosens the bound)
_COUNTED_FROM = 300  # choices within reach from which counting letters first is cheaper than comparing them all


def _within_reach(length: int, other: int, cutoff: float) -> bool:
    """Whether two words of these lengths may reach the cutoff (ratio <= 200 x the shorter / both lengths)."""
    both = length + other
    return both == 0 or 200.0 * min(length, other) / both >= cutoff - 1e-9


def _letters(words: Sequence[str]) -> np.ndarray:
    """Each word's count of each letter, one column per word (`_LETTERS` rows: a column of one letter is contiguous)."""
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32).astype(np.intp) - ord("a")
    row = np.where((codes >= 0) & (codes < _LETTERS - 1), codes, _LETTERS - 1)
    column = np.repeat(np.arange(len(words)), [len(w) for w in words])
    counts = np.bincount(row * len(words) + column, minlength=_LETTERS * len(words))
    return counts.reshape(_LETTERS, len(words)).astype(np.int16)


class _Reach(NamedTuple):
    """The choices of a length within reach of a typed word's (by number), their letters' counts, and the letters in
    common each needs to reach the cutoff."""

    choices: np.ndarray
    counts: np.ndarray
    need: np.ndarray


class Near:
    def __init__(self, choices: Sequence[str]) -> None:
        self._choices = list(choices)
        self._counts = _letters(self._choices)
        self._lengths = np.array([len(c) for c in self._choices], dtype=np.float64)
        self._reach: dict[tuple[int, float], _Reach] = {}

    def extract(self, word: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """(choice, score) of the `limit` choices scoring `cutoff` or more, best first, as `process.extract` orders
        them."""
        key = (len(word), cutoff)
        reach = self._reach.get(key)
        if reach is None:
            at = np.array(
                [n for n, c in enumerate(self._choices) if _within_reach(len(word), len(c), cutoff)], dtype=np.intp
            )
            need = (cutoff - 1e-6) * (len(word) + self._lengths[at]) / 200.0
            reach = self._reach[key] = _Reach(at, self._counts[:, at], need)
        choices = self._choices
        if len(reach.choices) > _COUNTED_FROM:
            # ratio = 200 x letters in common in order / both lengths <= 200 x letters in common in any order / both
            typed: dict[int, int] = {}
            for letter in word:
                row = ord(letter) - ord("a")
                row = row if 0 <= row < _LETTERS - 1 else _LETTERS - 1
                typed[row] = typed.get(row, 0) + 1
            common = np.zeros(len(reach.choices), dtype=np.int16)
            for row, count in typed.items():
                common += np.minimum(reach.counts[row], count)
            choices = [choices[n] for n in reach.choices[common >= reach.need].tolist()]
        else:
            choices = [choices[n] for n in reach.choices.tolist()]
        return [
            (c, score)
            for c, score, _ in process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        ]
