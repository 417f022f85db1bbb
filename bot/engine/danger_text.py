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
from dataclasses import dataclass

from bot.knowledge.danger import Concept

# A clause ends at . ! ? ; : or a line break, and at a comma, but never inside a number ("38,5", "38.5").
_CLAUSE_END = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[!?;:\n()]+|\s[-–—]\s")
_SENTENCE_END = re.compile(r"[!?;\n]|(?<!\d)\.(?!\d)")
# "tidak boleh angkat tangan" (Riau Malay: cannot lift), "tidak dapat bernapas": all read as "tidak bisa".
_NEGATED_CAN = {"boleh": "bisa", "dapat": "bisa", "mampu": "bisa", "sanggup": "bisa"}
_NEAR_AGE = 4  # words between an age ("2 minggu") and the word it belongs to ("bayi")
_AGE_FILLERS = frozenset(
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
    ]
)  # "bayi saya baru 2 minggu": small words an age may stand behind


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as canonical words, with the clause and sentence each word came from."""

    words: list[str]
    clause: list[int]
    sentence: list[int]


def read(
    text: str,
    words_of: Callable[[str], list[str]],
    same: Mapping[str, tuple[str, ...]],
    negation: frozenset[str] | set[str] = frozenset(),
) -> Reading:
    """The clauses of `text` read by `words_of`, regional words replaced (`same`), and "can" after a
    word of `negation` read as "bisa"."""
    words: list[str] = []
    clause: list[int] = []
    sentence: list[int] = []
    pieces = _CLAUSE_END.split(text)
    ends = [m.group(0) for m in _CLAUSE_END.finditer(text)]
    s = 0
    for c, piece in enumerate(pieces):
        for w in words_of(piece):
            for one in same.get(w, (w,)):
                if one in _NEGATED_CAN and words and words[-1] in negation:
                    one = _NEGATED_CAN[one]
                if words and one == words[-1] and one.isalpha():
                    continue  # "kejang, kejang" reads as one "kejang", as the normaliser does within a clause
                words.append(one)
                clause.append(c)
                sentence.append(s)
        if c < len(ends) and _SENTENCE_END.search(ends[c]):
            s += 1
    return Reading(words, clause, sentence)


def phrase_end(
    phrase: tuple[str, ...],
    forms: Sequence[frozenset[str]],
    start: int,
    tight: Iterable[str] = (),
    transparent: frozenset[str] = frozenset(),
) -> int | None:
    """Where the phrase starting at `start` ends: its words in order, at most one stray word between,
    and any number of `transparent` words (intensifiers: "susah sekali narik napas") besides.

    No stray word right after a word of `tight` (a negation): "tidak [melepuh] sudah" is not "tidak sudah".
    """
    at = start
    for previous, word in itertools.pairwise(phrase):
        nxt = at + 1
        while nxt < len(forms) and nxt - at <= 3 and forms[nxt] & transparent and word not in forms[nxt]:
            nxt += 1
        if nxt < len(forms) and word in forms[nxt]:
            at = nxt
        elif previous not in tight and nxt + 1 < len(forms) and word in forms[nxt + 1]:
            at = nxt + 1
        else:
            return None
    return at


class Phrases:
    """A list of phrases indexed by their first word, found in a message's words."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                self.by_first.setdefault(phrase[0], []).append(phrase)

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def starts(self, words: Sequence[str]) -> set[int]:
        """Where any of the phrases starts, word for word."""
        found = set()
        for i, w in enumerate(words):
            for phrase in self.by_first.get(w, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    found.add(i)
                    break
        return found

    def spans(self, words: Sequence[str]) -> set[int]:
        """Positions covered by any of the phrases (exact words, in order, one stray word allowed)."""
        covered: set[int] = set()
        for i, w in enumerate(words):
            for phrase in self.by_first.get(w, ()):
                if len(phrase) == 1:
                    covered.add(i)
                    continue
                end = phrase_end(phrase, [frozenset((x,)) for x in words[i : i + 2 * len(phrase)]], 0)
                if end is not None:
                    covered.update(range(i, i + end + 1))
        return covered


def age_anchors(words: list[str], forms: list[frozenset[str]], i: int) -> set[str]:
    """The words an age at i, i+1 may belong to: right before it, across small words ("bayi saya baru 2
    minggu"), or right after it ("2 week old"). "anak demam 3 hari" is how long, not how old."""
    found: set[str] = set()
    j = i - 1
    while j >= 0 and i - j <= _NEAR_AGE:
        found.update((words[j], *forms[j]))
        if words[j] not in _AGE_FILLERS:
            break
        j -= 1
    if i + 2 < len(words):
        found.update((words[i + 2], *forms[i + 2]))
    return found


_VOWELS = "aeiou"


def colloquial(word: str) -> list[str]:
    """Standard forms a chat or Riau Malay spelling may stand for; the caller keeps the ones it knows.

    "kepale" -> "kepala" (Malay final e), "semalem" -> "semalam" (Jakarta e), "idung" -> "hidung",
    "tebaring" -> "terbaring", "kesiram" -> "tersiram", "ngangkat" -> "angkat", "nolak" -> "tolak",
    "nyakitin" -> "sakitin", "motong" -> "potong".
    """
    if len(word) < 4:
        return []
    out = []
    if word.endswith("e"):
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
    return out


def closure(name: str, concepts: dict[str, Concept], seen: frozenset[str] = frozenset()) -> set[str]:
    """The concept and every concept it includes, however deep (a cycle stops where it closes)."""
    if name in seen or name not in concepts:
        return set()
    out = {name}
    for other in concepts[name].includes:
        out |= closure(other, concepts, seen | {name})
    return out


def after_all_clear(words: list[str], all_clear: Phrases, scope: set[str]) -> int | None:
    """Where signs may still be told after "all is well": None when nothing says all is well.

    "sudah sembuh" clears what was told before it; a sign told after it with "tapi" or "sekarang"
    ("kakaknya sudah sembuh, tapi adiknya sekarang kejang") is still a sign.
    """
    clear = all_clear.spans(words)
    if not clear:
        return None
    last = max(clear)
    turn = [i for i in range(last + 1, len(words)) if words[i] in scope]
    return turn[0] if turn else len(words)


def information_only(
    reading: Reading, asking: Phrases, info: Phrases, info_always: Phrases, personal: set[str], urgent: set[str]
) -> set[int]:
    """Where the message only asks about signs in general ("apa tanda stroke?"): the sentences with
    an information phrase and no one in them ("what are the signs..." even with someone in it).

    Nothing when anything is urgent; all of it when it says it is "just asking" ("buat pengetahuan").
    A sign told in another sentence ("apa tanda stroke? bapak saya mulutnya mencong") still counts.
    """
    words = reading.words
    asked_only = asking.spans(words)
    if any(w in urgent and i not in asked_only for i, w in enumerate(words)):  # "cara menolong orang" is not "tolong!"
        return set()
    if asked_only:
        return set(range(len(words)))
    general = {reading.sentence[i] for i in info_always.spans(words)}
    asked = {reading.sentence[i] for i in info.spans(words)} - general
    for sentence in list(asked):
        inside = [w for w, s in zip(words, reading.sentence, strict=True) if s == sentence]
        if any(w in personal or (w.endswith("ku") and len(w) > 4) for w in inside):
            asked.discard(sentence)
    return {i for i, s in enumerate(reading.sentence) if s in asked | general}
