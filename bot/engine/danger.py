"""Danger signs as residents describe them: word groups combined by rules, with guards.

A message is read as canonical words (the normaliser: slang, typos, numbers). Each word
group (concept) of `content/danger_signs.yaml` is found where its phrases occur: the words
of a phrase in order, one stray word allowed between them, a word may carry a suffix
("dadanya") or a small typo. A sign fires when one of its phrases occurs, or when all
concepts of one of its rules occur within `window` words, in any order.

Guards drop a found phrase when the words around it say it is not happening now:
negation right before it ("tidak demam"), resolution after it ("demamnya sudah turun"),
the past before or after it ("dulu pernah kejang", "kejang waktu kecil"), a mild word
next to it ("sakit kepala sedikit"), or an everyday look-alike around it ("saya tidak
sadar kalau..."). A pure information question ("apa tanda-tanda stroke?") with no one
in it and no urgency is not an emergency. Recall comes first: a false alarm costs a
resident seconds, a miss can cost a life.

What a resident's word stands for (a suffix, a chat or Malay spelling, a typo) is read by
`danger_forms`, where the concepts are told by `danger_concepts`; this module guards what was
found and decides which sign it makes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.danger_concepts import ConceptIndex
from bot.engine.danger_forms import WordForms, danger_vocabulary
from bot.engine.danger_text import (
    Hit as _Hit,
)
from bot.engine.danger_text import (
    Phrases,
    Questions,
    Reading,
    add_together,
    after_all_clear,
    fires,
    information_only,
    read,
)
from bot.engine.normalize import Normalizer
from bot.knowledge.danger import WORD_GUARDS, DangerSign, DangerSigns, Rule

_GUARD_REACH = 4  # words a past or resolution guard reaches from what it guards
_PAST_REACH = 6  # words back to a past marker ("dulu waktu SD saya sering pingsan"), stopped by "sekarang"
_MILD_REACH = 2
_PAST_AFTER_REACH = 8  # words a past time after a sign reaches back, within its clause
_SINCE = frozenset(["sejak", "since", "dari", "semenjak"])  # "demam sejak minggu lalu" is still going on
_NOW = frozenset(["ongoing", "sudden"])  # concepts that say a sign is happening now, after "kali ini"

__all__ = ["DangerDetector", "danger_vocabulary"]  # danger_vocabulary lives with the word forms


@dataclass(frozen=True, slots=True)
class _Marks:
    """Where a message's guard phrases start, and the positions its concepts take."""

    resolved: set[int]
    past: set[int]
    past_after: set[int]
    taken: set[int]
    turn: int | None = None  # "tapi kali ini ...": a sign told before it in the past is happening again


@dataclass(frozen=True, slots=True)
class _Sign:
    sign: DangerSign
    rules: tuple[Rule, ...]  # the sign's phrases count as a rule of one concept: "=<id>"
    unless: Phrases
    not_if: Phrases
    skip: frozenset[str]
    needs: tuple[frozenset[str], ...]  # the concepts of each rule


