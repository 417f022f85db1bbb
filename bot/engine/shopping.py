"""Buying something from a shop ("beli obat darah tinggi online", "bisa beli di shopee?", "where to buy blood pressure
medicine online"): a question for a shop, not the office, though it names a health word the content answers.

A message holding a word of buying and a word of a shop (content/language.yaml `buying` and `shops`, staff can add)
is declined. "obat darah tinggi gratis di puskesmas" names no buying: it is answered.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.knowledge.language import LanguageData


@lru_cache(maxsize=8)
def _words(words: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b")


def asks_a_shop(language: LanguageData, text: str) -> bool:
    """Whether a message asks about buying from a shop: a word of buying and a word of a shop, in its own words."""
    buying, shops = _words(language.buying), _words(language.shops)
    if buying is None or shops is None:
        return False
    low = " ".join(re.findall(r"[a-z]+", text.lower()))
    return buying.search(low) is not None and shops.search(low) is not None
