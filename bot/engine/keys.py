"""The comparable keys of a text: what the matcher (understanding.py) compares a message and a variant by.

A key is a word's stem (Sastrawi; a light prefix stem for English), or a class: any number, any month name and
any age ("9 bulan", "10 weeks") match any other of their class. A place named right after "puskesmas" is that
puskesmas, keyed apart (FACILITY + its stem); elsewhere a place's words only say where.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.engine.normalize import Normalizer
from bot.engine.spelling import american
from bot.engine.stemmer import roots, stem

NUMBER, MONTH, AGE = "<angka>", "<bulan>", "<umur>"  # any number / month name / age matches any other
FACILITY = "@"  # "puskesmas rejosari": a place named right after "puskesmas" is that puskesmas, keyed apart
_FACILITY_WORDS = frozenset({"puskesmas"})  # normalised ("pkm", "puskes")
_NAME_WORDS = 3  # a place name after it is read up to this many words long ("harapan raya", "payung sekaki")
_TYPED_NAME = 9  # letters of a name of two words or more that may be typed one letter off ("mura fajar")
_AGE_UNITS = {"bulan", "tahun", "minggu", "hari", "month", "months", "year", "years", "week", "weeks"}
_DAY_UNITS = {"minggu", "hari", "week", "weeks"}  # also weekdays and "day": after a number only the age counts
_WEEK_UNITS = {"minggu", "week", "weeks"}
# English age units after a number say only the age: "a 1 year old" is an age, not a growth question's "year old"
# ("how tall should a 3 year old be") against an immunization's "9 month old".
_ENGLISH_AGE_UNITS = {"month", "months", "year", "years", "week", "weeks"}
_ENGLISH_AGE_OLD = "old"
# "bisa tidak?", "ditanggung bpjs tidak", "cek pakai nik bisa tidak dimana": a "tidak" (gak, ga) closing a question
# asks yes or no, it does not say "not" ("tidak aktif"). Dropped when last or before one of these question words.
_NEGATION = "tidak"
_TAG_BEFORE = frozenset({"dimana", "mana", "kapan", "berapa", "bagaimana", "apa", "kah", "sih", "ya"})
_ENGLISH_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")
_ENGLISH_PREFIX = 6  # then cut to a prefix: vaccine, vaccines, vaccination, vaccinated -> vaccin
_CACHED = 50_000  # words whose key is remembered (a resident's typos are many; the cache is emptied when full)
_TEXTS = 16_384  # texts whose keys are remembered: a turn asks several times, the build twice for some texts


class Keys:
    """Keys of texts for one content version: its normaliser, month names, stopwords and place names."""

    def __init__(self, normalizer: Normalizer, months: set[str], stop: set[str], place_names: frozenset[str]) -> None:
        self._normalizer = normalizer
        self._months = months
        self._stop = stop
        self._place_names = place_names
        self._long_names = sorted(n for n in place_names if " " in n)  # names of two words or more, in one order
        self._keys: dict[str, str] = {}
        self._texts: dict[tuple[str, bool], frozenset[str]] = {}

    def of(self, text: str, *, asked: bool = True) -> frozenset[str]:
        """The comparable keys of a text: stems of its meaningful words; "9 bulan" becomes an age, and a place
        named right after "puskesmas" that puskesmas (elsewhere a place's words only say where). `asked`: a
        resident's message, whose closing "tidak" is a question tag; a content variant keeps its "tidak" (dropping
        it there made "anak demam boleh imunisasi tidak" a two-word variant that any "demam anak" filled)."""
        found = self._texts.get((text, asked))
        if found is None:
            if len(self._texts) >= _TEXTS:
                self._texts.clear()
            found = self._texts[(text, asked)] = self._of(text, asked)
        return found

    def _of(self, text: str, asked: bool) -> frozenset[str]:
        words = self._normalizer.words(text)
        keys: set[str] = set()
        named_until = 0  # the words of a puskesmas's name after its first are part of the name, not of the question
        for i, w in enumerate(words):
            if i < named_until:
                continue
            if i and words[i - 1] in _FACILITY_WORDS and (named := self._place_named(words[i : i + _NAME_WORDS])):
                length, first = named
                keys.add(FACILITY + self.key(first))  # weighs as the content's named puskesmas do, not as a place
                named_until = i + length  # "raya" of "harapan raya" is no word of the hours or the address asked
                continue
            if self._chat_word(w):
                continue
            if asked and w == _NEGATION and (i + 1 == len(words) or words[i + 1] in _TAG_BEFORE):
                continue
            if w.isdigit() and i + 1 < len(words) and words[i + 1] in _AGE_UNITS:
                keys.add(AGE)
            elif w in _ENGLISH_AGE_UNITS - _DAY_UNITS and i > 0 and words[i - 1].isdigit():
                continue  # "9 months", "1 year (old)": the age is kept, the unit says nothing more
            elif w == _ENGLISH_AGE_OLD and i > 1 and words[i - 1] in _ENGLISH_AGE_UNITS and words[i - 2].isdigit():
                continue
            elif w in _DAY_UNITS and i > 0 and words[i - 1].isdigit():
                # "10 minggu" is an age, not Sunday ("hari minggu" is a puskesmas's day); the content writes ages in months.
                if w in _WEEK_UNITS:
                    keys.add(self.key("bulan"))
            else:
                keys.add(self.key(w))
        return frozenset(keys)

    def plain_words(self, text: str) -> list[str]:
        """A text's meaningful words as typed after normalising (no stopwords, no lone letters)."""
        return [w for w in self._normalizer.words(text) if not self._chat_word(w)]

    def key(self, word: str) -> str:
        """What a word is compared by: its stem; a class for numbers and months; a prefix for English."""
        found = self._keys.get(word)
        if found is not None:
            return found
        if word.isdigit():
            return NUMBER
        if word in self._months:
            return MONTH
        key = stem(word)
        if key == word and word not in roots():
            key = _english_stem(american(word))  # "centre" and "center" are one word
        if len(self._keys) >= _CACHED:
            self._keys.clear()
        self._keys[word] = key
        return key

    def _chat_word(self, word: str) -> bool:
        """A stopword, or a lone letter ("y", "k"): a chat habit, unless the content uses it ("hepatitis b")."""
        return word in self._stop or (len(word) == 1 and word.isalpha() and word not in self._normalizer.vocabulary)

    def _place_named(self, words: list[str]) -> tuple[int, str] | None:
        """How many of the words one of the office's place names opening them spans ("rejosari" 1, "harapan raya"
        2), and the name's first word; None when they open with none. A name of two words or more may be typed a
        letter off ("mura fajar" is Muara Fajar): so many letters leave no doubt which place is meant."""
        for n in range(len(words), 0, -1):
            typed = " ".join(words[:n])
            if typed in self._place_names:
                return n, words[0]
        for n in range(len(words), 1, -1):
            typed = " ".join(words[:n])
            if len(typed) < _TYPED_NAME:
                continue
            near = process.extractOne(typed, self._long_names, scorer=Levenshtein.distance, score_cutoff=1)
            if near is not None:
                return n, str(near[0]).split()[0]
        return None


def _english_stem(word: str) -> str:
    """A light stem for words Sastrawi does not know (mostly English): opening -> open, vaccines -> vaccin."""
    for suffix in _ENGLISH_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:_ENGLISH_PREFIX]
