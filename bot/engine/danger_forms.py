"""What a resident's word stands for among the danger detector's words: its forms.

Residents write "panasnya", "kepale", "damam", "pinsan", "dibangunin" or a regional word ("lamah");
the phrases of `content/danger_signs.yaml` say "demam", "kepala", "pingsan", "dibangunkan", "lemas".
`WordForms` reads one as the other (a suffix, a chat, Riau Malay or Minang spelling, a root, a typo)
for the phrases' words and the guards' words. It is apart from the detector because it is a question
of spelling, not of signs: the detector asks it what a word is, then finds and guards the signs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.engine.danger_spellings import Deletions, Glued, Shorthand, colloquial
from bot.engine.danger_text import AGE_FILLERS, NEGATED_CAN, UNITS
from bot.engine.near import Near
from bot.engine.normalize import Normalizer
from bot.engine.stemmer import roots, stem
from bot.knowledge.danger import GUARDS, DangerSigns

_SUFFIXES = ("nya", "nye", "ku", "mu", "lah", "kah", "an", "kan", "i", "s", "es", "ed", "ing")
_DOUBLED = re.compile(r"([a-z])\1+")  # a letter typed twice or more where the word has it once
_OWNER_SUFFIXES = ("nya", "nye", "ku", "mu")  # a typo's word read without them ("perunya": "peru", "perut")
_ENGLISH_SUFFIXES = frozenset(["s", "es", "ed", "ing"])  # only after 4 letters: "pusing" is not "pus" + "ing"
_FUZZ = 88.0  # rapidfuzz ratio for a misspelt word ("kejng", "pinsan") of 5 letters or more
_CACHE_LIMIT = 50_000
_LETTERS = re.compile(r"[^\W\d_]+")


def _capitals(text: str) -> frozenset[str]:
    """Words typed in capitals in a message that is not shouted: a name or an acronym ("hotel near SSK II
    airport", "kartu KIS"), never a word written without its vowels ("ssk" for "sesak")."""
    words = _LETTERS.findall(text)
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if not capitals or 2 * len(capitals) > len(words):
        return frozenset()
    return frozenset(w.lower() for w in capitals)


_GLUED_FROM = 9  # letters from which an unknown word may be words typed without spaces


class WordForms:
    """The detector's words and the guards' words, built once per content version; `match` is cached."""

    def __init__(self, data: DangerSigns, normalizer: Normalizer) -> None:
        self._normalizer = normalizer
        same = {w: tuple(normalizer.words(s, correct=False)) or (s,) for w, s in data.same}
        for _ in range(2):  # "lamah" -> "lemah" -> "lemas": a regional word reaches the word the phrases use
            same = {
                w: tuple(x for one in to for x in same.get(one, (one,)) if one != w) or to for w, to in same.items()
            }
        self.same = same
        self._negation: frozenset[str] = frozenset()
        self._negation = frozenset(w for p in data.guard("negation") for w in self.words(p))
        phrases = [self.words(p) for c in data.concepts for p in c.phrases]
        phrases += [self.words(p) for sign in data.signs for p in sign.phrases]
        self.vocabulary = sorted({w for phrase in phrases for w in phrase if w.isalpha()})
        self._known = {w for phrase in phrases for w in phrase}
        guard_words = frozenset(w for name in GUARDS for p in data.guard(name) for w in self.words(p))
        sign_guard_words = frozenset(
            w for sign in data.signs for p in (*sign.unless, *sign.not_if) for w in self.words(p) if w.isalpha()
        )
        ages = {self.one(w) for c in data.concepts if c.age for w in c.age.near} | AGE_FILLERS
        # words read around a sign, for its guards and ages: "saye" (saya), "usie" (usia), "care" (cara)
        self._any_guard = guard_words | sign_guard_words | ages
        self._guard_vocab = sorted(w for w in self._any_guard if w.isalpha())
        self._near_guard = Near(self._guard_vocab)
        typed = {w for p in danger_vocabulary(data) for w in p.lower().split()} | set(self.vocabulary)
        self._missing = Deletions(typed)  # "pans" -> "panas" (read "demam"): a letter left out of a short word
        self._typed = Near(sorted(w for w in typed if w.isalpha() and len(w) >= 5))  # "menret": "mencret" as typed
        self._near_vocabulary = Near(self.vocabulary)
        self._guard_missing = Deletions(self._guard_vocab)
        self._real = normalizer.vocabulary  # words the bot knows as they are: never read as a typo of another
        self._spelt_right = frozenset(w for p in data.guard("spelt_right") for w in p.split())  # "cash": no "crash"
        # the bot's words that are no detector's word: a typo nearer one of them is that word, not a sign's
        self._everyday = Near(sorted(w for w in self._real - typed - self._known if len(w) >= 5))
        self._forms: dict[str, frozenset[str]] = {}
        self._guard_forms: dict[str, str] = {}
        lexicon = set(self._known) | set(self._any_guard) | {w for w, _s in data.same}
        counts = Counter(w for p in _every_phrase(data) for w in self.words(p))
        self._shorthand = Shorthand({w: counts.get(w, 0) for w in lexicon}, lambda w: self.words(w)[0])
        self._glued = Glued(lexicon | set(self._real), lambda w: self.read_words(w) != [w])
        self._message_forms: dict[str, tuple[str, ...]] = {}
        self._as_read = frozenset(self._real | self._known | self._any_guard)  # a message's word read as it is
        self._settled: dict[str, str] = {}

    def read_words(self, text: str) -> list[str]:
        """The text's canonical words, as the normaliser reads them without correcting typos."""
        return self._normalizer.words(text, correct=False)

    def message_words(self, text: str) -> list[str]:
        """A message's words as `read_words` reads them, and besides: a word written without its vowels
        ("mka sblh", "lgn lmh", "bcr gk jls", "skt") as the one detector's or guard's word it stands for, and
        words typed without spaces ("tolongbayikeselek", "gkbisanapas") apart."""
        return self._message_words(text, self.read_words(text))

    def clause_words(self, clauses: list[str]) -> list[list[str]]:
        """Each clause's words as `message_words` reads them, the clauses normalised in one pass."""
        return [
            self._message_words(c, words) for c, words in zip(clauses, self._normalizer.pieces(clauses), strict=True)
        ]

    def _message_words(self, text: str, read: list[str]) -> list[str]:
        out: list[str] = []
        capitals: frozenset[str] | None = None  # read from the text only when a word is no known one
        as_read = self._as_read
        for w in read:
            if w in as_read or not w.isalpha():
                out.append(w)
                continue
            if capitals is None:
                capitals = _capitals(text)
            if w in capitals:
                out.append(w)
                continue
            found = self._message_forms.get(w)
            if found is None:
                found = self._unknown_word(w)
                if len(self._message_forms) >= _CACHE_LIMIT:
                    self._message_forms.clear()
                self._message_forms[w] = found
            out.extend(found)
        return _joined_repeats(out)

    def _unknown_word(self, word: str) -> tuple[str, ...]:
        short = self._shorthand.of(word)
        if short is not None:
            return (short,)
        if len(word) >= _GLUED_FROM and not self.match(word) and not self._is_word(stem(word)):
            pieces = self._glued.split(_DOUBLED.sub(r"\1", word)) or self._glued.split(word)
            if pieces:
                return tuple(self.read_words(" ".join(pieces)))
        return (word,)

    def words(self, phrase: str) -> tuple[str, ...]:
        """A phrase's words, regional words replaced by the words the phrases use, and "sanggup" after a
        negation read as "bisa", as a message's words are (`danger_text.read`): "tidak sanggup" is found."""
        out = [w for one in self.read_words(phrase) for w in self.same.get(one, (one,))]
        for i in range(1, len(out)):
            if out[i] in NEGATED_CAN and out[i - 1] in self._negation:
                out[i] = NEGATED_CAN[out[i]]
        return tuple(out)

    def one(self, word: str) -> str:
        found = self.read_words(word)
        return found[0] if found else word

    def settle(self, words: list[str]) -> None:
        """In place: a word that is no detector's or guard's word as the guard's word it stands for ("dah lame"
        is "sudah lama" for the guards too), and a misspelt age unit as its unit ("3 mnggu", "2 moth old")."""
        settled = self._settled
        words[:] = [settled[w] if w in settled else self._settle(w) for w in words]

    def _settle(self, w: str) -> str:
        """One word as `settle` reads it (remembered: it depends on the word alone)."""
        x = w
        if w not in self._known and w not in self._any_guard:
            # a typo of a guard's word ("frst" of "first aid"), not a root under a suffix ("jagain")
            matched = sorted(g for g in self.match(w) & self._any_guard if abs(len(g) - len(w)) <= 1)
            x = matched[0] if matched else self._guard_form(w)
        if x not in UNITS and w.isalpha():
            unit = next((u for u in self.match(x) if u in UNITS), None)
            if unit is not None:
                x = unit
        if len(self._settled) >= _CACHE_LIMIT:
            self._settled.clear()
        self._settled[w] = x
        return x

    def match_all(self, words: list[str]) -> list[frozenset[str]]:
        """`match` of each word (most are remembered: one look-up each)."""
        known, match = self._forms, self.match
        return [known[w] if w in known else match(w) for w in words]

    def match(self, word: str) -> frozenset[str]:
        """The detector's words this word stands for: itself, with a suffix, or misspelt."""
        found = self._forms.get(word)
        if found is not None:
            return found
        if word in self._spelt_right:  # an English word spelt right is itself, never a typo of a danger word
            found = self._forms[word] = frozenset(self._plain(word))
            return found
        hits: set[str] = set()
        if word not in self._known and _DOUBLED.search(word) and word.isalpha():  # "pipiis", "matanyya", "merrah"
            once = _DOUBLED.sub(r"\1", word)
            hits = {n for n in self.words(once)[:1] if n in self._known} or self._plain(once)
        if not hits:
            hits = self._plain(word)
        if not hits and word.isalpha():  # chat and Riau Malay forms: "kepale", "semalem", "ngangkat", "tebaring"
            for variant in colloquial(word):
                standard = self.same.get(variant, (variant,))  # "lamah" -> "lemah" -> "lemas"
                hits |= self._plain(standard[0] if len(standard) == 1 else variant)
        if not hits and len(word) > 5 and word.isalpha():  # "ketimpa", "kehamilan": the root word
            root = stem(word)
            if root != word and len(root) >= 4 and root in self._known:
                hits.add(root)
        if not hits and len(word) >= 5 and word.isalpha():  # two letters swapped: "kejnag", "pinsgan", "gusinay"
            typed = not self._is_word(word)
            for i in range(len(word) - 1):
                swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
                if swapped in self._known:
                    hits.add(swapped)
                elif typed:  # a chat word ("lemse"), a phrase's word as read ("munatber"), under a suffix ("gusinay")
                    hits |= self._plain(swapped) or {n for n in self.words(swapped)[:1] if n in self._known}
        if not hits and len(word) >= 5 and word.isalpha():  # a letter missing, doubled or wrong: "pinsan"
            targets = self._near_vocabulary if self._is_word(word) else self._typed  # "serum" is no "setrum"
            near = [(w, score) for w, score in targets.extract(word, _FUZZ, limit=3) if w[0] == word[0]]
            # a typo nearer a word of the bot that is no phrase's word is that word: "mencgah" is "mencegah" (93),
            # not "mengah" (92, panting); else the word as the phrases spell it, read as the detector reads it
            # ("mencret" is "diare")
            nearer = near and not self._is_word(word) and self._everyday.extract(word, near[0][1] + 1e-6, limit=1)
            if nearer:
                hits = set(self.match(nearer[0][0]))
            else:
                hits = {n for w, _score in near for n in self.words(w)[:1] if n in self._known}
        if not hits and len(word) == 4 and word.isalpha() and not self._is_word(word):  # "pans", "mium", "nyri"
            hits = {n for w in self._missing.of(word) for n in self.words(w)[:1] if n in self._known}
        if not hits and word.isalpha() and not self._is_word(word):  # a slip before a suffix: "perunya", "gsinya"
            for suffix in _OWNER_SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                    hits = set(self.match(word[: -len(suffix)]))
                    break
        found = frozenset(hits)
        if len(self._forms) >= _CACHE_LIMIT:
            self._forms.clear()
        self._forms[word] = found
        return found

    def _is_word(self, word: str) -> bool:
        return word in self._real or word in roots()

    def _guard_form(self, word: str) -> str:
        """A guard's word this word stands for: a chat or Malay spelling ("lame"), or a typo ("beas" is
        "bebas", "yesteray"); the word itself when it is none, or a word of its own."""
        found = self._guard_forms.get(word)
        if found is None:
            found = next((v for v in colloquial(word) if v in self._any_guard), word) if word.isalpha() else word
            if found == word and len(word) >= 4 and word.isalpha() and not self._is_word(word) and not self.match(word):
                near = self._guard_missing.of(word)
                if not near and len(word) >= 5:
                    near = {w for w, _s in self._near_guard.extract(word, _FUZZ, limit=1) if w[0] == word[0]}
                found = min(near) if near else word
            if len(self._guard_forms) >= _CACHE_LIMIT:
                self._guard_forms.clear()
            self._guard_forms[word] = found
        return found

    def _plain(self, word: str) -> set[str]:
        """The word itself, or with a suffix taken off ("panasnya" -> "panas" -> "demam", "dibangunin")."""
        hits = {word} if word in self._known else set()
        for suffix in _SUFFIXES:
            base_length = len(word) - len(suffix)
            if word.endswith(suffix) and base_length >= (4 if suffix in _ENGLISH_SUFFIXES else 3):
                base = self.words(word[: -len(suffix)])
                if len(base) == 1 and base[0] in self._known:
                    hits.add(base[0])
        if word.endswith("in") and len(word) > 5:  # Jakarta "-in" for "-kan": "dibangunin"
            hits.update(w for w in (word[:-2] + "kan", word[:-2]) if w in self._known)
        return hits


_REPEAT_SUFFIXES = frozenset(["in", "an", "kan", "i", "nya", "lah"])


def _joined_repeats(words: list[str]) -> list[str]:
    """A word doubled with "2" before its suffix ("ngasih2in", "dibagi2kan") read as the word with the suffix
    ("ngasihin", "dibagikan"): the normaliser reads it as three words ("ngasih 2 in")."""
    if "2" not in words:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.isalpha() and i + 2 < len(words) and words[i + 1] == "2" and words[i + 2] in _REPEAT_SUFFIXES:
            out.append(w + words[i + 2])
            i += 3
            continue
        out.append(w)
        i += 1
    return out


def _every_phrase(data: DangerSigns) -> Iterable[str]:
    """Every phrase of the data: its concepts', its signs' (with their guards) and its guards'."""
    for concept in data.concepts:
        yield from concept.phrases
    for sign in data.signs:
        yield from (*sign.phrases, *sign.unless, *sign.not_if)
    for name in GUARDS:
        yield from data.guard(name)


def danger_vocabulary(data: DangerSigns) -> Iterable[str]:
    """Every phrase the detector reads: given to the normaliser so typos are corrected towards them."""
    for concept in data.concepts:
        yield from concept.phrases
    for sign in data.signs:
        yield from (*sign.phrases, *sign.unless)
    for word, _standard in data.same:
        yield word  # a regional word is read as it is ("sampe"), never bent towards another word first
