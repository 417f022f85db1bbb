"""Indonesian stemming with PySastrawi, cached: one word costs up to ~1 ms cold, nothing warm.

The words the shipped content's understanding stems are in a table (stems.tsv, Sastrawi's own answers written by
tools/stem_table.py): building the understanding stemmed some 1,600 of them in every process. A word not in it is
stemmed by Sastrawi. Sastrawi's root-word dictionary comes from Kateglo (CC BY-NC-SA 3.0); see the README.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

MIN_LENGTH = 4  # shorter words are roots already, or too short to strip safely
TABLE = Path(__file__).with_name("stems.tsv")
TABLE_OFF = False  # tools/stem_table.py asks Sastrawi for every word


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


@cache
def table() -> dict[str, str]:
    """The stems.tsv table (word -> Sastrawi's stem); empty when the file is missing."""
    try:
        lines = TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def roots() -> frozenset[str]:
    """Sastrawi's Indonesian root words (about 30,000)."""
    return _sastrawi()[1]


def sastrawi_stem(word: str) -> str:
    """Sastrawi's stem of one word, the word itself if none is found (no table, no cache)."""
    return _sastrawi()[0].stem_word(word) or word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of one lower-case word ("pemeriksaan" -> "periksa"); the word itself if none is found."""
    if len(word) < MIN_LENGTH or not word.isalpha() or word in roots():
        return word
    found = None if TABLE_OFF else table().get(word)
    return found if found is not None else sastrawi_stem(word)
