"""Understanding everyday Indonesian: normalise, spot danger signs, match intents.

Built once per content version (the content holds the slang list, danger signs and
the question variants), then shared by every turn.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.content import Content
from bot.knowledge.danger import DangerSign

_NON_WORD = re.compile(r"[^\w\s]+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_SPACES = re.compile(r"\s+")

# The matcher's bar for answering straight away, and for offering "Maksud Anda...?" instead.
CONFIDENT = 0.80
UNSURE = 0.60


@dataclass(frozen=True, slots=True)
class Match:
    intent_id: str
    score: float  # 0..1


class Understanding:
    def __init__(self, content: Content) -> None:
        self.content = content
        lang = content.language
        self._replace = lang.replacement_map
        self._stop = set(lang.stopwords)
        self._variants: list[str] = []
        self._owners: list[str] = []
        for intent in content.intents.intents:
            for q in (*intent.questions, *intent.questions_en, *intent.keywords):
                self._variants.append(self.normalize(q))
                self._owners.append(intent.id)

    def normalize(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        text = _NON_WORD.sub(" ", text)
        text = _REPEATS.sub(r"\1\1", text)
        words = [self._replace.get(w, w) for w in text.split()]
        return _SPACES.sub(" ", " ".join(words)).strip()

    def danger(self, text: str) -> DangerSign | None:
        """The first danger sign whose phrase words all appear in the text."""
        words = set(self.normalize(text).split())
        for sign in self.content.danger.signs:
            for phrase in sign.phrases:
                if all(w in words for w in phrase.split()):
                    return sign
        return None

    def match(self, text: str, lang: str = "id", limit: int = 3) -> list[Match]:
        """The closest intents, best first, one entry per intent."""
        norm = " ".join(w for w in self.normalize(text).split() if w not in self._stop)
        if not norm:
            return []
        hits = process.extract(norm, self._variants, scorer=fuzz.token_set_ratio, limit=limit * 8)
        best: dict[str, float] = {}
        for _variant, score, index in hits:
            owner = self._owners[index]
            best[owner] = max(best.get(owner, 0.0), score / 100.0)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
        return [Match(i, s) for i, s in ranked]


_cache: dict[int, Understanding] = {}


def understanding_for(content: Content) -> Understanding:
    """The Understanding of this content object (built once, reused by every turn)."""
    found = _cache.get(id(content))
    if found is None or found.content is not content:
        if len(_cache) >= 4:
            _cache.clear()
        found = _cache[id(content)] = Understanding(content)
    return found
