"""Indonesian stemming with PySastrawi, cached: one word costs up to ~1 ms cold, nothing warm.

Sastrawi's root-word dictionary comes from Kateglo (CC BY-NC-SA 3.0); see the README.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Protocol

MIN_LENGTH = 4  # shorter words are roots already, or too short to strip safely


class _WordStemmer(Protocol):
    def stem_word(self, word: str) -> str: ...


@cache
def _sastrawi() -> tuple[_WordStemmer, frozenset[str]]:
    # Sastrawi's own CachedStemmer grows without bound on arbitrary user text; we use the
    # plain stemmer behind a bounded LRU cache instead.
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = [w for w in StemmerFactory().get_words_from_file() if w]
    return Stemmer(ArrayDictionary(words)), frozenset(words)


def roots() -> frozenset[str]:
    """Sastrawi's Indonesian root words (about 30,000)."""
    return _sastrawi()[1]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of one lower-case word ("pemeriksaan" -> "periksa"); the word itself if none is found."""
    if len(word) < MIN_LENGTH or not word.isalpha() or word in roots():
        return word
    return _sastrawi()[0].stem_word(word) or word