class DangerDetector:
    """Built once per content version; `find(words)` is the hot path."""

    def __init__(self, data: DangerSigns, normalizer: Normalizer) -> None:
        self._window = data.window
        self._forms = WordForms(data, normalizer)
        words_of = self._forms.words
        self._concepts = ConceptIndex(data, self._forms)
        self._signs: list[_Sign] = []
        for sign in data.signs:
            own = f"={sign.id}"
            rules = (Rule((own,)),) if sign.phrases else ()
            unless = Phrases(words_of(p) for p in sign.unless)
            not_if = Phrases(words_of(p) for p in sign.not_if)
            every = rules + sign.rules
            needs = tuple(frozenset(r.concepts) for r in every)
            self._signs.append(_Sign(sign, every, unless, not_if, frozenset(sign.skip_guards), needs))
        self._free = {c.name for c in data.concepts if not c.guarded}
        self._used = {name for s in self._signs for rule in s.rules for name in rule.concepts}
        for c in reversed(data.concepts):  # a concept made of others uses them (one may build on another above it)
            if c.together and c.name in self._used:
                self._used.update(c.together)
        self._together = [(c.name, c.together, c.within) for c in data.concepts if c.together]
        guards = {
            name: [w for p in data.guard(name) if (w := words_of(p))] for name in ("resolved", "past", "past_after")
        }
        self._resolved, self._past, self._past_after = (
            Phrases(guards["resolved"]),
            Phrases(guards["past"]),
            Phrases(guards["past_after"]),
        )
        self._info = Phrases(words_of(p) for p in data.guard("info"))
        self._info_always = Phrases(words_of(p) for p in data.guard("info_always"))
        self._asking = Phrases(words_of(p) for p in data.guard("asking"))
        self._reassure = Phrases(words_of(p) for p in data.guard("reassure"))
        self._calm = Phrases(words_of(p) for p in data.guard("calm"))
        self._unless = Phrases(words_of(p) for p in data.guard("unless"))
        self._all_clear = Phrases(words_of(p) for p in data.guard("all_clear"))
        self._again = Phrases(words_of(p) for p in data.guard("again"))
        self._this_time = Phrases(words_of(p) for p in data.guard("this_time"))
        self._future = Phrases(words_of(p) for p in data.guard("future"))
        self._unless_first = Phrases(words_of(p) for p in data.guard("unless_first"))
        self._unsure = Phrases(words_of(p) for p in data.guard("unsure"))
        self._figurative = Phrases(words_of(p) for p in data.guard("figurative"))
        self._story = Phrases(words_of(p) for p in data.guard("story"))
        self._jokes = data.guard("joke")  # read in the raw text: emoji and "wkwk" do not survive normalising
        # the one-word guards, by name, as content/danger_signs.yaml declares them (WORD_GUARDS)
        self._single = {name: {w for p in data.guard(name) for w in words_of(p)} for name in WORD_GUARDS}

    @property
    def vocabulary(self) -> list[str]:
        """Every word the detector looks for: the normaliser corrects typos towards these."""
        return self._forms.vocabulary

    def find(self, text: str) -> DangerSign | None:
        """The first sign (in file order) described in the text, or None."""
        reading = read(text, self._forms.read_words, self._forms.same, self._single["negation"])
        words = reading.words
        self._forms.settle(words)  # "dah lame" is "sudah lama" for the guards too
        if not words:
            return None
        hits = [h for h in self._concepts.hits(words) if h.concept in self._used]
        if not hits:
            return None
        masked = self._unless.spans(words) | self._first_in_clause(reading)
        hits = [h for h in hits if not masked & set(range(h.start, h.end + 1))]
        taken = {i for h in hits for i in range(h.start, h.end + 1)}
        again = self._again.spans(words)  # "seperti dulu lagi": happening again, not in the past
        marks = _Marks(
            self._resolved.starts(words),
            self._past.starts(words) - again,
            self._past_after.starts(words) - again,
            taken,
            self._turn(reading, hits),
        )
        kept = [h for h in hits if not self._guarded(reading, h, marks)]
        mild = [
            h for h in kept if h.concept not in self._free and "mild" not in h.free and self._mild(reading, h, taken)
        ]
        personal, urgent = self._single["personal"], self._single["urgent"]
        who = any(h.concept in self._free for h in hits)  # a baby, a child, a pregnancy...
        questions = Questions(self._asking, self._info, self._info_always, self._reassure, self._calm, self._all_clear)
        info = information_only(reading, questions, personal, urgent, who)
        ahead = self._hypothetical(reading)
        unsure = self._unsure_of(words)
        after_clear = after_all_clear(words, reading.sentence, self._all_clear, self._single["scope"])
        figurative = {reading.sentence[i] for i in self._figurative.spans(words)}
        story = {reading.sentence[i] for i in self._story.spans(words)}
        lowered = text.lower()
        joke = any(j in lowered for j in self._jokes)
        for entry in self._signs:
            if joke and "joke" not in entry.skip:
                continue
            usable = kept
            if "negation" in entry.skip or "past" in entry.skip:
                usable = [h for h in hits if not self._guarded(reading, h, marks, entry.skip)]
            if mild and "mild" not in entry.skip:
                usable = [h for h in usable if h not in mild]
            cleared = after_clear if "all_clear" not in entry.skip else None
            if cleared is not None:  # before "sudah baik": only what leads up to a sign told after it, in that sentence
                now = {reading.sentence[h.start] for h in usable if h.start >= cleared}
                usable = [h for h in usable if h.start >= cleared or reading.sentence[h.start] in now]
            if figurative and "all_clear" not in entry.skip:
                usable = [h for h in usable if reading.sentence[h.start] not in figurative]
            if story and "story" not in entry.skip:
                usable = [h for h in usable if reading.sentence[h.start] not in story]
            if info and "info" not in entry.skip:
                usable = [h for h in usable if h.start not in info]
            if ahead and "conditional" not in entry.skip:  # "nanti kalau semua tidur mau saya minum" is a plan
                usable = [h for h in usable if h.start not in ahead]
            if not usable or not self._may_fire(entry, usable):
                continue
            if entry.not_if:  # "kucingnya sudah vaksin": not this sign, in that sentence
                denied = {reading.sentence[i] for i in entry.not_if.spans(words) - unsure}
                if denied and entry.sign.not_if_anywhere:
                    continue
                usable = [h for h in usable if reading.sentence[h.start] not in denied]
            if entry.unless:
                own = entry.unless.spans(words)
                usable = [h for h in usable if not own & set(range(h.start, h.end + 1))]
            by_concept: dict[str, list[_Hit]] = defaultdict(list)
            for h in usable:
                by_concept[h.concept].append(h)
            add_together(by_concept, self._together)
            if cleared is None:
                if any(fires(rule, by_concept, self._window) for rule in entry.rules):
                    return entry.sign
                continue
            # "jatuh kepala duluan, tadi baik saja, tapi sekarang muntah": a rule that needs what came after
            before: dict[str, list[_Hit]] = defaultdict(list)
            for h in usable:
                if h.start < cleared:
                    before[h.concept].append(h)
            add_together(before, self._together)
            if any(
                fires(rule, by_concept, self._window) and not fires(rule, before, self._window) for rule in entry.rules
            ):
                return entry.sign
        return None

    def words(self, text: str) -> list[str]:
        return read(text, self._forms.read_words, self._forms.same, self._single["negation"]).words

    # --- guards --------------------------------------------------------------------------------

    def _first_in_clause(self, reading: Reading) -> set[int]:
        """`unless_first` phrases that open their clause (after `opener` words): "maaf, saya tidak sadar
        jadwalnya lewat" is not "nenek saya tidak sadar"."""
        words, clause = reading.words, reading.clause
        opener = self._single["opener"]
        starts = self._unless_first.starts(words)
        if not starts:
            return set()
        spans = self._unless_first.spans(words)
        covered: set[int] = set()
        for i in sorted(starts):
            j = i - 1
            while j >= 0 and clause[j] == clause[i] and words[j] in opener:
                j -= 1
            if j < 0 or clause[j] != clause[i]:
                end = i
                while end + 1 in spans:
                    end += 1
                covered.update(range(i, end + 1))
        return covered

    def _turn(self, reading: Reading, hits: list[_Hit]) -> int | None:
        """Where "kali ini" / "this time" starts, when something lasting or sudden is told after it in its sentence:
        "pernah step dulu, tapi kali ini sudah 10 menit belum berhenti" is happening now."""
        for t in sorted(self._this_time.starts(reading.words)):
            if any(
                h.start > t and h.concept in _NOW and reading.sentence[h.start] == reading.sentence[t] for h in hits
            ):
                return t
        return None

    def _unsure_of(self, words: list[str]) -> set[int]:
        """The few words after "tidak tahu" / "not sure", or a negation: what they say is not known or is
        denied, so it rules nothing out ("gak tau udah divaksin apa belum" is no "sudah divaksin")."""
        out: set[int] = set()
        for i in self._unsure.spans(words):
            out.update(range(i + 1, min(len(words), i + 5)))
        negation = self._single["negation"]
        for i, w in enumerate(words):  # "never been vaccinated" is no "vaccinated"
            if w in negation:
                out.update(range(i + 1, min(len(words), i + 3)))
        return out

    def _hypothetical(self, reading: Reading) -> set[int]:
        """A sign after "kalau"/"if" in its clause, when its sentence speaks of later ("besok", "tomorrow"):
        "jadwal suntik besok, kalau demam setelahnya gimana?" asks ahead; nobody is ill now."""
        words, clause = reading.words, reading.clause
        later = {reading.sentence[i] for i in self._future.starts(words)}
        if not later:
            return set()
        conditional = self._single["conditional"]
        out: set[int] = set()
        for c, w in enumerate(words):
            if w in conditional and reading.sentence[c] in later:  # "kalau" and "besok" in one sentence
                out.update(i for i in range(c + 1, len(words)) if clause[i] == clause[c])
        return out

    def _guarded(self, reading: Reading, hit: _Hit, marks: _Marks, skip: Iterable[str] = ()) -> bool:
        """Negated, resolved or past: the words around the hit say it is not happening now."""
        if hit.concept in self._free:
            return False
        words = reading.words
        skip = set(skip) | hit.free
        negation, between, scope = self._single["negation"], self._single["between"], self._single["scope"]
        if "negation" not in skip:  # "tidak sesak", "tidak ada sesak", even inside a phrase ("tidak berkurang")
            before = hit.start - 1
            if before >= 0 and words[before] in negation:
                return True
            if before >= 1 and words[before] in between and words[before - 1] in negation:
                return True
        sentence = reading.sentence[hit.end]
        after = [
            i
            for i in range(hit.end + 1, min(len(words), hit.end + _GUARD_REACH + 1))
            if reading.sentence[i] == sentence
        ]
        if "resolved" not in skip and not marks.resolved.isdisjoint(after):
            return True
        if "past" not in skip:
            low = hit.start
            sentence = reading.sentence[hit.start]
            while (
                low > 0
                and hit.start - low < _PAST_REACH
                and words[low - 1] not in scope
                and reading.sentence[low - 1] == sentence
            ):
                low -= 1
            clause = reading.clause[hit.end]
            later = [  # "keracunan makanan di sekolah anak minggu lalu": a past time closing the clause
                i
                for i in range(hit.end + 1, min(len(words), hit.end + _PAST_AFTER_REACH + 1))
                if reading.clause[i] == clause and words[i - 1] not in _SINCE
            ]
            if not marks.past.isdisjoint(range(low, hit.start)) or not marks.past_after.isdisjoint(later):
                return marks.turn is None or marks.turn < hit.end
        return False

    def _mild(self, reading: Reading, hit: _Hit, taken: set[int]) -> bool:
        """A mild word next to the hit, in its clause: "agak sesak", "sakit kepala sedikit", "melepuh kecil"."""
        words, clause = reading.words, reading.clause[hit.start]
        mild, after = self._single["mild"], self._single["mild_after"]
        before = range(max(0, hit.start - 1), hit.start)
        behind = range(hit.end + 1, min(len(words), hit.end + 1 + _MILD_REACH))
        return any(
            i not in taken and reading.clause[i] == clause and (words[i] in mild or (i in behind and words[i] in after))
            for i in (*before, *behind)
        )

    # --- rules ---------------------------------------------------------------------------------

    def _may_fire(self, entry: _Sign, usable: list[_Hit]) -> bool:
        """Whether some rule of the sign has all its concepts among the hits (their places aside)."""
        present = {h.concept for h in usable}
        for name, parts, _within in self._together:
            if present.issuperset(parts):
                present.add(name)
        return any(need <= present for need in entry.needs)
