"""A learned second opinion on what a message asks: a multinomial logistic regression over its words.

The lexical matcher (understanding.py) is precise on the phrasings it knows; on text it never saw it sometimes
answers a neighbour confidently. This model, trained by `tools/train_topic_net.py` on the content's own examples and
the blind tuning sets' turns, reads the same text with the danger safety net's features (words, word pairs, letter
3-5-grams: bot/engine/danger_net.features, shared, not copied) and the previous turn's answer. Its classes are the
topics residents ask about, each answered by one or more entries (bot/knowledge/topic_model.py): how sure it is that
an entry answers is the sum over the topics that entry answers, so siblings that answer the same question do not
count against each other. The dialogue asks it only where the matcher is about to answer (topic_gate.py).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from bot.engine.danger_net import features, of_text, own_features, pairs, words_of
from bot.knowledge.topic_model import ANSWERED_ELSEWHERE, FEATURES, TopicModel

__all__ = [
    "AFTER",
    "FEATURES",
    "OUT_OF_SCOPE",
    "Reading",
    "TopicNet",
    "agrees",
    "declines",
    "disagrees",
    "previous",
    "reading_features",
]

OUT_OF_SCOPE = "out_of_scope"  # the class of questions about nothing the office answers (topic_model.SPECIAL)
AFTER = "^after="  # the feature that names the previous turn's answer: a follow-up reads with what it follows
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

# Chosen on the older tuning sets E..H, each played whole with a model and phrasings made without it (round 15,
# bench/RESULTS.md): the fewest confident wrong conversations among the settings that kept at least 1% more of E..H's
# conversations right than the matcher alone. The sets measured (I..M left out in turn, and N) were not played to choose.
SURE_OTHER = 0.6  # the matcher's confident pick is asked about when another entry answers with this much...
DOUBTS = 0.3  # ...and the pick answers with at most this (the summed probability of the topics it answers)
SURE_OUT = 0.8  # a confident pick is declined when the model gives out of scope this much (and the pick DOUBTS)
FLOOR = 0.25  # the matcher's floor for the letter-sequence second opinion (understanding.AGREE_FLOOR), the same here
SURE_SAME = 0.6  # an unsure pick scoring FLOOR or more is answered when it answers with this much
_KEEP = 50_000  # words whose rows are remembered


@dataclass(frozen=True, slots=True)
class Reading:
    """The model's reading of one message: how probably each intent it knows answers it, and out of scope."""

    answers: Mapping[str, float]  # intent -> the summed probability of the topics it answers
    out_of_scope: float
    best: tuple[str, float]  # the entry offered for the most probable class that an entry answers, and its answers


class TopicNet:
    """The model of one content version: `read(text, after)` gives how probably each intent answers it."""

    def __init__(self, model: TopicModel) -> None:
        self.enabled = model.enabled
        self._row = model.row
        self._matrix = model.matrix
        self._bias = np.array(model.bias, dtype=np.float64)
        intents = list(dict.fromkeys(i for answers in model.answers for i in answers))
        self.intents = frozenset(intents)  # the intents it knows (entries and the dialogue's own mechanisms)
        self._intents = intents
        # classes x intents: 1 where the class is answered by the intent
        self._answers = np.zeros((len(model.classes), len(intents)))
        for k, answers in enumerate(model.answers):
            for i in answers:
                self._answers[k, intents.index(i)] = 1.0
        # Each class's entry to offer: of the entries that answer it, the one that answers fewest classes (the most
        # specific: "uhc_daftar" for registering, not an entry that also answers three other questions)
        reach = self._answers.sum(axis=0)
        self._offer = np.array(
            [
                min(
                    (intents.index(i) for i in answers if i not in ANSWERED_ELSEWHERE),
                    key=lambda n: reach[n],
                    default=-1,
                )
                for answers in model.answers
            ]
        )
        self._out = model.classes.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in model.classes else None
        self._own: dict[str, frozenset[int]] = {}  # a word -> the rows of its `own_features`

    def _rows_of(self, word: str) -> frozenset[int]:
        found = self._own.get(word)
        if found is None:
            row = self._row.get
            found = frozenset(n for n in map(row, own_features(word)) if n is not None)
            if len(self._own) >= _KEEP:
                self._own.clear()
            self._own[word] = found
        return found

    def read(self, text: str, after: str | None = None) -> Reading | None:
        """The model's reading of the text, said after a turn answered by `after` (None: it opens the
        conversation); None without a model or words."""
        if not self.enabled:
            return None
        words, found = of_text(text)  # the features `reading_features` gives, shared with the danger net
        if not words:
            return None
        # The rows of the distinct features: each word's own (remembered per word; a feature two words share is one
        # row), the word pairs' and the turn before's (never a word's: they hold "_" and "^")
        row = self._row.get
        rows: set[int] = set()
        for word in set(words):
            rows.update(self._rows_of(word))
        extra = pairs(words)
        if after:
            extra.add(AFTER + after)
        rows.update(n for n in map(row, extra) if n is not None)
        # Integer thousandths summed in int64: exact whatever the order, the same opinion on every machine.
        totals = self._matrix.take(sorted(rows), axis=0).sum(axis=0, dtype=np.int64) if rows else 0
        scores = self._bias + totals / (1000 * math.sqrt(len(found) + (1 if after else 0)))
        exps = np.exp(scores - scores.max())
        probability = exps / exps.sum()
        answers = probability @ self._answers
        best = int(self._offer[np.argmax(np.where(self._offer >= 0, probability, -1.0))])
        out = float(probability[self._out]) if self._out is not None else 0.0
        return Reading(
            dict(zip(self._intents, answers.tolist(), strict=True)), out, (self._intents[best], float(answers[best]))
        )


def reading_features(text: str, after: str | None = None) -> set[str] | None:
    """What the model reads of a message: its words' features and the answer of the turn before (trainer and
    engine read the same); None for a message without words."""
    words = words_of(text)
    if not words:
        return None
    found = features(words)
    if after:
        found.add(AFTER + after)
    return found


def previous(last_intent: str | None, intents: Collection[str]) -> str | None:
    """The model's name for the previous turn's answer (`last_intent`): an entry, or a class of no entry; None for
    a question asked back ("clarify") or nothing before."""
    if not last_intent:
        return None
    if last_intent in intents and last_intent not in _PREVIOUS:
        return last_intent
    return _PREVIOUS.get(last_intent)


def _doubts(reading: Reading | None, intent_id: str) -> bool:
    """Whether the model knows `intent_id` and gives it at most DOUBTS (an intent it never learned: no opinion)."""
    return reading is not None and reading.answers.get(intent_id, 1.0) <= DOUBTS


def declines(reading: Reading | None, intent_id: str) -> bool:
    """Whether the model is sure the message is about nothing the office answers, and doubts `intent_id`."""
    return _doubts(reading, intent_id) and reading is not None and reading.out_of_scope >= SURE_OUT


def disagrees(reading: Reading | None, intent_id: str) -> str | None:
    """The entry the model is sure answers instead of `intent_id`, when it doubts `intent_id` (else None)."""
    if reading is None or not _doubts(reading, intent_id):
        return None
    other, sure = reading.best
    return other if sure >= SURE_OTHER and other != intent_id else None


def agrees(reading: Reading | None, intent_id: str, score: float) -> bool:
    """Whether an unsure pick (`intent_id`, its match `score`) of FLOOR or more answers, the model sure of it."""
    if reading is None or score < FLOOR:
        return False
    return reading.answers.get(intent_id, 0.0) >= SURE_SAME
