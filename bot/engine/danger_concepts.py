"""Where the danger concepts are told in a message's words: their phrases and ages, found.

Each phrase of a concept (and each of a sign's own phrases, as the concept "=<id>") is indexed by its
first word, a longer one by its second word too, so a common first word ("tidak") tries few phrases.
Apart from the detector because finding what is told is one question and whether the words around it
say it is not happening now (the guards, `danger.py`) is another.
"""

from __future__ import annotations

from collections import defaultdict

from bot.engine.danger_forms import WordForms
from bot.engine.danger_text import UNITS, Hit, age_anchors, age_unit, closure, phrase_end
from bot.knowledge.danger import DangerSigns

_ABLE = frozenset(["bisa", "mau"])  # "tidak bisa X" / "tidak mau X" may be told as "X tidak bisa"
# a bare number before one of these is an age or a span ("baru 40 hari", "40 menit"), never a temperature or a count
_SPANS = frozenset([*UNITS, "jam", "menit", "hour", "hours", "minute", "minutes"])


class ConceptIndex:
    """Built once per content version from the data and the word forms; `hits(words)` is on the hot path."""

    def __init__(self, data: DangerSigns, forms: WordForms) -> None:
        self._match_all = forms.match_all
        words_of = forms.words
        concepts = {c.name: c for c in data.concepts}
        members: dict[tuple[str, ...], set[str]] = defaultdict(set)  # phrase -> the concepts it stands for
        free: dict[tuple[str, ...], set[str]] = defaultdict(set)  # phrase -> guards that do not drop it
        for c in data.concepts:
            for phrase in c.phrases:
                free[words_of(phrase)].update(c.unguarded)
        self._phrase_free = {p: frozenset(g) for p, g in free.items() if g}
        for c in data.concepts:
            for name in closure(c.name, concepts):
                for phrase in concepts[name].phrases:
                    members[words_of(phrase)].add(c.name)
        within = {c.name: closure(c.name, concepts) for c in data.concepts}
        self._ages = [  # an age counts for its concept and every concept that includes it ("@pregnancy_weeks")
            (
                frozenset(n for n, inner in within.items() if c.name in inner),
                c.age,
                {forms.one(w) for w in c.age.near},
            )
            for c in data.concepts
            if c.age
        ]
        for sign in data.signs:
            for phrase in sign.phrases:
                members[words_of(phrase)].add(f"={sign.id}")
        members.pop((), None)
        self._negation = {w for p in data.guard("negation") for w in words_of(p)}
        for words, names in list(members.items()):  # "tidak bisa dibangunkan" told as "dibangunin gak bisa"
            if len(words) >= 3 and words[0] in self._negation and words[1] in _ABLE:
                members[(*words[2:], *words[:2])].update(names)
        self._filler = frozenset(w for p in data.guard("filler") for w in words_of(p))
        # phrases by their first word: one-word phrases, and longer ones by their second word too (a phrase's
        # second word stands within the next 5 words), so a common first word ("tidak") tries few phrases
        self._alone: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = defaultdict(list)  # (names, free)
        self._pairs: dict[str, dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]] = defaultdict(dict)
        for words, names in members.items():
            if len(words) == 1:
                self._alone[words[0]].append((frozenset(names), self._phrase_free.get(words, frozenset())))
            else:
                self._pairs[words[0]].setdefault(words[1], []).append((words, frozenset(names)))

    def hits(self, words: list[str]) -> list[Hit]:
        """Every concept told in the words, where: its phrases (with their guard exemptions) and its ages."""
        forms = self._match_all(words)
        hits: list[Hit] = []
        negation, alone, pairs_of = self._negation, self._alone, self._pairs
        for i, here in enumerate(forms):
            nearby: set[str] | None = None
            digit = words[i].isdigit()
            spans = digit and i + 1 < len(words) and words[i + 1] in _SPANS
            for form in here:
                if not spans and form in alone:
                    for names, free in alone[form]:
                        hits.extend([Hit(n, i, i, free) for n in names])
                pairs = pairs_of.get(form)
                if not pairs:
                    continue
                if nearby is None:
                    nearby = set().union(*forms[i + 1 : i + 6])
                # the smaller side is walked: a common first word ("tidak") has a hundred second words
                seconds = nearby.intersection(pairs) if len(pairs) < len(nearby) else [w for w in nearby if w in pairs]
                for second in seconds:
                    for phrase, names in pairs[second]:
                        end = phrase_end(phrase, forms, i, negation, self._filler)
                        if end is not None:
                            free = self._phrase_free.get(phrase, frozenset())
                            hits.extend([Hit(n, i, end, free) for n in names])
            unit = age_unit(words, i) if digit else None
            if unit is not None:
                days = int(words[i]) * UNITS[words[unit]]
                around = age_anchors(words, forms, i, unit)
                for names, age, near in self._ages:
                    if (
                        age.low_days <= days <= age.high_days
                        and (near & around if near else True)
                        and (not age.units or words[unit] in age.units)
                    ):
                        hits.extend(Hit(name, i, unit) for name in names)
        return hits
