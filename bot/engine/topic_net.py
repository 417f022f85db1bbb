"""A learned second opinion on which entry a message asks: a multinomial logistic regression over its words.

The lexical matcher (understanding.py) is precise on the phrasings it knows; on text it never saw it sometimes
answers a neighbour confidently. This model, trained on the content's own examples (every entry's questions and
residents' phrasings) by `tools/train_topic_net.py`, reads the same text with the danger safety net's features
(words, word pairs, letter 3-5-grams: bot/engine/danger_net.features, shared, not copied). The dialogue asks it
only about a message the matcher is about to answer or about to leave unsure (dialogue.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from bot.engine.danger_net import features, words_of
from bot.knowledge.topic_model import FEATURES, TopicModel

__all__ = ["FEATURES", "Opinion", "Reading", "TopicNet", "agrees", "disagrees"]

# Chosen on the held-out parts of the tuning sets K, J and I (first turns; the model trained without them and with
# phrasings built without them: bench/RESULTS.md, round 12).
SURE_OTHER = 0.6  # the matcher's confident pick is asked about when the model gives another entry this much...
DOUBTS = 0.2  # ...and the pick at most this
FLOOR = 0.25  # the matcher's floor for the letter-sequence second opinion (understanding.AGREE_FLOOR), the same here
SURE_SAME = 0.6  # an unsure pick scoring FLOOR or more is answered when the model's best entry is the same at
# this much (0.5 answered four of the labelled set's 68 out-of-scope questions: "berapa 25 dikali 4" at 0.52)


@dataclass(frozen=True, slots=True)
class Opinion:
    intent_id: str
    probability: float


@dataclass(frozen=True, slots=True)
class Reading:
    """The model's reading of one message: its best entries, and every entry's probability."""

    best: tuple[Opinion, ...]  # the two most probable, most probable first (ties: the entry written first)
    probability: Mapping[str, float]


class TopicNet:
    """The model of one content version: `read(text)` gives every entry with its probability, best first."""

    def __init__(self, model: TopicModel) -> None:
        self._entries = model.entries
        self._bias = np.array(model.bias, dtype=np.float64)
        self._row = {f: n for n, f in enumerate(model.weights)}
        # One row per feature, one column per entry, in thousandths as written: a message's sum of integer-valued
        # floats is exact whatever the order, so the same message gets the same opinion on every machine.
        self._matrix = np.zeros((len(self._row), len(self._entries)), dtype=np.float64)
        for n, pairs in enumerate(model.weights.values()):
            for i, w in pairs:
                self._matrix[n, i] = w
        self.enabled = bool(model.weights) and bool(model.entries)

    def opinion(self, text: str, limit: int = 2) -> list[Opinion]:
        """The best entries for the text (at most two), most probable first; empty without a model or words."""
        reading = self.read(text)
        return list(reading.best[:limit]) if reading is not None else []

    def read(self, text: str) -> Reading | None:
        """The model's reading of the text; None without a model or words."""
        if not self.enabled:
            return None
        words = words_of(text)
        if not words:
            return None
        found = features(words)
        row = self._row.get
        rows = sorted(n for n in map(row, found) if n is not None)
        totals = self._matrix[rows].sum(axis=0) if rows else np.zeros(len(self._entries))
        scores = self._bias + totals / (1000 * math.sqrt(len(found)))
        exps = np.exp(scores - scores.max())
        probabilities = (exps / exps.sum()).tolist()
        entries = self._entries
        first, second = np.argsort(-scores, kind="stable")[:2].tolist()
        best = (Opinion(entries[first], probabilities[first]), Opinion(entries[second], probabilities[second]))
        return Reading(best, dict(zip(entries, probabilities, strict=True)))


def disagrees(reading: Reading | None, intent_id: str) -> str | None:
    """The entry the model is sure of instead of `intent_id`, when it doubts `intent_id` (else None)."""
    if reading is None:
        return None
    best = reading.best[0]
    if best.intent_id == intent_id or best.probability < SURE_OTHER:
        return None
    return best.intent_id if reading.probability.get(intent_id, 0.0) <= DOUBTS else None


def agrees(reading: Reading | None, intent_id: str, score: float) -> bool:
    """Whether an unsure pick (`intent_id`, its match `score`) of FLOOR or more is the model's best entry, and the
    model sure of it."""
    if reading is None or score < FLOOR:
        return False
    return reading.best[0].intent_id == intent_id and reading.best[0].probability >= SURE_SAME
