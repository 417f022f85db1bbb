"""The danger signs' learned safety net: a logistic regression over the words of a message.

The hand-written signs (bot/engine/danger.py, content/danger_signs.yaml) catch every sign of the sets they were
tuned on but ~96.5% of each new blind set. A model of the same tuning data reads text it never saw better
(bench/RESULTS.md, "Round 11"), but it also fires on some ordinary questions, so it never answers an emergency
on its own: when no sign fires and the model does, `DangerDetector.trouble` leads the normal answer with the
safety net's line ("Bila ini keadaan darurat, segera telepon 119 ... atau bawa ke IGD terdekat").

Its weights are `content/danger_model.json` (one file every office inherits), written by `tools/train_danger_net.py` (never edited by hand) and
read like the rest of the content (bot/knowledge/danger_model.py). The features are those the tool trained on:
words, word pairs and letter 3-5-grams of the lower-cased text (`FEATURES` names this recipe; the file must
name the same one).
"""

from __future__ import annotations

import itertools
import math
import re

from bot.knowledge.danger_model import FEATURES, DangerModel

__all__ = [
    "FEATURES",
    "MIN_WORDS",
    "SURE",
    "LearnedNet",
    "features",
    "of_text",
    "own_features",
    "pairs",
    "words_of",
]  # FEATURES names the recipe of `features`
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_REPEATS = re.compile(r"(.)\1{2,}")  # "tolonggg" -> "tolongg"
_ZEROS = itertools.repeat(0)  # what a feature without a weight adds
# Fewer words say too little for the model (a place "Tarai Bangun", "pamit dulu kak" scored >= 0.8): the rules alone
# read them (every held-out emergency the rules missed had more; bench/RESULTS.md "Round 11")
MIN_WORDS = 4
# Sure enough to answer an emergency on its own (the sign marked `model_sure`), not only to lead the normal answer
# with 119, where no sign's rule reads the words at all: chosen on texts the model was never trained on (bench/RESULTS.md,
# "Round 16 lead"): the tests' hand-written look-alikes reach 0.977 (a pet's vomiting, read aside by the guards
# anyway), while 6 of 7 such emergencies of danger_tune_r16 and 11 of the tests' reach 0.98
SURE = 0.98


def words_of(text: str) -> list[str]:
    """The words the model reads: lower case, letters and digits, a letter repeated thrice or more kept twice."""
    return _REPEATS.sub(r"\1\1", _NOT_ALNUM.sub(" ", text.lower())).split()


def features(text: str | list[str]) -> set[str]:
    """Words, word pairs ("sesak_napas") and the letter 3-5-grams of each word marked at both ends ("<ses")."""
    words = words_of(text) if isinstance(text, str) else text
    found = set(words)
    found.update(pairs(words))
    for word in set(words):  # each word once: its letters are the same wherever it stands
        found.update(_letters(word))
    return found


def pairs(words: list[str]) -> set[str]:
    """The word pairs, each once."""
    return {f"{a}_{b}" for a, b in itertools.pairwise(words)}


def own_features(word: str) -> frozenset[str]:
    """The features a word brings whatever stands beside it: itself and its letter 3-5-grams (a model remembers
    what they weigh, word by word: summed over a message's distinct features, one word's may be another's)."""
    return _letters(word) | {word}


def of_text(text: str) -> tuple[list[str], frozenset[str]]:
    """The text's words and their `features`, the last text's remembered: a turn's text is read by this net and by
    the topic model (topic_net.py) with the same features, extracted once. Never changed by the callers."""
    global _last
    last = _last
    if last[0] != text:
        words = words_of(text)
        last = _last = (text, words, frozenset(features(words)))
    return last[1], last[2]


def _letters(word: str) -> frozenset[str]:
    """The word's letter 3-5-grams, remembered: words recur, texts rarely do (at most _KEEP words are kept)."""
    grams = _grams.get(word)
    if grams is None:
        marked = f"<{word}>"
        size = len(marked)
        grams = frozenset(marked[i : i + n] for n in (3, 4, 5) for i in range(size - n + 1))
        if len(_grams) >= _KEEP:
            _grams.clear()
        _grams[word] = grams
    return grams


_grams: dict[str, frozenset[str]] = {}
_KEEP = 50_000
_last: tuple[str, list[str], frozenset[str]] = ("", [], frozenset())  # `of_text`'s text, its words and features


class LearnedNet:
    """The model of one content version: `fires(text)` is asked once per turn that no sign answered."""

    def __init__(self, model: DangerModel) -> None:
        # In thousandths, as written: a sum of integers is exact whatever the set's order, and quick. The file's own
        # dict, shared by every office that reads the same file (never changed here)
        self._weights = model.weights
        self._bias = model.bias
        self.threshold = model.threshold
        self.enabled = bool(model.weights)
        self._own: dict[str, dict[str, int]] = {}  # a word -> its `own_features` that have a weight, and the weights

    def _weighed(self, word: str) -> dict[str, int]:
        found = self._own.get(word)
        if found is None:
            weights = self._weights
            found = {f: weights[f] for f in own_features(word) if f in weights}
            if len(self._own) >= _KEEP:
                self._own.clear()
            self._own[word] = found
        return found

    def probability(self, text: str) -> float:
        """How likely the text describes an emergency now, as the model was calibrated (0 without a model)."""
        if not self.enabled:
            return 0.0
        words, found = of_text(text)
        if len(words) < MIN_WORDS:  # "bapak pingsan" is the rules' to read; "Tarai Bangun" (a place) is nobody's
            return 0.0
        # Each distinct feature's weight once: the words' own (remembered per word; a feature two words share is one
        # key), then the word pairs' (never a word's: a pair holds "_")
        weighed: dict[str, int] = {}
        for word in set(words):
            weighed.update(self._weighed(word))
        total = (sum(weighed.values()) + sum(map(self._weights.get, pairs(words), _ZEROS))) / 1000
        score = self._bias + total / math.sqrt(len(found))  # each message's features weigh 1/sqrt(how many)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))

    def fires(self, text: str) -> bool:
        return self.enabled and self.probability(text) >= self.threshold
