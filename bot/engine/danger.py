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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.engine.danger_text import (
    AGE_FILLERS,
    UNITS,
    Deletions,
    Phrases,
    Questions,
    Reading,
    add_together,
    after_all_clear,
    age_anchors,
    age_unit,
    closure,
    colloquial,
    fires,
    information_only,
    phrase_end,
    read,
)
from bot.engine.danger_text import (
    Hit as _Hit,
)
from bot.engine.normalize import Normalizer
from bot.engine.stemmer import roots, stem
from bot.knowledge.danger import GUARDS, DangerSign, DangerSigns, Rule

_SUFFIXES = ("nya", "nye", "ku", "mu", "lah", "kah", "an", "kan", "i", "s", "es", "ed", "ing")
_ENGLISH_SUFFIXES = frozenset(["s", "es", "ed", "ing"])  # only after 4 letters: "pusing" is not "pus" + "ing"
_FUZZ = 88.0  # rapidfuzz ratio for a misspelt word ("kejng", "pinsan") of 5 letters or more
_GUARD_REACH = 4  # words a past or resolution guard reaches from what it guards
_PAST_REACH = 6  # words back to a past marker ("dulu waktu SD saya sering pingsan"), stopped by "sekarang"
_MILD_REACH = 2
_PAST_AFTER_REACH = 8  # words a past time after a sign reaches back, within its clause
_SINCE = frozenset(["sejak", "since", "dari", "semenjak"])  # "demam sejak minggu lalu" is still going on
_CACHE_LIMIT = 50_000
_NOW = frozenset(["ongoing", "sudden"])  # concepts that say a sign is happening now, after "kali ini"
_ABLE = frozenset(["bisa", "mau"])  # "tidak bisa X" / "tidak mau X" may be told as "X tidak bisa"


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
        self._normalizer = normalizer
        self._window = data.window
        same = {w: tuple(normalizer.words(s, correct=False)) or (s,) for w, s in data.same}
        for _ in range(2):  # "lamah" -> "lemah" -> "lemas": a regional word reaches the word the phrases use
            same = {
                w: tuple(x for one in to for x in same.get(one, (one,)) if one != w) or to for w, to in same.items()
            }
        self._same = same
        concepts = {c.name: c for c in data.concepts}
        members: dict[tuple[str, ...], set[str]] = defaultdict(set)  # phrase -> the concepts it stands for
        free: dict[tuple[str, ...], set[str]] = defaultdict(set)  # phrase -> guards that do not drop it
        for c in data.concepts:
            for phrase in c.phrases:
                free[self._words(phrase)].update(c.unguarded)
        self._phrase_free = {p: frozenset(g) for p, g in free.items() if g}
        for c in data.concepts:
            for name in closure(c.name, concepts):
                for phrase in concepts[name].phrases:
                    members[self._words(phrase)].add(c.name)
        within = {c.name: closure(c.name, concepts) for c in data.concepts}
        self._ages = [  # an age counts for its concept and every concept that includes it ("@pregnancy_weeks")
            (frozenset(n for n, inner in within.items() if c.name in inner), c.age, {self._one(w) for w in c.age.near})
            for c in data.concepts
            if c.age
        ]
        self._signs: list[_Sign] = []
        for sign in data.signs:
            own = f"={sign.id}"
            for phrase in sign.phrases:
                members[self._words(phrase)].add(own)
            rules = (Rule((own,)),) if sign.phrases else ()
            unless = Phrases(self._words(p) for p in sign.unless)
            not_if = Phrases(self._words(p) for p in sign.not_if)
            every = rules + sign.rules
            needs = tuple(frozenset(r.concepts) for r in every)
            self._signs.append(_Sign(sign, every, unless, not_if, frozenset(sign.skip_guards), needs))
        members.pop((), None)
        negation = {w for p in data.guard("negation") for w in self._words(p)}
        for words, names in list(members.items()):  # "tidak bisa dibangunkan" told as "dibangunin gak bisa"
            if len(words) >= 3 and words[0] in negation and words[1] in _ABLE:
                members[(*words[2:], *words[:2])].update(names)
        self._free = {c.name for c in data.concepts if not c.guarded}
        self._used = {name for s in self._signs for rule in s.rules for name in rule.concepts}
        for c in reversed(data.concepts):  # a concept made of others uses them (one may build on another above it)
            if c.together and c.name in self._used:
                self._used.update(c.together)
        self._together = [(c.name, c.together, c.within) for c in data.concepts if c.together]
        # phrases by their first word: one-word phrases, and longer ones by their second word too (a phrase's
        # second word stands within the next 5 words), so a common first word ("tidak") tries few phrases
        self._alone: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = defaultdict(list)
        self._pairs: dict[str, dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]] = defaultdict(dict)
        for words, names in members.items():
            if len(words) == 1:
                self._alone[words[0]].append((words, frozenset(names)))
            else:
                self._pairs[words[0]].setdefault(words[1], []).append((words, frozenset(names)))
        self._vocab = sorted({w for phrase in members for w in phrase if w.isalpha()})
        self._known = {w for phrase in members for w in phrase}
        guards = {
            name: [w for p in data.guard(name) if (w := self._words(p))] for name in ("resolved", "past", "past_after")
        }
        self._resolved, self._past, self._past_after = (
            Phrases(guards["resolved"]),
            Phrases(guards["past"]),
            Phrases(guards["past_after"]),
        )
        self._info = Phrases(self._words(p) for p in data.guard("info"))
        self._info_always = Phrases(self._words(p) for p in data.guard("info_always"))
        self._asking = Phrases(self._words(p) for p in data.guard("asking"))
        self._reassure = Phrases(self._words(p) for p in data.guard("reassure"))
        self._calm = Phrases(self._words(p) for p in data.guard("calm"))
        self._unless = Phrases(self._words(p) for p in data.guard("unless"))
        self._all_clear = Phrases(self._words(p) for p in data.guard("all_clear"))
        self._again = Phrases(self._words(p) for p in data.guard("again"))
        self._this_time = Phrases(self._words(p) for p in data.guard("this_time"))
        self._future = Phrases(self._words(p) for p in data.guard("future"))
        self._unless_first = Phrases(self._words(p) for p in data.guard("unless_first"))
        self._unsure = Phrases(self._words(p) for p in data.guard("unsure"))
        self._figurative = Phrases(self._words(p) for p in data.guard("figurative"))
        self._story = Phrases(self._words(p) for p in data.guard("story"))
        self._jokes = data.guard("joke")  # read in the raw text: emoji and "wkwk" do not survive normalising
        self._single = {
            name: {w for p in data.guard(name) for w in self._words(p)}
            for name in (
                "negation",
                "between",
                "scope",
                "mild",
                "mild_after",
                "personal",
                "urgent",
                "conditional",
                "opener",
            )
        }
        self._filler = frozenset(w for p in data.guard("filler") for w in self._words(p))
        self._forms: dict[str, frozenset[str]] = {}
        self._guard_forms: dict[str, str] = {}
        self._guard_words = frozenset(w for name in GUARDS for p in data.guard(name) for w in self._words(p))
        self._sign_guard_words = frozenset(
            w for sign in data.signs for p in (*sign.unless, *sign.not_if) for w in self._words(p) if w.isalpha()
        )
        ages = {self._one(w) for c in data.concepts if c.age for w in c.age.near} | AGE_FILLERS
        # words read around a sign, for its guards and ages: "saye" (saya), "usie" (usia), "care" (cara)
        self._any_guard = self._guard_words | self._sign_guard_words | ages
        self._guard_vocab = sorted(w for w in self._any_guard if w.isalpha())
        typed = {w for p in danger_vocabulary(data) for w in p.lower().split()} | set(self._vocab)
        self._missing = Deletions(typed)  # "pans" -> "panas" (read "demam"): a letter left out of a short word
        self._typed = sorted(w for w in typed if w.isalpha() and len(w) >= 5)  # "menret": "mencret" as typed
        self._guard_missing = Deletions(self._guard_vocab)
        self._real = normalizer.vocabulary  # words the bot knows as they are: never read as a typo of another

    @property
    def vocabulary(self) -> list[str]:
        """Every word the detector looks for: the normaliser corrects typos towards these."""
        return self._vocab

    def find(self, text: str) -> DangerSign | None:
        """The first sign (in file order) described in the text, or None."""
        reading = read(text, self._read_words, self._same, self._single["negation"])
        words = reading.words
        for i, w in enumerate(words):  # "dah lame" is "sudah lama" for the guards too
            if w not in self._known and w not in self._any_guard:
                # a typo of a guard's word ("frst" of "first aid"), not a root under a suffix ("jagain")
                matched = sorted(g for g in self._match(w) & self._any_guard if abs(len(g) - len(w)) <= 1)
                words[i] = matched[0] if matched else self._guard_form(w)
            if words[i] not in UNITS and w.isalpha():  # "3 mnggu", "2 moth old": an age's unit misspelt
                unit = next((u for u in self._match(words[i]) if u in UNITS), None)
                if unit is not None:
                    words[i] = unit
        if not words:
            return None
        hits = [h for h in self._hits(words) if h.concept in self._used]
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

    def _read_words(self, text: str) -> list[str]:
        return self._normalizer.words(text, correct=False)

    def words(self, text: str) -> list[str]:
        return read(text, self._read_words, self._same, self._single["negation"]).words

    # --- finding concepts ---------------------------------------------------------------------

    def _hits(self, words: list[str]) -> list[_Hit]:
        forms = [self._match(w) for w in words]
        hits: list[_Hit] = []
        negation = self._single["negation"]
        for i, here in enumerate(forms):
            nearby: set[str] | None = None
            for form in here:
                for phrase, names in self._alone.get(form, ()):
                    hits.extend(_Hit(n, i, i, self._phrase_free.get(phrase, frozenset())) for n in names)
                pairs = self._pairs.get(form)
                if not pairs:
                    continue
                if nearby is None:
                    nearby = set().union(*forms[i + 1 : i + 6])
                for second in nearby.intersection(pairs):
                    for phrase, names in pairs[second]:
                        end = phrase_end(phrase, forms, i, negation, self._filler)
                        if end is not None:
                            free = self._phrase_free.get(phrase, frozenset())
                            hits.extend(_Hit(n, i, end, free) for n in names)
            unit = age_unit(words, i)
            if unit is not None:
                days = int(words[i]) * UNITS[words[unit]]
                around = age_anchors(words, forms, i, unit)
                for names, age, near in self._ages:
                    if (
                        age.low_days <= days <= age.high_days
                        and (near & around if near else True)
                        and (not age.units or words[unit] in age.units)
                    ):
                        hits.extend(_Hit(name, i, unit) for name in names)
        return hits

    def _match(self, word: str) -> frozenset[str]:
        """The detector's words this word stands for: itself, with a suffix, or misspelt."""
        found = self._forms.get(word)
        if found is not None:
            return found
        hits = self._plain(word)
        if not hits and word.isalpha():  # chat and Riau Malay forms: "kepale", "semalem", "ngangkat", "tebaring"
            for variant in colloquial(word):
                standard = self._same.get(variant, (variant,))  # "lamah" -> "lemah" -> "lemas"
                hits |= self._plain(standard[0] if len(standard) == 1 else variant)
        if not hits and len(word) > 5 and word.isalpha():  # "ketimpa", "kehamilan": the root word
            root = stem(word)
            if root != word and len(root) >= 4 and root in self._known:
                hits.add(root)
        if not hits and len(word) >= 5 and word.isalpha():  # two letters swapped: "kejnag", "pinsgan"
            for i in range(len(word) - 1):
                swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
                if swapped in self._known:
                    hits.add(swapped)
        if not hits and len(word) >= 5 and word.isalpha():  # a letter missing, doubled or wrong: "pinsan"
            targets = self._vocab if self._is_word(word) else self._typed  # "serum" is no "setrum"
            near = process.extract(word, targets, scorer=fuzz.ratio, score_cutoff=_FUZZ, limit=3)
            # the word as the phrases spell it, read as the detector reads it ("mencret" is "diare")
            hits = {n for w, _score, _i in near if w[0] == word[0] for n in self._words(w)[:1] if n in self._known}
        if not hits and len(word) == 4 and word.isalpha() and not self._is_word(word):  # "pans", "mium", "nyri"
            hits = {n for w in self._missing.of(word) for n in self._words(w)[:1] if n in self._known}
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
            if (
                found == word
                and len(word) >= 4
                and word.isalpha()
                and not self._is_word(word)
                and not self._match(word)
            ):
                near = self._guard_missing.of(word)
                if not near and len(word) >= 5:
                    near = {
                        w
                        for w, _s, _i in process.extract(
                            word, self._guard_vocab, scorer=fuzz.ratio, score_cutoff=_FUZZ, limit=1
                        )
                        if w[0] == word[0]
                    }
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
                base = self._words(word[: -len(suffix)])
                if len(base) == 1 and base[0] in self._known:
                    hits.add(base[0])
        if word.endswith("in") and len(word) > 5:  # Jakarta "-in" for "-kan": "dibangunin"
            hits.update(w for w in (word[:-2] + "kan", word[:-2]) if w in self._known)
        return hits

    def _one(self, word: str) -> str:
        found = self._read_words(word)
        return found[0] if found else word

    def _words(self, phrase: str) -> tuple[str, ...]:
        return tuple(w for one in self._read_words(phrase) for w in self._same.get(one, (one,)))

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


def danger_vocabulary(data: DangerSigns) -> Iterable[str]:
    """Every phrase the detector reads: given to the normaliser so typos are corrected towards them."""
    for concept in data.concepts:
        yield from concept.phrases
    for sign in data.signs:
        yield from (*sign.phrases, *sign.unless)
    for word, _standard in data.same:
        yield word  # a regional word is read as it is ("sampe"), never bent towards another word first
