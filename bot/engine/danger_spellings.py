"""How a resident may have typed a danger word: the spelling variants the detector's `WordForms` tries.

A chat, Riau Malay or Minang spelling of a word ("kepale", "dado", "damam"), a letter left out ("pans"),
a word without its vowels ("mka sblh kiri"), words typed without spaces ("gkbisanapas"). Each gives
candidates only; `WordForms` keeps those that are words of the danger data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

_VOWELS = "aeiou"


def colloquial(word: str) -> list[str]:
    """Standard forms a chat or Riau Malay spelling may stand for; the caller keeps the ones it knows.

    "kepale" -> "kepala" (Malay final e), "dado" -> "dada" (Minang final o), "semalem" -> "semalam" (Jakarta e), "idung" -> "hidung",
    "tebaring" -> "terbaring", "kesiram" -> "tersiram", "bekancing" -> "terkancing", "ngangkat" -> "angkat", "nolak" -> "tolak",
    "nyakitin" -> "sakitin", "motong" -> "potong".
    """
    if len(word) < 4:
        return []
    out = []
    if word.endswith("e"):
        out.append(word[:-1] + "a")
    if word.endswith("o"):  # Minang: "dado" -> "dada", "muko" -> "muka", "lamo" -> "lama"
        out.append(word[:-1] + "a")
    last = word.rfind("e")
    if 0 < last < len(word) - 1 and all(c not in _VOWELS for c in word[last + 1 :]):
        out.append(word[:last] + "a" + word[last + 1 :])
    if word[0] in _VOWELS:
        out.append("h" + word)
    if word.startswith("te") and not word.startswith("ter"):
        out.append("ter" + word[2:])
    if word.startswith("ke") and len(word) > 5:
        out.append("ter" + word[2:])
    if word.startswith("be") and not word.startswith("ber") and len(word) > 5:  # Malay be-: "bekancing", "bepeluh"
        out += ["ber" + word[2:], "ter" + word[2:]]
    if word.startswith("nge"):
        out += [word[3:], "menge" + word[3:], "meng" + word[3:]]
    elif word.startswith("ng"):
        out += [word[2:], "k" + word[2:], "me" + word, "h" + word[2:]]
    elif word.startswith("ny"):
        out += ["s" + word[2:], "me" + word]
    elif word.startswith("n") and word[1] in _VOWELS:
        out += ["t" + word[1:], "me" + word]
    elif word.startswith("m") and word[1] in _VOWELS and not word.startswith("me"):
        out += ["p" + word[1:]]
    return out + minang(word)


# Minang word endings and their standard ones: adiak -> adik, kuduak -> kuduk, anjiang -> anjing,
# iduang -> idung, paruik -> perut, taruih -> terus, abih -> habis, paneh -> panas, aia -> air.
_MINANG_ENDINGS = (
    ("iak", "ik"), ("uak", "uk"), ("iang", "ing"), ("ieng", "ing"), ("uang", "ung"), ("uik", "ut"), ("uik", "up"),
    ("uih", "us"), ("uah", "uh"), ("ih", "is"), ("eh", "as"), ("ia", "ir"), ("ek", "at"), ("ik", "it"),
)  # fmt: skip
_MINANG_SUFFIXES = ("an", "nyo", "nya")


def minang(word: str) -> list[str]:
    """Standard forms of a Minang (West Sumatran, much spoken in Riau) word: its ending
    (`_MINANG_ENDINGS`, final -o as -a), and the first syllable's "a" as Indonesian's "e":
    damam -> demam, kapalo -> kepala, sasak -> sesak, kariang -> kering, kapanehan -> kepanasan,
    digigik -> digigit, tajatuah -> terjatuh."""
    if len(word) < 4 or not word.isalpha():
        return []
    roots = [(word, "")]
    for suffix in _MINANG_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            roots.append((word[: -len(suffix)], "nya" if suffix == "nyo" else suffix))
    out: list[str] = []
    for root, suffix in roots:
        stems = [root]
        for ending, standard in _MINANG_ENDINGS:
            if root.endswith(ending):
                stems.append(root[: -len(ending)] + standard)
                break
        if root.endswith("o"):
            stems.append(root[:-1] + "a")
        for one in stems:
            out.append(one + suffix)
            first = one.find("a")
            if 0 < first <= 2 and one[first - 1] not in _VOWELS:  # ka-, da-, sa-, pa-: Indonesian ke-, de-, se-, pe-
                out.append(one[:first] + "e" + one[first + 1 :] + suffix)
            if one.startswith(("ta", "ba")) and one[2] not in _VOWELS:  # ta-, ba-: Indonesian ter-, ber-
                out.append(one[0] + "er" + one[2:] + suffix)
    return [w for w in dict.fromkeys(out) if w != word]


class Deletions:
    """Words found by one letter left out of them ("pans" is "panas", "mium" is "minum", "beas" is
    "bebas"): each word of five letters or more under every form with one letter missing but the first."""

    def __init__(self, words: Iterable[str]) -> None:
        self._by_form: dict[str, set[str]] = {}
        for word in words:
            if len(word) >= 5 and word.isalpha():
                for i in range(1, len(word)):
                    self._by_form.setdefault(word[:i] + word[i + 1 :], set()).add(word)

    def of(self, typed: str) -> set[str]:
        """The words `typed` is with one letter missing."""
        return self._by_form.get(typed, set())


def _skeleton(word: str) -> str:
    """The word's first letter and its consonants after it: "sebelah" -> "sblh", "ayah" -> "ayh"."""
    return word[0] + "".join(c for c in word[1:] if c not in _VOWELS)


