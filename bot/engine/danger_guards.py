"""Guards: the words around a danger sign that say it is not happening now, to this person.

A found sign (`danger_concepts`) is dropped when its neighbours say so: a negation right before it
("tidak demam"), a resolution after it ("demamnya sudah turun"), the past before or after it ("dulu
pernah kejang", "kejang waktu kecil"), a mild word next to it ("sakit kepala sedikit"), an everyday
look-alike around it ("saya tidak sadar kalau..."), a plan or a question ahead ("kalau besok demam?"),
a figure of speech, a story on the news, a joke, or "all is well" told after it. A pure information
question ("apa tanda-tanda stroke?") with no one in it and no urgency is not an emergency either.

Apart from the detector (`danger.py`) because finding what is told is one question and whether
the words around it say it is not happening now is another. Every guard's words are data, in
`content/danger_signs.yaml` under `guards:`; this module reads them and asks, for each sign, the guards
of time (`danger_when`), of whom it is told (`danger_whom`), of how much (`danger_mild`) and of a word
only mentioned (`danger_mentions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.engine import danger_mentions, danger_mild, danger_when, danger_whom
from bot.engine.danger_text import Hit, Phrases, Questions, Reading, after_all_clear, information_only
from bot.knowledge.danger import WORD_GUARDS, DangerSigns


@dataclass(frozen=True, slots=True)
class Marks:
    """Where a message's guard phrases start, and the positions its concepts take."""

    resolved: set[int]
    past: set[int]
    past_after: set[int]
    taken: set[int]
    turn: int | None = None  # "tapi kali ini ...": a sign told before it in the past is happening again
    worse: frozenset[int] = frozenset()  # where "sekarang sudah banyak" says a mild sign grew
    risk: frozenset[int] = frozenset()  # where a "risk of" phrase ends ("kata dokter risiko stroke")
    service: frozenset[int] = frozenset()  # where a service's name ends ("poli untuk stroke")
    remedy: frozenset[int] = frozenset()  # where a medicine's or a cost's name ends ("obat untuk sesak")
    pets: frozenset[int] = frozenset()  # where an owned animal is named ("kucing saya", "my dog"): the patient
    people: frozenset[int] = frozenset()  # where a person is named ("anak", "nenek", "saya")
    long_ago: frozenset[int] = frozenset()  # where "sudah 3 tahun" starts: a condition years old, not now
    # the answers of the costly guards by the place they were asked of, once per message: a word stands for several
    # concepts, and each set of skipped guards asks again (negated by start, resolved by end, past by both)
    negated_at: dict[int, bool] = field(default_factory=dict, compare=False)
    resolved_at: dict[int, bool] = field(default_factory=dict, compare=False)
    past_at: dict[tuple[int, int], bool] = field(default_factory=dict, compare=False)
    mild_at: dict[tuple[int, int], bool] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Context:
    """What the whole message says around its signs: each guard a sign may skip (`skip_guards`)."""

    joke: bool  # "wkwk", an emoji: nothing in it is an emergency
    info: set[int]  # positions in a sentence that only asks about signs in general
    ahead: set[int]  # positions after "kalau" in a sentence about later
    after_clear: int | None  # where signs may still be told after "all is well" (None: nothing says so)
    figurative: set[int]  # sentences with a figure of speech
    story: set[int]  # sentences telling a story from the news or a film
    in_care: set[int]  # positions told of someone already admitted ("dirawat di ICU"), up to a turn ("tapi sekarang")
    here: frozenset[int] = frozenset()  # after a turn to one's own people: no story, figure or "just asking" reaches


