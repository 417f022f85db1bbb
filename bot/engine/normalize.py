"""Everyday Indonesian to one canonical form: case, punctuation, repeats, slang, numbers, typos.

"Anak sy umur dua bln, imunsasi apa ajaaa??" -> "anak saya umur 2 bulan imunisasi apa saja".
The slang list, number words and month names are data (content/language.yaml); the
rules of how Indonesian chat bends words are here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from bot.engine import colloquial
from bot.engine.near import Near
from bot.engine.stemmer import roots, stem
from bot.engine.typed_forms import TypedForms
from bot.knowledge.language import MONTH_NAMES, LanguageData

_APOSTROPHE = re.compile(r"(?<=\w)['’`](?=\w)")  # jum'at -> jumat
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")  # anak2 -> anak anak
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")  # 2bln -> 2 bln
_TOKEN = re.compile(r"[a-z]+|\d+")
_DIGIT = re.compile(r"\d")  # the passes over digits (dates, "anak2", "2bln") have nothing to do without one
_APOSTROPHES = ("'", "’", "`")
# A date typed in digits ("lahir 27/10/24", "30-06-2025", "2025-06-30") reads as a date with its month named, as
# "27 oktober 2024" does: the month is what makes it a date (a birth date), not three numbers.
_DIGIT_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d.,/-]*\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTH_NAME = {n: name for name, n in reversed(MONTH_NAMES.items())}  # 10 -> "oktober" (the first name wins)
_TRIPLE = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1+")

# Indonesian numerals are built from unit words: "dua belas" 12, "tiga puluh dua" 32, "dua ratus" 200.
_TEENS, _TENS, _HUNDREDS = "belas", "puluh", "ratus"
_APART = "nya"  # the possessive written as a word of its own
_CACHE_LIMIT = 50_000  # corrections remembered per content version; cleared when full
# Texts whose words are remembered: one turn reads the same message several times (understanding, danger
# signs, small talk, a typed choice, context), and short messages ("halo", "menu", "makasih") recur. Building the
# understanding reads about 15,000 texts (questions, phrasings, danger phrases and their words) 43,000 times: all
# are kept, or the cache emptied while building read each two or three times (round 12).
_WORDS_LIMIT = 32_768
# Between the pieces of a text read in one pass (`Normalizer.pieces`): words no message holds, in turn, so two marks
# never stand side by side (a repeated word is read once) and no slang phrase, number or date reaches across one.
_PIECE_MARKS = ("qxzjpiecea", "qxzjpieceb")


def _typo_cutoff(word: str) -> float | None:
    """How close (rapidfuzz ratio) a misspelt word must be to a known one; None: too short to guess."""
    if len(word) <= 4:
        return None
    return 83.0 if len(word) <= 6 else 80.0


# An English word is not an Indonesian typo: "patients" is no "parents", "weather" no "water", "project" no
# "protect". Letter pairs Indonesian spelling does not use mark one; so does an English ending on a known word.
_ENGLISH_LETTERS = re.compile(r"th|ea|ou|wh|ph|ck|ct")
_ENGLISH_ENDINGS = ("s", "es", "ing", "ed", "er", "ly")


def _english(word: str, known: Callable[[str], bool]) -> bool:
    """Whether a word nobody listed reads as English, left as typed rather than bent towards a near word."""
    if _ENGLISH_LETTERS.search(word):
        return True
    for ending in _ENGLISH_ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 3 and (known(base) or known(base + "e")):
            return True
    return False


V = TypeVar("V")


def phrases_in(
    tokens: Sequence[str],
    table: Mapping[tuple[str, ...], V],
    longest: int,
    starts: Mapping[str, int] | None = None,
) -> Iterator[tuple[V | None, tuple[str, ...]]]:
    """Walk the tokens finding the table's phrases, longest first: (value, phrase) or (None, (word,)) for the rest.
    `starts` (`longest_by_first`), when given, passes a token that starts no phrase at once."""
    i = 0
    while i < len(tokens):
        reach = longest if starts is None else starts.get(tokens[i], 0)
        for size in range(min(reach, len(tokens) - i), 0, -1):
            words = tuple(tokens[i : i + size])
            value = table.get(words)
            if value is not None:
                yield value, words
                i += size
                break
        else:
            yield None, (tokens[i],)
            i += 1


def longest_by_first(table: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """The longest phrase of a table by its first word, for `phrases_in`."""
    out: dict[str, int] = {}
    for phrase in table:
        if phrase:
            out[phrase[0]] = max(out.get(phrase[0], 0), len(phrase))
    return out


def _named_months(text: str) -> str:
    """Dates in digits with their month named: "lahir 27/10/24" -> "lahir 27 oktober 24"."""
    if not _DIGIT.search(text):
        return text

    def named(day: str, month: str, year: str, whole: str) -> str:
        name = _MONTH_NAME.get(int(month))
        return f" {int(day)} {name} {year} " if name and 1 <= int(day) <= 31 else whole

    text = _ISO_DATE.sub(lambda m: named(m[3], m[2], m[1], m[0]), text)
    return _DIGIT_DATE.sub(lambda m: named(m[1], m[3], m[4], m[0]), text)


def _fold(text: str) -> str:
    """A text's case, width and apostrophes folded, its dates named and its digits apart from its letters."""
    text = unicodedata.normalize("NFKC", text).lower()
    if any(a in text for a in _APOSTROPHES):
        text = _APOSTROPHE.sub("", text)
    if _DIGIT.search(text):
        text = _named_months(text)
        text = _REDUPLICATION.sub(r"\1 \1", text)
        text = _DIGIT_LETTER.sub(" ", text)
    return text


