"""Unanswered questions grouped by what they ask: spelling variants, word order and slang don't matter."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

log = logging.getLogger(__name__)

SIMILAR = 85.0  # rapidfuzz ratio between two sorted-word keys that counts as "the same question"
_FUZZY_SEEDS = 2000  # the most frequent wordings are clustered one by one; the long tail joins their groups


@dataclass(frozen=True)
class Wording:
    """How to normalise a question before grouping: slang replacements and meaningless words."""

    replacements: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def standard(self, word: str) -> str:
        """The standard word(s) for a chat word, also when it is misspelt ("vaksinn" -> like "vaksin")."""
        known = self.replacements.get(word) or self._seen.get(word)
        if known is not None:
            return known
        out = word
        if len(word) >= 5 and self.replacements:
            near = process.extractOne(word, self.replacements.keys(), scorer=fuzz.ratio, score_cutoff=SIMILAR)
            if near is not None:
                out = self.replacements[near[0]]
        self._seen[word] = out
        return out

    @classmethod
    def from_content(cls, directory: Path) -> Wording:
        """The content's slang list and stopwords; plain normalisation if the content cannot be read."""
        try:
            from bot.knowledge.content import load_content

            content, _problems = load_content(directory)
            if content is None:
                return cls()
            language = content.language
            return cls(dict(language.replacements), frozenset(language.stopwords))
        except Exception as exc:  # a report must still run while content is being edited
            log.warning("report: content not readable (%s); grouping without its word lists", exc)
            return cls()


_NON_WORD = re.compile(r"[^\w\[\]]+")
_REPEATS = re.compile(r"(\w)\1{2,}")


def question_key(text: str, wording: Wording) -> str:
    """The words that carry the question, lower-cased, slang replaced, sorted: word order and filler don't matter."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEATS.sub(r"\1", _NON_WORD.sub(" ", text))
    words: set[str] = set()
    for raw in text.split():
        for word in wording.standard(raw).split():
            if word not in wording.stopwords:
                words.add(word)
    return " ".join(sorted(words)) or " ".join(text.split())


@dataclass
class QuestionGroup:
    """Unanswered questions that say the same thing: shown by their most frequent wording."""

    count: int
    variants: list[tuple[str, int]]  # (text, count), most frequent first

    @property
    def example(self) -> str:
        return self.variants[0][0]


def group_questions(counts: Iterable[tuple[str, int]], wording: Wording | None = None) -> list[QuestionGroup]:
    """Group texts by similar wording (spelling variants, word order, slang), biggest group first."""
    wording = wording or Wording()
    by_key: dict[str, dict[str, int]] = defaultdict(dict)
    for text, n in counts:
        if text and text.strip():
            seen = by_key[question_key(text, wording)]
            seen[text.strip()] = seen.get(text.strip(), 0) + int(n)
    keys = sorted(by_key, key=lambda k: -sum(by_key[k].values()))
    seeds, tail = keys[:_FUZZY_SEEDS], keys[_FUZZY_SEEDS:]
    reps: list[str] = []  # one key per group
    members: list[list[str]] = []
    for key in seeds:
        best = process.extractOne(key, reps, scorer=fuzz.ratio, score_cutoff=SIMILAR) if reps else None
        if best is None:
            reps.append(key)
            members.append([key])
        else:
            members[best[2]].append(key)
    # The long tail joins the nearest frequent group in one vectorised pass; what matches none stays
    # grouped by its exact key (rare wordings are compared with the frequent ones, not each other).
    seeded = len(reps)
    for start in range(0, len(tail), 5000):
        part = tail[start : start + 5000]
        scores = process.cdist(part, reps[:seeded], scorer=fuzz.ratio, score_cutoff=SIMILAR, dtype="uint8")
        for key, row in zip(part, scores, strict=True):
            index = int(row.argmax()) if seeded else 0
            if seeded and row[index] >= SIMILAR:
                members[index].append(key)
            else:
                reps.append(key)
                members.append([key])
    groups = []
    for keys_of_group in members:
        merged: dict[str, int] = defaultdict(int)
        for key in keys_of_group:
            for text, n in by_key[key].items():
                merged[text] += n
        ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
        groups.append(QuestionGroup(sum(merged.values()), ordered))
    groups.sort(key=lambda g: (-g.count, g.example))
    return groups