class Guards:
    """The guards of one content version, over a message's `Reading`."""

    def __init__(self, data: DangerSigns, words_of: Callable[[str], tuple[str, ...]], free: set[str]) -> None:
        negation = frozenset(w for p in data.guard("negation") for w in words_of(p))

        def phrases(name: str) -> Phrases:  # a negation is never skipped inside a guard's phrase
            return Phrases((words_of(p) for p in data.guard(name)), negation)

        self._free = free  # concepts no guard drops: who or when ("hamil", "bayi")
        self._of_things = {c.name for c in data.concepts if c.things}  # "tenggelam", "terbakar": a phone, a house
        self._likened = {c.name for c in data.concepts if c.likened}  # "anjing": "galak kayak anjing"
        self.unless = phrases("unless")
        self._names = phrases("names")
        self._resolved, self._past, self._past_after = phrases("resolved"), phrases("past"), phrases("past_after")
        self._questions = Questions(
            phrases("asking"), phrases("info"), phrases("info_always"), phrases("reassure"), phrases("calm"),
            phrases("all_clear"),
        )  # fmt: skip
        self._all_clear = self._questions.all_clear
        self._again, self._this_time = phrases("again"), phrases("this_time")
        self._future, self._unless_first = phrases("future"), phrases("unless_first")
        self._what_to_do = phrases("what_to_do")
        self.unsure = phrases("unsure")
        self._figurative, self._story = phrases("figurative"), phrases("story")
        self._in_care, self._risk, self._escalate = phrases("in_care"), phrases("risk"), phrases("escalate")
        self._service, self._remedy = phrases("service"), phrases("remedy")
        self._asks_normal, self._calm_now = phrases("asks_normal"), phrases("calm_now")
        self._everyday_cause = phrases("everyday_cause")
        self._jokes = data.guard("joke")  # read in the raw text: emoji and "wkwk" do not survive normalising
        # the one-word guards, by name, as content/danger_signs.yaml declares them (WORD_GUARDS)
        self.single = {name: {w for p in data.guard(name) for w in words_of(p)} for name in WORD_GUARDS}

    # --- the whole message ----------------------------------------------------------------------

    def masked(self, reading: Reading) -> set[int]:
        """Positions inside an everyday look-alike: `unless` anywhere, `unless_first` opening its clause, a card's
        state (`danger_mentions.of_papers`), a place told crowded (`danger_mentions.crowded`)."""
        first = danger_mentions.first_in_clause(reading, self._unless_first, self.single["opener"])
        papers = danger_mentions.of_papers(reading, self.single)
        crowded = danger_mentions.crowded(reading, self.single)
        return self.unless.spans(reading.words, reading.clause, reading.places()) | first | papers | crowded

    def named(self, reading: Reading) -> list[tuple[int, int]]:
        """Where a name holds a sign's word ("rumah sakit", "demam berdarah"): (first, last) of each, word for word."""
        return [(i, i + len(p) - 1) for i, p in self._names.found(reading.words, reading.places())]

    def marks(self, reading: Reading, hits: list[Hit]) -> Marks:
        words, at = reading.words, reading.places()
        again = self._again.spans(words, at=at)  # "seperti dulu lagi": happening again, not in the past
        return Marks(
            self._resolved.starts(words, at),
            self._past.starts(words, at) - again,
            self._past_after.starts(words, at) - again,
            {i for start, end in {(h.start, h.end) for h in hits} for i in range(start, end + 1)},
            danger_when.this_time(reading, hits, self._this_time),
            frozenset(self._escalate.starts(words, at)),
            frozenset(self._risk.ends(words, at)),
            frozenset(self._service.ends(words, at)),
            frozenset(self._remedy.ends(words, at)),
            *danger_whom.pets_and_people(words, self.single),
            frozenset(danger_when.years_old(reading, hits, self.single["long_for"])),
        )

    def context(self, reading: Reading, text: str, hits: list[Hit]) -> Context:
        words = reading.words
        who = any(h.concept in self._free for h in hits)  # a baby, a child, a pregnancy...
        single = self.single
        lowered = text.lower()
        story = {reading.sentence[i] for i in self._story.spans(words, at=reading.places())}
        here = danger_whom.here(reading, single)
        going = {h.start for h in hits if h.concept in danger_when.NOW}
        return Context(
            joke=any(j in lowered for j in self._jokes),
            # "tadi liat di tiktok": an urgent word in a story's sentence is not urgent
            info=information_only(
                reading,
                self._questions,
                single["personal"],
                single["urgent"],
                who,
                story,
                single["kin"],
                going,
                single["negation"],
                danger_when.supposed(reading, single),
            )
            - here,
            ahead=danger_when.hypothetical(reading, self._future, self._what_to_do, single),
            after_clear=after_all_clear(reading, self._all_clear, single["scope"], single["papers"]),
            figurative={reading.sentence[i] for i in self._figurative.spans(words, at=reading.places())},
            story=story,
            in_care=danger_whom.in_care_of(reading, self._in_care, single["scope"]),
            here=frozenset(here),
        )

    def only_unsure(self, reading: Reading) -> bool:
        """Whether the message asks if what it tells is normal ("wajar ga?", "is this normal?") and tells a calm
        side of it ("kadang", "nyusunya kuat", "ceria", "habis dibius"), or tells that calm side with an everyday cause
        (`everyday_cause`: "pilek, hidung mampet, napasnya bunyi tapi main aktif"): a resident unsure of a look-alike, who is
        answered normally with the safety net's "if this is an emergency, call 119" ahead (`DangerDetector.trouble`)
        instead of the full emergency. "tidak wajar" (not normal) asks nothing."""
        words, negation, at = reading.words, self.single["negation"], reading.places()
        if not self._calm_now or not self._calm_now.starts(words, at):
            return False
        if self._everyday_cause and self._everyday_cause.starts(words, at):  # "pilek, hidung mampet": said, not asked
            return True
        return any(i == 0 or words[i - 1] not in negation for i in self._asks_normal.starts(words, at))

    def unsure_of(self, reading: Reading) -> set[int]:
        """The few words after "tidak tahu" / "not sure", or a negation: what they say rules nothing out."""
        return danger_mild.unsure_of(reading, self.unsure, self.single["negation"])

    # --- one sign's words ------------------------------------------------------------------------

    def unguarded(self, reading: Reading, hits: list[Hit], marks: Marks, skip: Iterable[str] = ()) -> list[Hit]:
        """The hits no guard drops. A word often stands for several concepts: hits on the same words with the same
        free guards get one answer (only whether the concept can be a thing, "tenggelam", tells them apart)."""
        answers: dict[tuple[int, int, frozenset[str], bool, bool], bool] = {}
        kept = []
        for hit in hits:
            key = (hit.start, hit.end, hit.free, hit.concept in self._of_things, hit.concept in self._likened)
            guarded = hit.concept not in self._free and answers.get(key)
            if guarded is None:
                guarded = answers[key] = self.guarded(reading, hit, marks, skip)
            if not guarded:
                kept.append(hit)
        return kept

    def guarded(self, reading: Reading, hit: Hit, marks: Marks, skip: Iterable[str] = ()) -> bool:
        """Negated, resolved or past: the words around the hit say it is not happening now."""
        if hit.concept in self._free:
            return False
        words, single = reading.words, self.single
        if hit.free:
            skip = hit.free.union(skip)
        if "negation" not in skip and self.negated(reading, hit.start, marks):
            return True
        if (
            "thing" not in skip
            and hit.concept in self._of_things
            and danger_whom.of_a_thing(words, hit.start, single, reading.clause)
        ):
            return True
        if (
            "simile" not in skip
            and hit.concept in self._likened
            and danger_whom.likened(reading, hit.start, marks.taken, single)
        ):
            return True
        if "risk" not in skip and marks.risk and danger_mentions.at_risk(reading, hit.start, marks.risk):
            return True
        if (
            "service" not in skip
            and (marks.service or marks.remedy)
            and danger_mentions.served(reading, hit.start, marks.taken, marks.service, marks.remedy, single)
        ):
            return True
        if "service" not in skip and danger_mentions.modifies(reading, hit.end, single["heads"]):
            return True
        if "pet" not in skip and marks.pets and danger_whom.of_a_pet(reading, hit.start, marks.pets, marks.people):
            return True
        if "resolved" not in skip:
            resolved = marks.resolved_at.get(hit.end)
            if resolved is None:
                resolved = marks.resolved_at[hit.end] = danger_when.resolved_after(reading, hit, marks.resolved)
            if resolved:
                return True
        if "past" in skip:
            return False
        span = (hit.start, hit.end)
        past = marks.past_at.get(span)
        if past is None:
            past = marks.past_at[span] = danger_when.told_past(
                reading, hit, marks.past, marks.past_after, marks.long_ago, marks.turn, single["scope"]
            )
        return past

    def mild(self, reading: Reading, hit: Hit, marks: Marks) -> bool:
        """A mild word next to the hit, in its clause, unless its sentence says later that it grew."""
        span = (hit.start, hit.end)
        found = marks.mild_at.get(span)
        if found is None:
            found = marks.mild_at[span] = danger_mild.mild(reading, hit, marks.taken, marks.worse, self.single)
        return found

    def negated(self, reading: Reading, start: int, marks: Marks | None = None) -> bool:
        """A negation right before the word at `start`, across a few `between` words, in its clause."""
        if marks is None:
            return danger_mild.negated(reading, start, self.single)
        found = marks.negated_at.get(start)
        if found is None:
            found = marks.negated_at[start] = danger_mild.negated(reading, start, self.single)
        return found
