"""Guards: the words around a danger sign that say it is not happening now, to this person.

A found sign (`danger_concepts`) is dropped when its neighbours say so: a negation right before it
("tidak demam"), a resolution after it ("demamnya sudah turun"), the past before or after it ("dulu
pernah kejang", "kejang waktu kecil"), a mild word next to it ("sakit kepala sedikit"), an everyday
look-alike around it ("saya tidak sadar kalau..."), a plan or a question ahead ("kalau besok demam?"),
a figure of speech, a story on the news, a joke, or "all is well" told after it. A pure information
question ("apa tanda-tanda stroke?") with no one in it and no urgency is not an emergency either.

Apart from the detector (`danger.py`) because finding what is told is one question and whether
the words around it say it is not happening now is another. Every guard's words are data, in
`content/danger_signs.yaml` under `guards:`; this module reads them and says where they reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.engine.danger_text import (
    Hit,
    Phrases,
    Questions,
    Reading,
    after_all_clear,
    information_only,
)
from bot.knowledge.danger import WORD_GUARDS, DangerSigns

_GUARD_REACH = 4  # words a past or resolution guard reaches from what it guards
_PAST_REACH = 6  # words back to a past marker ("dulu waktu SD saya sering pingsan"), stopped by "sekarang"
_MILD_REACH = 2
_RISK_REACH = 2  # words between a "risk of" phrase and the sign it speaks of ("berisiko kena stroke")
_PAST_AFTER_REACH = 8  # words a past time after a sign reaches back, within its clause
_SINCE = frozenset(["sejak", "since", "dari", "semenjak"])  # "demam sejak minggu lalu" is still going on
_PLACE = frozenset(["di", "ke", "dari", "dalam", "dekat", "atas", "in", "at", "on", "from", "inside", "into"])
_OWN_BEFORE = 3  # words before a turn where its subject may stand ("my dad suddenly ...")
_NOW = frozenset(["ongoing", "sudden"])
_YEARS = frozenset(["tahun", "year", "years"])
_JUST_NOW = ("baru", "saja")  # concepts that say a sign is happening now, after "kali ini"


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
        def phrases(name: str) -> Phrases:
            return Phrases(words_of(p) for p in data.guard(name))

        self._free = free  # concepts no guard drops: who or when ("hamil", "bayi")
        self._of_things = {c.name for c in data.concepts if c.things}  # "tenggelam", "terbakar": a phone, a house
        self.unless = phrases("unless")
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
        self._jokes = data.guard("joke")  # read in the raw text: emoji and "wkwk" do not survive normalising
        # the one-word guards, by name, as content/danger_signs.yaml declares them (WORD_GUARDS)
        self.single = {name: {w for p in data.guard(name) for w in words_of(p)} for name in WORD_GUARDS}

    # --- the whole message ----------------------------------------------------------------------

    def masked(self, reading: Reading) -> set[int]:
        """Positions inside an everyday look-alike: `unless` anywhere, `unless_first` opening its clause."""
        return self.unless.spans(reading.words, reading.clause) | self._first_in_clause(reading)

    def marks(self, reading: Reading, hits: list[Hit]) -> Marks:
        words = reading.words
        again = self._again.spans(words)  # "seperti dulu lagi": happening again, not in the past
        return Marks(
            self._resolved.starts(words),
            self._past.starts(words) - again,
            self._past_after.starts(words) - again,
            {i for h in hits for i in range(h.start, h.end + 1)},
            self._turn(reading, hits),
            frozenset(self._escalate.starts(words)),
            frozenset(self._risk.ends(words)),
            frozenset(self._service.ends(words)),
            frozenset(self._remedy.ends(words)),
            *self._pets_and_people(words),
            frozenset(self._years_old(reading, hits)),
        )

    def context(self, reading: Reading, text: str, hits: list[Hit]) -> Context:
        words = reading.words
        who = any(h.concept in self._free for h in hits)  # a baby, a child, a pregnancy...
        single = self.single
        lowered = text.lower()
        story = {reading.sentence[i] for i in self._story.spans(words)}
        here = self._here(reading)
        going = {h.start for h in hits if h.concept in _NOW}
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
            )
            - here,
            ahead=self._hypothetical(reading),
            after_clear=after_all_clear(words, reading.sentence, self._all_clear, single["scope"]),
            figurative={reading.sentence[i] for i in self._figurative.spans(words)},
            story=story,
            in_care=self._in_care_of(reading),
            here=frozenset(here),
        )

    def unsure_of(self, words: list[str]) -> set[int]:
        """The few words after "tidak tahu" / "not sure", or a negation: what they say is not known or is
        denied, so it rules nothing out ("gak tau udah divaksin apa belum" is no "sudah divaksin")."""
        out: set[int] = set()
        for i in self.unsure.spans(words):
            out.update(range(i + 1, min(len(words), i + 5)))
        negation = self.single["negation"]
        for i, w in enumerate(words):  # "never been vaccinated" is no "vaccinated"
            if w in negation:
                out.update(range(i + 1, min(len(words), i + 3)))
        return out

    # --- one sign's words ------------------------------------------------------------------------

    def guarded(self, reading: Reading, hit: Hit, marks: Marks, skip: Iterable[str] = ()) -> bool:
        """Negated, resolved or past: the words around the hit say it is not happening now."""
        if hit.concept in self._free:
            return False
        words = reading.words
        skip = set(skip) | hit.free
        scope = self.single["scope"]
        if "negation" not in skip and self.negated(reading, hit.start):
            return True
        if "thing" not in skip and hit.concept in self._of_things and self._of_a_thing(words, hit.start):
            return True
        if "risk" not in skip and marks.risk and self._at_risk(reading, hit.start, marks.risk):
            return True
        if "service" not in skip and (marks.service or marks.remedy) and self._served(reading, hit.start, marks):
            return True
        if "pet" not in skip and marks.pets and self._of_a_pet(reading, hit.start, marks):
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
            before = range(low, hit.start)
            if (
                not marks.past.isdisjoint(before)
                or not marks.past_after.isdisjoint(later)
                or any(i in marks.long_ago and reading.clause[i] == reading.clause[hit.start] for i in before)
            ):
                return marks.turn is None or marks.turn < hit.end
        return False

    def mild(self, reading: Reading, hit: Hit, marks: Marks) -> bool:
        """A mild word next to the hit, in its clause: "agak sesak", "sakit kepala sedikit", "melepuh kecil";
        unless the sentence says later that it grew ("berdarah sikit, sekarang dah banyak")."""
        words, clause, taken = reading.words, reading.clause[hit.start], marks.taken
        sentence = reading.sentence[hit.start]
        if any(i > hit.end and reading.sentence[i] == sentence for i in marks.worse):
            return False
        mild, after = self.single["mild"], self.single["mild_after"]
        before = range(max(0, hit.start - 1), hit.start)
        behind = range(hit.end + 1, min(len(words), hit.end + 1 + _MILD_REACH))
        return any(
            i not in taken
            and reading.clause[i] == clause
            and (words[i] in mild or (i in behind and words[i] in after))
            and not (i > 0 and (words[i - 1], words[i]) == _JUST_NOW)  # "baru aja tabrakan" is just now, not mild
            for i in (*before, *behind)
        )

    # --- helpers ---------------------------------------------------------------------------------

    def negated(self, reading: Reading, start: int) -> bool:
        """A negation right before, across one or two `between` words ("tidak ada sesak", "nobody had a seizure"),
        or across three when one of them says nobody ("tak ada siapa kena patuk"), in the clause."""
        words, clause = reading.words, reading.clause
        negation, between, nobody = self.single["negation"], self.single["between"], self.single["nobody"]
        before = start - 1
        if before >= 0 and words[before] in negation and clause[before] == clause[start]:  # not "gak, urgent"
            return True
        if (
            before >= 1
            and words[before] in between
            and words[before - 1] in negation
            and clause[before - 1] == clause[start]
        ):
            return True
        gap: list[str] = []
        j = before
        while j >= 0 and len(gap) < 3 and clause[j] == clause[start] and (words[j] in between or words[j] in nobody):
            gap.append(words[j])
            j -= 1
        # "nobody had a seizure", "tidak pernah ada kejang"; across three when one of them says nobody
        for k in range(2, len(gap) + 1):
            at = before - k
            if at < 0 or clause[at] != clause[start] or words[at] not in negation:
                continue
            if k == 2 or any(w in nobody for w in gap[:k]):
                return True
        return False

    def _of_a_thing(self, words: list[str], start: int) -> bool:
        """The sign's word tells of a thing, not a person: "HP saya tenggelam", "motornya terbakar"
        (a thing right before it, or its owner between: not "di mobil kejang")."""
        thing, personal = self.single["thing"], self.single["personal"]
        for at in (start - 1, start - 2):
            if at < 0 or words[at] not in thing or (at == start - 2 and words[start - 1] not in personal):
                continue
            if at == 0 or words[at - 1] not in _PLACE:
                return True
        return False

    def _at_risk(self, reading: Reading, start: int, ends: frozenset[int]) -> bool:
        """A "risk of" phrase ending at most two words before the hit, in its clause: "risiko stroke",
        "berisiko kena stroke", "nanti kene strok" (a warning, not a sign)."""
        clause = reading.clause
        return any(e in ends and clause[e] == clause[start] for e in range(max(0, start - 3), start + 1))

    def _served(self, reading: Reading, start: int, marks: Marks) -> bool:
        """A service's name right before the hit, across a word of `about` and the sign's own other words:
        "poli untuk stroke", "dokter spesialis jantung", "treatment for febrile seizures"; not a place ("anak saya di
        klinik kejang") nor with someone between ("habis terapi bapak sesak")."""
        words, clause = reading.words, reading.clause
        ends = marks.service | marks.remedy
        at = start - 1
        people = self.single["people"] | self.single["kin"] | self.single["own"]
        while (
            at >= 0
            and start - at <= 2
            and at in marks.taken
            and at not in ends
            and clause[at] == clause[start]
            and words[at] not in people  # "habis terapi nenek kejang": a person is never the sign's own word
        ):
            at -= 1  # the sign's other words ("febrile", "food")
        about = at >= 0 and at not in ends and words[at] in self.single["about"]
        if about:
            at -= 1
        if at < 0 or at not in ends or clause[at] != clause[start]:
            return False
        if at not in marks.service and not about:  # a medicine or a cost only "for" a sign: "minum ubat banyak"
            return False
        ends = marks.service if at in marks.service else marks.remedy
        head = at
        while head > 0 and head - 1 in ends:  # the service phrase's first word ("dokter spesialis")
            head -= 1
        return not any(words[i] in _PLACE for i in range(max(0, head - 2), head + 1))

    def _pets_and_people(self, words: list[str]) -> tuple[frozenset[int], frozenset[int]]:
        """Where an owned animal is named ("kucing saya", "anjingku", "my dog", "our cat"), and where people are
        (kin, one's own, "anak", "orang"): the owner's word right after or before the animal is no person."""
        pet, people, own = self.single["pet"], self.single["people"] | self.single["kin"], self.single["own"]
        pets: set[int] = set()
        owners: set[int] = set()
        for i, w in enumerate(words):
            if w not in pet:
                continue
            if i + 1 < len(words) and words[i + 1] in own:
                pets.add(i)
                owners.add(i + 1)
            elif i > 0 and words[i - 1] in own:
                pets.add(i)
                owners.add(i - 1)
        if not pets:
            return frozenset(), frozenset()
        found = {i for i, w in enumerate(words) if (w in people or w in own) and i not in owners}
        return frozenset(pets), frozenset(found)

    def _of_a_pet(self, reading: Reading, start: int, marks: Marks) -> bool:
        """The sign is told of an owned animal named before it in its sentence, with no person between:
        "kucing saya muntah terus", "my dog is having a seizure" (a vet's question); not "anjing saya
        menggigit anak tetangga, berdarah" (the bite signs skip this guard)."""
        sentence = reading.sentence
        return any(
            p < start and sentence[p] == sentence[start] and not any(p < i < start for i in marks.people)
            for p in marks.pets
        )

    def _years_old(self, reading: Reading, hits: list[Hit]) -> set[int]:
        """Where "sudah 3 tahun", "for 2 years", "udh 5 thn" starts: what follows in its clause has lasted years
        ("nenek sudah 3 tahun lumpuh sebelah karena stroke"), it is no sudden sign; unless its sentence says
        something is sudden or going on now ("sudah 3 tahun, tiba tiba kejang")."""
        words, sentence = reading.words, reading.sentence
        lead = self.single["long_for"]
        out: set[int] = set()
        for i, w in enumerate(words[:-2]):
            if (
                w in lead
                and words[i + 1].isdigit()
                and words[i + 2] in _YEARS
                and not any(h.concept in _NOW and sentence[h.start] == sentence[i] for h in hits)
            ):
                out.add(i)
        return out

    def _here(self, reading: Reading) -> set[int]:
        """The words after a turn ("tiba tiba", "suddenly", "tapi sekarang") in a sentence where the writer's own
        people follow it: "lagi nonton berita, tiba tiba bapak saya pingsan" is happening here, not on the news."""
        words, sentence, clause = reading.words, reading.sentence, reading.clause
        turn, own, kin = self.single["turn"], self.single["own"], self.single["kin"]

        def owned(i: int) -> bool:
            return words[i] in own or words[i] in kin or (words[i].endswith("ku") and len(words[i]) > 4)

        out: set[int] = set()
        for t, w in enumerate(words):
            if w in turn and t + 1 not in out:
                rest = [i for i in range(t + 1, len(words)) if sentence[i] == sentence[t]]
                just_before = [i for i in range(max(0, t - _OWN_BEFORE), t) if clause[i] == clause[t]]
                if any(owned(i) for i in rest) or any(owned(i) for i in just_before):
                    out.update(rest)
        return out

    def _in_care_of(self, reading: Reading) -> set[int]:
        """The sentence of "dirawat di ICU" / "already admitted", up to a turn after it ("tapi sekarang"):
        someone already in hospital, asked about for papers or a visit, is in care."""
        words, sentence = reading.words, reading.sentence
        starts = self._in_care.starts(words)
        if not starts:
            return set()
        scope = self.single["scope"]
        out: set[int] = set()
        for p in starts:
            s = sentence[p]
            end = next((i for i in range(p + 1, len(words)) if sentence[i] != s or words[i] in scope), len(words))
            out.update(i for i in range(end) if sentence[i] == s)
        return out

    def _first_in_clause(self, reading: Reading) -> set[int]:
        """`unless_first` phrases that open their clause (after `opener` words): "maaf, saya tidak sadar
        jadwalnya lewat" is not "nenek saya tidak sadar"."""
        words, clause = reading.words, reading.clause
        opener = self.single["opener"]
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

    def _turn(self, reading: Reading, hits: list[Hit]) -> int | None:
        """Where "kali ini" / "this time" starts, when something lasting or sudden is told after it in its sentence:
        "pernah step dulu, tapi kali ini sudah 10 menit belum berhenti" is happening now."""
        for t in sorted(self._this_time.starts(reading.words)):
            if any(
                h.start > t and h.concept in _NOW and reading.sentence[h.start] == reading.sentence[t] for h in hits
            ):
                return t
        return None

    def _hypothetical(self, reading: Reading) -> set[int]:
        """A sign after "kalau"/"if" in its clause, when its sentence speaks of later ("besok", "tomorrow") or asks what
        to do with nothing urgent in it: "jadwal suntik besok, kalau demam setelahnya gimana?", "kalau anak kejang
        pertolongan pertamanya apa?" ask ahead; nobody is ill now."""
        words, clause, sentence = reading.words, reading.clause, reading.sentence
        later = {sentence[i] for i in self._future.starts(words)}
        asks = {sentence[i] for i in self._what_to_do.starts(words)} - later
        if asks:  # "kalau anak kejang pertolongan pertamanya apa?": asked ahead, unless something says it is now
            now, inside = self.single["urgent"] | self.single["present"], self._what_to_do.spans(words)
            later |= asks - {sentence[i] for i, w in enumerate(words) if w in now and i not in inside}
        if not later:
            return set()
        conditional = self.single["conditional"]
        out: set[int] = set()
        for c, w in enumerate(words):
            if w in conditional and reading.sentence[c] in later:  # "kalau" and "besok" in one sentence
                out.update(i for i in range(c + 1, len(words)) if clause[i] == clause[c])
        return out