class Normalizer:
    """Turns a message into canonical words; built once per content version."""

    def __init__(self, language: LanguageData, vocabulary: Iterable[str]) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for chat, standard in language.replacements:
            self._phrases[tuple(_TOKEN.findall(chat))] = tuple(_TOKEN.findall(standard))
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._starts = longest_by_first(self._phrases)
        self._numbers: dict[tuple[str, ...], int] = {tuple(w.split()): n for w, n in language.numbers}
        self._units = {k[0]: n for k, n in self._numbers.items() if len(k) == 1}
        self._number_firsts = frozenset(k[0] for k in self._numbers if k)  # a token no number starts with is none
        single_keys = {k[0] for k in self._phrases if len(k) == 1}
        standard_words = {w for v in self._phrases.values() for w in v}
        uses = Counter(w for text in vocabulary for w in _TOKEN.findall(text.lower()) if w.isalpha())
        self.vocabulary = frozenset(set(uses) | standard_words | set(language.months))
        self._known = (
            self.vocabulary
            | single_keys
            | set(self._units)
            | {_TEENS, _TENS, _HUNDREDS}
            | {w for s in language.stopwords for w in s.split()}
        )
        self._stopwords = frozenset(w for s in language.stopwords for w in s.split())
        # Misspellings are corrected towards what the bot knows: its content and the slang list.
        self._targets = Near(sorted(self.vocabulary | {k for k in single_keys if len(k) > 3}))
        # ...and as residents dictate and type them: letters spelt out, a word in pieces, vowels left out
        self._typed = TypedForms(self.vocabulary, uses, roots())
        self._corrections: dict[str, str] = {}
        self._seen: dict[tuple[str, bool], tuple[str, ...]] = {}

    def words(self, text: str, correct: bool = True) -> list[str]:
        """The canonical words of a message, in order (a fresh list: callers may change it). `correct=False`
        leaves unknown words as typed (the danger detector matches misspellings itself, against its own words)."""
        key = (text, correct)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= _WORDS_LIMIT:
                self._seen.clear()
            found = self._seen[key] = tuple(self._words(text, correct))
        return list(found)

    def pieces(self, pieces: Sequence[str]) -> list[list[str]]:
        """Each piece's words as `words(piece, correct=False)` reads them, all read in one pass: a message's clauses
        cost one run of the text's passes, not one per clause."""
        joined = _fold("".join(f"{piece} {_PIECE_MARKS[i % 2]} " for i, piece in enumerate(pieces)))
        if joined.count("qxzj") != len(pieces):  # a mark's word typed in a piece (never, but the reading is exact)
            return [self.words(piece, correct=False) for piece in pieces]
        out: list[list[str]] = [[]]
        for token in self._tokens(joined, correct=False):
            if token in _PIECE_MARKS:
                out.append([])
            else:
                out[-1].append(token)
        out.pop()  # after the last piece's mark
        return out

    def _words(self, text: str, correct: bool) -> list[str]:
        return self._tokens(_fold(text), correct)

    def _tokens(self, text: str, correct: bool) -> list[str]:
        """The canonical words of a folded text (`_fold`)."""
        known = self._known
        tokens = _TOKEN.findall(text)
        if correct:  # "tes ha i ve", "pos yandu": read whole before each word is corrected apart
            tokens = self._typed.joined(tokens, known)
        tokens = [t if t in known or t.isdigit() else self._fix(t, correct) for t in tokens]
        # Twice: "gak aktif" -> "tidak aktif" -> "nonaktif"; "tensi tinggi" -> "tekanan darah tinggi" -> "hipertensi".
        # In between, a "nya" written apart ("tensi nya tinggi", Minang "tensi nyo") leaves the phrase whole.
        tokens = self._numerals(self._expand([t for t in self._expand(tokens) if t != _APART]))
        return [t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1]]  # kejang kejang -> kejang

    def __call__(self, text: str) -> str:
        return " ".join(self.words(text))

    def _fix(self, token: str, correct: bool = True) -> str:
        """One token: squeeze stretched letters, then correct a misspelling of a known word."""
        if token.isdigit() or token in self._known:
            return token
        if _TRIPLE.search(token):
            two, one = _TRIPLE.sub(r"\1\1", token), _DOUBLE.sub(r"\1", token)
            for candidate in (two, one):
                if candidate in self._known or candidate in roots():
                    return candidate
            token = two
        if len(token) >= 3 and token[-1] == token[-2] and token[:-1] in self._known:
            return token[:-1]  # a stretched last letter: "dehh", "sipp", "okee"
        return self._correct(token) if correct else token

    def _correct(self, word: str) -> str:
        found = self._corrections.get(word)
        if found is not None:
            return found
        # "ngecek" is cek, not a typo of "ngecer"; a real word is not bent ("marah" is no "parah", "senin" no "sen")
        found = (
            word if word in roots() else colloquial.standard(word, self._knows, self._function_word, self._uses) or word
        )
        if found == word and word not in roots() and not _english(word, self._knows):
            found = self._typed.restored(word) or word  # "hmil" is hamil with its vowel left out
        cutoff = _typo_cutoff(word)
        if (
            found == word
            and cutoff is not None
            and word.isalpha()
            and word not in roots()
            and not _english(word, self._knows)
        ):
            near = self._targets.extract(word, cutoff, limit=5)
            # A real Indonesian word ("pertandingan") is not a typo, even when it looks like one.
            if near and stem(word) == word:
                # Ties on ratio go to the fewest edits: "posiandu" is one letter from posyandu, two from posbindu.
                found = min(near, key=lambda n: (-n[1], Levenshtein.distance(word, n[0])))[0]
        if len(self._corrections) >= _CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[word] = found
        return found

    def _function_word(self, word: str) -> bool:
        """A stopword or a chat abbreviation ("hrs"): its -nya is no possessive of a thing asked about."""
        return word in self._stopwords or (word,) in self._phrases

    def _uses(self, word: str) -> bool:
        return word in self._known

    def _knows(self, word: str) -> bool:
        return word in self._known or word in roots()

    def _expand(self, tokens: list[str]) -> list[str]:
        """Chat abbreviations and slang to standard words, longest phrase first ("gk ada" before "gk")."""
        table, starts = self._phrases, self._starts
        # `phrases_in`, from one token that starts a phrase to the next: the tokens between pass as they are
        at = [i for i, t in enumerate(tokens) if t in starts]
        if not at:
            return list(tokens)
        out: list[str] = []
        done, n = 0, len(tokens)
        for i in at:
            if i < done:  # inside a phrase read already
                continue
            out.extend(tokens[done:i])
            for size in range(min(starts[tokens[i]], n - i), 0, -1):
                standard = table.get(tuple(tokens[i : i + size]))
                if standard is not None:
                    out.extend(standard)
                    done = i + size
                    break
            else:
                out.append(tokens[i])
                done = i + 1
        out.extend(tokens[done:])
        return out

    def _numerals(self, tokens: list[str]) -> list[str]:
        """Number words to digits: "dua bulan" -> "2 bulan", "dua belas" -> "12", "tiga puluh lima" -> "35"."""
        out: list[str] = []
        i = 0
        firsts = self._number_firsts
        while i < len(tokens):
            if tokens[i] not in firsts:  # no number starts here (`_numeral_at`'s first question)
                out.append(tokens[i])
                i += 1
                continue
            value, used = self._numeral_at(tokens, i)
            if used:
                out.append(str(value))
                i += used
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _numeral_at(self, tokens: list[str], i: int) -> tuple[int, int]:
        if tokens[i] not in self._number_firsts:
            return 0, 0
        for size in range(min(3, len(tokens) - i), 0, -1):
            fixed = self._numbers.get(tuple(tokens[i : i + size]))
            if fixed is not None and size > 1:
                return fixed, size
        unit = self._units.get(tokens[i])
        if unit is None:
            return 0, 0
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt == _TEENS and unit < 10:
            return unit + 10, 2
        if nxt == _HUNDREDS and unit < 10:
            rest, used = self._numeral_at(tokens, i + 2) if i + 2 < len(tokens) else (0, 0)
            return unit * 100 + (rest if rest < 100 else 0), 2 + (used if rest < 100 else 0)
        if nxt == _TENS and unit < 10:
            after = self._units.get(tokens[i + 2]) if i + 2 < len(tokens) else None
            if after is not None and after < 10:
                return unit * 10 + after, 3
            return unit * 10, 2
        return unit, 1
