"""A learned second opinion on which entry a message asks: a multinomial logistic regression over its words.

The lexical matcher (understanding.py) is precise on the phrasings it knows; on text it never saw it sometimes
answers a neighbour confidently. This model, trained on the content's own examples (every entry's questions and
residents' phrasings) by `tools/train_topic_net.py`, reads the same text with the danger safety net's features
(words, word pairs, letter 3-5-grams: bot/engine/danger_net.features, shared, not copied). The dialogue asks it
only about a message the matcher is about to answer or about to leave unsure (dialogue.py).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from bot.engine.danger_net import features, words_of
from bot.knowledge.faq import IntentBook
from bot.knowledge.topic_model import FEATURES, SPECIAL, TopicModel

__all__ = [
    "AFTER",
    "FEATURES",
    "OUT_OF_SCOPE",
    "Opinion",
    "Reading",
    "TopicNet",
    "agrees",
    "declines",
    "disagrees",
    "kin",
    "previous",
]

OUT_OF_SCOPE = "out_of_scope"  # the model's class of questions about nothing the office answers (SPECIAL)
AFTER = "^after="  # the feature that names the previous turn's class: a follow-up reads with what it follows
# The dialogue's outcomes that are no entry, as the model's classes name them (the previous turn's answer)
_PREVIOUS = {
    "fallback": OUT_OF_SCOPE,
    "emergency": "emergency",
    "handover": "handover",
    "smalltalk": "smalltalk",
    "greeting": "smalltalk",
    "help": "smalltalk",
    "bahasa": "smalltalk",
}

# Chosen on the tuning sets G and H, each played whole with the model and the phrasings made without it (round 14,
# bench/RESULTS.md); the sets measured (I..M, each left out in turn) were not played to choose them.
SURE_OTHER = 0.6  # the matcher's confident pick is asked about when the model gives another entry this much...
SURE_KIN = 0.6  # ...or, for an entry of the pick's own content topic, this much
DOUBTS = 0.05  # ...and the pick at most this (a sibling entry of the same topic usually keeps more)
FLOOR = 0.25  # the matcher's floor for the letter-sequence second opinion (understanding.AGREE_FLOOR), the same here
SURE_OUT = 0.8  # a confident pick is declined when the model gives out of scope this much (and the pick DOUBTS)
SURE_SAME = 0.6  # an unsure pick scoring FLOOR or more is answered when the model's best entry is the same at
# this much


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
        self.entries = frozenset(model.entries)  # the classes it knows (entries and topic_model.SPECIAL)
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

    def read(self, text: str, after: str | None = None) -> Reading | None:
        """The model's reading of the text, said after a turn of class `after` (None: it opens the conversation);
        None without a model or words."""
        if not self.enabled:
            return None
        found = reading_features(text, after)
        if found is None:
            return None
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


def reading_features(text: str, after: str | None = None) -> set[str] | None:
    """What the model reads of a message: its words' features and the class of the turn before (trainer and
    engine read the same); None for a message without words."""
    words = words_of(text)
    if not words:
        return None
    found = features(words)
    if after:
        found.add(AFTER + after)
    return found


def previous(last_intent: str | None, entries: Collection[str]) -> str | None:
    """The model's class of the previous turn's answer (`last_intent`): an entry, or a class of no entry; None
    for a question asked back ("clarify") or nothing before."""
    if not last_intent:
        return None
    if last_intent in entries:
        return last_intent
    return _PREVIOUS.get(last_intent)


def declines(reading: Reading | None, intent_id: str) -> bool:
    """Whether the model is sure the message is about nothing the office answers, and doubts `intent_id`."""
    if reading is None:
        return False
    best = reading.best[0]
    return (
        best.intent_id == OUT_OF_SCOPE
        and best.probability >= SURE_OUT
        and reading.probability.get(intent_id, 0.0) <= DOUBTS
    )


def kin(intents: IntentBook, intent_id: str) -> list[str]:
    """The entries of `intent_id`'s content topic (`topic:` of the FAQ entry), itself included."""
    pick = intents.get(intent_id)
    return [i.id for i in intents.intents if pick is not None and i.topic == pick.topic]


def disagrees(reading: Reading | None, intent_id: str, kin: Collection[str] = ()) -> str | None:
    """The entry the model is sure of instead of `intent_id`, when it doubts `intent_id` (else None). `kin`: the
    entries of the pick's content topic; one of them often answers the same question, so the model must be surer of
    it (SURE_KIN), and an entry of another topic counts only when the model doubts the pick's whole topic."""
    if reading is None:
        return None
    best = reading.best[0]
    if best.intent_id in (intent_id, *SPECIAL):
        return None
    probability = reading.probability.get
    if best.intent_id in kin:
        sure, doubted = SURE_KIN, probability(intent_id, 0.0)
    else:
        sure, doubted = (
            SURE_OTHER,
            probability(intent_id, 0.0) + sum(probability(i, 0.0) for i in kin if i != intent_id),
        )
    return best.intent_id if best.probability >= sure and doubted <= DOUBTS else None


def agrees(reading: Reading | None, intent_id: str, score: float) -> bool:
    """Whether an unsure pick (`intent_id`, its match `score`) of FLOOR or more is the model's best entry, and the
    model sure of it."""
    if reading is None or score < FLOOR:
        return False
    return reading.best[0].intent_id == intent_id and reading.best[0].probability >= SURE_SAME
