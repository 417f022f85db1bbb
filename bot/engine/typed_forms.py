"""Words as residents type and dictate them, read back to the words the bot knows.

The spelling corrector (normalize.py) bends a misspelt word towards the nearest known one by its letters. Some
misspellings are not near by letters, but follow from how a message was made:
- voice-to-text spells an acronym out as letter names: "tes ha i ve dimana" (HIV), "vaksin em er" (MR),
  "ciri de be de" (DBD), "imunisasi de pe te" (DPT);
- voice-to-text, or a thumb, splits a word in two: "pos yandu", "pos bin du", "imun isasi";
- chat leaves vowels out: "hmil" (hamil), "kli" (kali), "mna" (mana), "prksa" (periksa).
Each reading gives a word the content uses, and only for a word the bot does not know: a known word is never
changed. Built once per content version, with the normalizer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

# Indonesian letter names, as a dictation engine writes them ("ha", "i", "ve" for HIV).
_LETTER_NAMES = {
    "a": "a", "be": "b", "ce": "c", "de": "d", "e": "e", "ef": "f", "ge": "g", "ha": "h", "i": "i", "je": "j",
    "ka": "k", "el": "l", "em": "m", "en": "n", "o": "o", "pe": "p", "ki": "q", "er": "r", "es": "s", "te": "t",
    "u": "u", "ve": "v", "fe": "f", "we": "w", "eks": "x", "ye": "y", "zet": "z",
}  # fmt: skip
_ACRONYM = (2, 5)  # letters of an acronym spelt out ("mr" .. "bpjs" and a few more)
_SPLIT = 3  # pieces a word may be split into ("pos bin du")
_JOINED_LENGTH = 5  # a word shorter than this, read from pieces, may be two real words typed apart
_VOWELS = frozenset("aeiou")
_LEFT_OUT = 3  # vowels a typed word may leave out
_SHORTEST = 3  # letters of the shortest word whose vowels are restored


def _skeleton(word: str) -> str:
    """The word's first letter and its later consonants: "hamil" and "hmil" -> "hml"."""
    return word[:1] + "".join(c for c in word[1:] if c not in _VOWELS)


def _vowels_left_out(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with some of its vowels left out, not its first or last letter ("kip" is KIP, a
    card, not KIPI)."""
    if typed[-1] != word[-1]:
        return False
    i = 0
    for at, letter in enumerate(word):
        if i < len(typed) and typed[i] == letter:
            i += 1
        elif at == 0 or letter not in _VOWELS:
            return False
    return i == len(typed) and len(word) - len(typed) <= _LEFT_OUT


class TypedForms:
    def __init__(self, vocabulary: Collection[str], uses: Mapping[str, int], roots: Collection[str]) -> None:
        """`vocabulary`: the content's words (every reading gives one of them); `uses`: how often the content uses
        each; `roots`: the Indonesian root words."""
        self._vocabulary = vocabulary
        self._uses = uses
        self._roots = roots
        # Acronyms a dictation may spell out: content words that are no Indonesian word ("mr", "hiv"; not "hai").
        self._acronyms = frozenset(w for w in vocabulary if _ACRONYM[0] <= len(w) <= _ACRONYM[1] and w not in roots)
        # A word typed without vowels is an Indonesian word the content uses: not an English one of its
        # English questions and danger phrases ("pns" is no "pins", "hrd" no "hard").
        self._words = frozenset(w for w in vocabulary if w in roots)
        by_skeleton: dict[str, list[str]] = {}
        for word in sorted(self._words):
            if len(word) > _SHORTEST:
                by_skeleton.setdefault(_skeleton(word), []).append(word)
        self._by_skeleton = by_skeleton

    def joined(self, tokens: list[str], known: Collection[str]) -> list[str]:
        """The tokens with letter names spelt out read as their acronym ("ha i ve" -> "hiv") and a word typed in
        pieces read whole ("pos yandu" -> "posyandu"), when one of the pieces is no word the bot knows."""
        roots = self._roots
        unknown = [t not in known and t not in roots and not t.isdigit() for t in tokens]
        if not any(unknown) and _LETTER_NAMES.keys().isdisjoint(tokens):  # most messages: nothing to read whole
            return tokens
        out: list[str] = []
        i, n = 0, len(tokens)
        while i < n:
            taken = self._acronym_at(tokens, i) or self._pieces_at(tokens, i, unknown)
            if taken:
                word, used = taken
                out.append(word)
                i += used
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _acronym_at(self, tokens: list[str], i: int) -> tuple[str, int] | None:
        if tokens[i] not in _LETTER_NAMES:
            return None
        letters = []
        for token in tokens[i : i + _ACRONYM[1]]:
            if token not in _LETTER_NAMES:
                break
            letters.append(_LETTER_NAMES[token])
        for size in range(len(letters), 1, -1):  # the longest acronym first: "de pe te" before "de pe"
            word = "".join(letters[:size])
            if word in self._acronyms:
                return word, size
        return None

    def _pieces_at(self, tokens: list[str], i: int, unknown: list[bool]) -> tuple[str, int] | None:
        for size in range(min(_SPLIT, len(tokens) - i), 1, -1):
            if not any(unknown[i : i + size]):
                continue
            word = "".join(tokens[i : i + size])
            if len(word) >= _JOINED_LENGTH and word in self._vocabulary and word.isalpha():
                return word, size
        return None

    def restored(self, typed: str) -> str | None:
        """The content word a typed word is with vowels left out ("hmil" -> "hamil"), the most used of several."""
        vowels = sum(c in _VOWELS for c in typed)
        if len(typed) < _SHORTEST or not typed.isalpha() or vowels > 1 or (vowels == 0 and len(typed) == _SHORTEST):
            return None  # three consonants are an acronym as often ("pns", "tni"): not "panas"
        found = [w for w in self._by_skeleton.get(_skeleton(typed), ()) if _vowels_left_out(typed, w)]
        # the fewest vowels put back first ("sma" is sama before semua), then the most used
        return max(found, key=lambda w: (-len(w), self._uses.get(w, 0), w)) if found else None
