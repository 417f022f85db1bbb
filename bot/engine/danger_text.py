"""How the danger detector reads a message: clauses, canonical words, and phrases found in them.

A message is cut into clauses at punctuation ("anak saya sudah sembuh. adiknya sekarang kejang")
and each clause is read by the shared normaliser. The detector keeps, for every word, the clause it
came from: guards that say "not now" (resolved, mild) reach only within their clause, and a message-
wide "all is well" does not cancel a sign told after it with "tapi"/"sekarang".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.knowledge.danger import Concept, Rule

# A clause ends at . ! ? ; : or a line break, and at a comma, but never inside a number ("38,5", "38.5").
_CLAUSE_END = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[!?;:\n()]+|\s[-–—]\s")
_SENTENCE_END = re.compile(r"[!?;\n]|(?<!\d)\.(?!\d)")
# "tidak boleh angkat tangan" (Riau Malay: cannot lift), "tidak dapat bernapas": all read as "tidak bisa".
NEGATED_CAN = {"boleh": "bisa", "dapat": "bisa", "mampu": "bisa", "sanggup": "bisa"}
UNITS = {
    "hari": 1, "minggu": 7, "bulan": 30, "tahun": 365,
    "day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365,
}  # fmt: skip
# Letters as they are spoken ("em er" is MR, "pe er" PR, "te be" TB): two or more in a row spell an abbreviation,
# read as one word, so none of them is a word of its own ("imunisasi em er" asks of the MR vaccine, not the ER).
# Not "be", "we": English words ("can we be").
_LETTER_NAMES = {
    "ce": "c", "de": "d", "ef": "f", "ge": "g", "ha": "h", "je": "j", "ka": "k", "el": "l", "em": "m", "en": "n",
    "pe": "p", "ki": "q", "er": "r", "es": "s", "te": "t", "ve": "v", "eks": "x", "ye": "y", "zet": "z",
}  # fmt: skip
_NEAR_AGE = 5  # words between an age ("2 minggu") and the word it belongs to ("bayi")
AGE_FILLERS = frozenset(
    [
        "saya",
        "aku",
        "kami",
        "kita",
        "ku",
        "baru",
        "masih",
        "yang",
        "ini",
        "itu",
        "lahir",
        "umur",
        "usia",
        "my",
        "our",
        "is",
        "just",
        "only",
        "about",
        # who says it or whose it is, and which child: "cucu uwan baru 10 minggu", "anak kedua saya baru 11 minggu"
        "ambo",
        "awak",
        "kak",
        "nenek",
        "kakek",
        "kedua",
        "ketiga",
        "pertama",
        "bungsu",
        "sulung",
        "kecil",
        "kecik",
        "perempuan",
        "laki",
        "cowok",
        "cewek",
        "little",
        "baby",
        "new",
        "newborn",
        # whose child it is: "anak bini ambo baru sebulan", "anak istri saya 3 minggu"
        "istri",
        "bini",
        "suami",
        "wife",
        "husband",
    ]
)  # "bayi saya baru 2 minggu": small words an age may stand behind


class Hit(NamedTuple):
    """A concept told at words start..end. A named tuple, not a dataclass: a long message makes a hundred, and a
    tuple is made at half the cost (equal and hashed as the dataclass was, by its fields)."""

    concept: str
    start: int
    end: int  # inclusive
    free: frozenset[str] = frozenset()  # guards that do not drop it (its phrase's concept is `unguarded`)


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as canonical words, with the clause and sentence each word came from."""

    words: list[str]
    clause: list[int]
    sentence: list[int]
    _places: list[Places] = field(default_factory=list, compare=False, repr=False)

    def places(self) -> Places:
        """Where each word stands, built on first use (the words are settled by then): a guard's phrases are
        looked up by the message's words, not the other way round."""
        if not self._places:
            self._places.append(places(self.words))
        return self._places[0]


class Places(NamedTuple):
    """Where each word of a message stands, and its words as a set (a set meets a set at C speed)."""

    of: dict[str, list[int]]
    words: frozenset[str]