class Shorthand:
    """Words written without their vowels, as in a hurried chat ("mka sblh kiri turun, lgn lmh, bcr gk jls"):
    a typed word of 3 to 6 letters with no vowel but its first or last letter is a word of `counts` with the
    same first letter and consonants, the typed letters in order in it ("mka": "muka", not "make"; "ng" may be
    typed "g": "kjg" is "kejang", "lgn" "lengan"). Several words fit ("prt": "perut", "perit", "parit"): the
    one the phrases use at least twice as often as any other (`counts`, by the word as the detector reads it),
    else none ("bdn": "badan" or "bidan")."""

    def __init__(self, counts: Mapping[str, int], canonical: Callable[[str], str]) -> None:
        by_key: dict[str, set[str]] = {}
        for word in counts:
            if len(word) >= 3 and word.isalpha():
                for form in {word, word.replace("ng", "g"), word.replace("ny", "y")}:
                    by_key.setdefault(_skeleton(form), set()).add(word)
        self._by_key = by_key
        self._counts = counts
        self._canonical = canonical

    def of(self, typed: str) -> str | None:
        if not 3 <= len(typed) <= 6 or any(c in _VOWELS for c in typed[1:-1]):
            return None  # vowels only first or last: "mka", "kpla"; "hip" is a word of its own, not "hipo"
        vowels = sum(c in _VOWELS for c in typed)
        fits: dict[str, int] = {}
        for word in self._by_key.get(_skeleton(typed), ()):
            if len(word) > len(typed) and sum(c in _VOWELS for c in word) > vowels and _in_order(typed, word):
                one = self._canonical(word)
                fits[one] = max(fits.get(one, 0), self._counts.get(word, 0), self._counts.get(one, 0))
        if not fits:
            return None
        ranked = sorted(fits.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            return ranked[0][0]
        return None


def _in_order(typed: str, word: str) -> bool:
    """Whether the typed letters occur in the word in order: "mka" in "muka", not in "muak"."""
    rest = iter(word)
    return all(c in rest for c in typed)


class Glued:
    """Words typed without spaces ("tolongbayikeselek", "gkbisanapas"): the fewest words that make up the typed
    word exactly, each a known word of 3 letters or more or a chat word of 2 (`short`: "gk", "yg"); a split into
    more than half as many pieces as letters over 3 is no split ("perhimpunan" is no "per him pun an")."""

    def __init__(self, words: Iterable[str], short: Callable[[str], bool]) -> None:
        self._words = frozenset(w for w in words if len(w) >= 3 and w.isalpha())
        self._short = short
        self._longest = max((len(w) for w in self._words), default=0)

    def split(self, typed: str) -> list[str] | None:
        n = len(typed)
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for end in range(2, n + 1):
            for start in range(max(0, end - self._longest), end - 1):
                before = best[start]
                if before is None or (best[end] is not None and len(before) + 1 >= len(best[end] or ())):
                    continue
                piece = typed[start:end]
                if piece in self._words or (len(piece) == 2 and self._short(piece)):
                    best[end] = [*before, piece]
        found = best[n]
        return found if found is not None and 2 <= len(found) <= n // 4 + 1 else None