def places(words: Sequence[str]) -> Places:
    """Where each word stands in the words."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        if w in out:
            out[w].append(i)
        else:
            out[w] = [i]
    return Places(out, frozenset(out))


def read(
    text: str,
    words_of: Callable[[list[str]], list[list[str]]],
    same: Mapping[str, tuple[str, ...]],
    negation: frozenset[str] | set[str] = frozenset(),
) -> Reading:
    """The clauses of `text` read by `words_of` (all clauses in one call, each clause's words), regional words
    replaced (`same`), and "can" after a word of `negation` read as "bisa"."""
    words: list[str] = []
    clause: list[int] = []
    sentence: list[int] = []
    pieces = _CLAUSE_END.split(text)
    ends = [m.group(0) for m in _CLAUSE_END.finditer(text)]
    s = 0
    for c, piece_words in enumerate(words_of(pieces)):
        for w in _spelled(piece_words):
            for one in same.get(w, (w,)):
                if one in NEGATED_CAN and words and words[-1] in negation:
                    one = NEGATED_CAN[one]
                if words and one == words[-1] and one.isalpha():
                    continue  # "kejang, kejang" reads as one "kejang", as the normaliser does within a clause
                words.append(one)
                clause.append(c)
                sentence.append(s)
        if c < len(ends) and _SENTENCE_END.search(ends[c]):
            s += 1
    return Reading(words, clause, sentence)


def _spelled(words: list[str]) -> list[str]:
    """The words with each run of two or more spoken letters as the abbreviation they spell ("em er" -> "mr")."""
    if _LETTER_NAMES.keys().isdisjoint(words):
        return words
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if w in _LETTER_NAMES:
            run.append(w)
            continue
        out += ["".join(_LETTER_NAMES[x] for x in run)] if len(run) > 1 else run
        run = []
        out.append(w)
    return out[:-1]


def phrase_end(
    phrase: tuple[str, ...],
    forms: Sequence[frozenset[str]],
    start: int,
    tight: frozenset[str] | set[str] = frozenset(),
    transparent: frozenset[str] = frozenset(),
) -> int | None:
    """Where the phrase starting at `start` ends: its words in order, at most one stray word between,
    and any number of `transparent` words (intensifiers: "susah sekali narik napas") besides.

    No stray word right after a word of `tight` (a negation): "tidak [melepuh] sudah" is not "tidak sudah";
    and a stray word is never one of them: "tengkuk tidak kaku" is not "tengkuk kaku".
    """
    at = start
    for previous, word in itertools.pairwise(phrase):
        nxt = at + 1
        while nxt < len(forms) and nxt - at <= 3 and forms[nxt] & transparent and word not in forms[nxt]:
            nxt += 1
        if nxt < len(forms) and word in forms[nxt]:
            at = nxt
        elif previous not in tight and nxt + 1 < len(forms) and word in forms[nxt + 1] and not forms[nxt] & tight:
            at = nxt + 1
        else:
            return None
    return at


class Phrases:
    """A list of phrases indexed by their first word, found in a message's words."""

    def __init__(self, phrases: Iterable[tuple[str, ...]], tight: frozenset[str] = frozenset()) -> None:
        self._tight = tight  # negations: never the stray word of `spans` ("sudah [tidak] sadar" is no "sudah sadar")
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                self.by_first.setdefault(phrase[0], []).append(phrase)
        self._firsts = frozenset(self.by_first)

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def _firsts_in(self, words: Sequence[str], at: Places | None) -> list[tuple[str, list[int]]]:
        """The message's words that start one of the phrases, with where they stand (`at`: the message's
        `Reading.places()`): most guard lists have no first word in a message, one look-up in C."""
        if at is None:
            if self._firsts.isdisjoint(words):
                return []
            at = places(words)
        return [(w, at.of[w]) for w in self._firsts.intersection(at.words)]

    def starts(self, words: Sequence[str], at: Places | None = None) -> set[int]:
        """Where any of the phrases starts, word for word."""
        found: set[int] = set()
        for w, where in self._firsts_in(words, at):
            phrases = self.by_first[w]
            for i in where:
                for phrase in phrases:
                    if tuple(words[i : i + len(phrase)]) == phrase:
                        found.add(i)
                        break
        return found

    def found(self, words: Sequence[str], at: Places | None = None) -> list[tuple[int, tuple[str, ...]]]:
        """Each place one of the phrases occurs word for word, with the phrase."""
        out: list[tuple[int, tuple[str, ...]]] = []
        for w, where in self._firsts_in(words, at):
            for i in where:
                out.extend((i, phrase) for phrase in self.by_first[w] if tuple(words[i : i + len(phrase)]) == phrase)
        return out

    def ends(self, words: Sequence[str], at: Places | None = None) -> set[int]:
        """Where any of the phrases ends, word for word."""
        found: set[int] = set()
        for w, where in self._firsts_in(words, at):
            phrases = self.by_first[w]
            for i in where:
                for phrase in phrases:
                    if tuple(words[i : i + len(phrase)]) == phrase:
                        found.add(i + len(phrase) - 1)
        return found

    def spans(self, words: Sequence[str], clause: Sequence[int] | None = None, at: Places | None = None) -> set[int]:
        """Positions covered by any of the phrases (exact words, in order, one stray word allowed); with
        `clause`, only a phrase inside one clause ("demam, bisa. kejang" holds no "bisa kejang")."""
        covered: set[int] = set()
        singles: list[frozenset[str]] | None = None
        for w, where in self._firsts_in(words, at):
            phrases = self.by_first[w]
            for i in where:
                for phrase in phrases:
                    if len(phrase) == 1:
                        covered.add(i)
                        continue
                    if phrase[1] not in words[i + 1 : i + 3]:  # the second word, right after or one word on
                        continue
                    if singles is None:
                        singles = [frozenset((x,)) for x in words]
                    end = phrase_end(phrase, singles[i : i + 2 * len(phrase)], 0, self._tight)
                    if end is not None and (clause is None or clause[i] == clause[i + end]):
                        covered.update(range(i, i + end + 1))
        return covered


def age_unit(words: Sequence[str], i: int) -> int | None:
    """Where the unit of an age or a span starting at i is: "2 minggu" (i + 1), "2.5 months" read as
    "2 5 months" (i + 2, the decimals dropped); None when no number and unit start there."""
    if not words[i].isdigit():
        return None
    for j in (i + 1, i + 2):
        if j < len(words) and words[j] in UNITS:
            return j
        if j >= len(words) or not words[j].isdigit():
            return None
    return None


def age_anchors(words: list[str], forms: list[frozenset[str]], i: int, unit: int | None = None) -> set[str]:
    """The words an age at i..unit may belong to: right before it, across small words ("bayi saya baru 2
    minggu", "cucu uwan baru 10 minggu"), or right after it ("2 week old"). "anak demam 3 hari" is how
    long, not how old."""
    unit = i + 1 if unit is None else unit
    found: set[str] = set()
    j = i - 1
    while j >= 0 and i - j <= _NEAR_AGE:
        found.update((words[j], *forms[j]))
        if words[j] not in AGE_FILLERS:
            break
        j -= 1
    if unit + 1 < len(words):
        found.update((words[unit + 1], *forms[unit + 1]))
    return found


def closure(name: str, concepts: dict[str, Concept], seen: frozenset[str] = frozenset()) -> set[str]:
    """The concept and every concept it includes, however deep (a cycle stops where it closes)."""
    if name in seen or name not in concepts:
        return set()
    out = {name}
    for other in concepts[name].includes:
        out |= closure(other, concepts, seen | {name})
    return out


_THING_REACH = 3  # words back from an all-clear phrase to the thing it is said of ("kartu bpjs dia masih aktif")


def after_all_clear(
    reading: Reading, all_clear: Phrases, scope: set[str], things: set[str] | frozenset[str] = frozenset()
) -> int | None:
    """Where signs may still be told after "all is well": None when nothing says all is well.

    "sudah sembuh" clears what was told before it; a sign told after it with "tapi" or "sekarang"
    ("kakaknya sudah sembuh, tapi adiknya sekarang kejang") is still a sign. Said of a thing a few words before it
    in its clause (`papers`: "kartu bpjs dia masih aktif ga?"), it tells nothing of anyone's health.
    """
    words, sentence, clause = reading.words, reading.sentence, reading.clause
    clear = all_clear.spans(words, at=reading.places())
    if clear and things and not things.isdisjoint(words):
        of_things = {
            k
            for i, phrase in all_clear.found(words, reading.places())
            if any(words[j] in things and clause[j] == clause[i] for j in range(max(0, i - _THING_REACH), i))
            for k in range(i, i + len(phrase))
        }
        clear -= of_things
    if not clear:
        return None
    last = max(clear)
    turn = [i for i in range(last + 1, len(words)) if words[i] in scope or sentence[i] != sentence[last]]
    return turn[0] if turn else len(words)


@dataclass(frozen=True, slots=True)
class Questions:
    """The guards that tell a question about signs from someone having them (see `information_only`)."""

    asking: Phrases  # "just asking": the whole message is a question
    info: Phrases  # "cara mencegah ...": that sentence, when no one is in it
    info_always: Phrases  # "apa tanda ...": that sentence, even with someone in it
    reassure: Phrases  # "itu bahaya ga?": that sentence, when no one and no baby, child, pregnancy is in it
    calm: Phrases  # words that look urgent but are not ("does toothpaste help")
    all_clear: Phrases  # "sekarang sudah sehat": its "sekarang" is not urgent either


def information_only(
    reading: Reading,
    questions: Questions,
    personal: set[str],
    urgent: set[str],
    who: bool = False,
    aside: set[int] | frozenset[int] = frozenset(),
    kin: set[str] | frozenset[str] = frozenset(),
    going: set[int] | frozenset[int] = frozenset(),
    negation: set[str] | frozenset[str] = frozenset(),
    supposed: set[int] | frozenset[int] = frozenset(),
) -> set[int]:
    """Where the message only asks about signs in general ("apa tanda stroke?"): the sentences with
    an information phrase and no one in them ("what are the signs..." even with someone in it).

    Nothing when anything is urgent; all of it when it says it is "just asking" ("buat pengetahuan").
    A sign told in another sentence ("apa tanda stroke? bapak saya mulutnya mencong") still counts.
    `who`: the message names a baby, a child or a pregnancy ("bayi 2 minggu. demamnya bahaya ga?").
    `aside`: sentences whose urgent words are not urgent (a story: "tadi liat di tiktok").
    `kin`, `going`: one's own people named without a pronoun ("nenek") count as someone in a sentence where something
    is going on (`going`: where "dari tadi", "tidak berhenti" are): "nenek berdarah tidak berhenti, pertolongannya apa?"
    `negation`: content's negation words ("tidak wajar", "not normal" is a statement, not "is it normal?").
    `supposed`: where a sudden word tells a supposed event after "kalau" ("kalau ada orang tiba tiba ..."): not urgent.
    """
    words, at = reading.words, reading.places()
    clause = reading.clause  # a question's phrase lies inside one clause: "bengkok tak betul, menangis tak henti"
    asked_only = questions.asking.spans(words, clause, at)
    of = reading.sentence
    if not urgent.isdisjoint(at.words):
        calm = asked_only | questions.calm.spans(words, at=at) | questions.all_clear.spans(words, at=at) | supposed
        if any(w in urgent and i not in calm and of[i] not in aside for i, w in enumerate(words)):  # not "tolong!"
            return set()
    if asked_only:
        return set(range(len(words)))
    general = {reading.sentence[i] for i in questions.info_always.spans(words, clause, at)}
    asked = {reading.sentence[i] for i in questions.info.spans(words, clause, at)} - general
    # "bengkok tidak wajar" (abnormal) asks nothing: a reassurance phrase right after a negation is no question
    reassured = (
        set()
        if who
        else {
            reading.sentence[i] for i in questions.reassure.starts(words, at) if i == 0 or words[i - 1] not in negation
        }
        - general
    )
    for sentence in asked | reassured:
        inside = [w for w, s in zip(words, reading.sentence, strict=True) if s == sentence]
        ongoing = any(of[i] == sentence for i in going)
        if any(w in personal or (w.endswith("ku") and len(w) > 4) or (ongoing and w in kin) for w in inside):
            asked.discard(sentence)
            reassured.discard(sentence)
    return {i for i, s in enumerate(reading.sentence) if s in asked | reassured | general}


def add_together(by_concept: dict[str, list[Hit]], together: Iterable[tuple[str, tuple[str, ...], int]]) -> None:
    """Concepts made of others found close together, in file order (one may build on another)."""
    for name, parts, within in together:
        if not all(p in by_concept for p in parts):
            continue
        for left in sorted({h.start for p in parts for h in by_concept[p]}):
            inside = [[h for h in by_concept[p] if left <= h.start and h.end < left + within] for p in parts]
            if all(inside):
                end = max(h.end for group in inside for h in group)
                by_concept[name].append(Hit(name, left, end))
                break


def fires(rule: Rule, hits: dict[str, list[Hit]], default_window: int) -> bool:
    """Whether every concept of the rule has a hit, all within one window of words."""
    if not all(name in hits for name in rule.concepts):
        return False
    by_concept = [hits[name] for name in rule.concepts]
    if len(rule) == 1:
        return True
    window = rule.window or default_window
    for left in sorted({h.start for group in by_concept for h in group}):
        right = left + window
        if all(any(left <= h.start and h.end < right for h in group) for group in by_concept):
            return True
    return False
