"""Danger signs as residents describe them: word groups combined by rules, with guards.

A message is read as canonical words (the normaliser: slang, typos, numbers). Each word
group (concept) of `content/danger_signs.yaml` is found where its phrases occur: the words
of a phrase in order, one stray word allowed between them, a word may carry a suffix
("dadanya") or a small typo. A sign fires when one of its phrases occurs, or when all
concepts of one of its rules occur within `window` words, in any order.

Guards (`danger_guards`) drop a found phrase when the words around it say it is not happening
now: negated, resolved, past, mild, a look-alike, a question, a plan, a story, a joke. Recall
comes first: a false alarm costs a resident seconds, a miss can cost a life.

What a resident's word stands for (a suffix, a chat or Malay spelling, a typo) is read by
`danger_forms`, where the concepts are told by `danger_concepts`, whether the words around them
say it is not happening now by `danger_guards`; this module decides which sign they make.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.danger_concepts import ConceptIndex
from bot.engine.danger_forms import WordForms, danger_vocabulary
from bot.engine.danger_guards import Context, Guards
from bot.engine.danger_net import SURE, LearnedNet
from bot.engine.danger_text import Hit, Phrases, Reading, add_together, fires, read
from bot.engine.normalize import Normalizer
from bot.knowledge.danger import DangerSign, DangerSigns, Rule
from bot.knowledge.danger_model import EMPTY, DangerModel

_HIT_GUARDS = frozenset(
    ["negation", "resolved", "past", "thing", "risk", "service", "pet"]
)  # the guards of one hit's neighbours
_HIGH_TEMPERATURE = "high_temp"  # the concept of a high temperature told ("39", "38 5", "demam tinggi")
__all__ = ["DangerDetector", "danger_vocabulary"]  # danger_vocabulary lives with the word forms


def _inside_kept(
    hits: list[Hit], kept: list[Hit], free: set[str], dropped: Callable[[Hit], bool], asked: int | None = None
) -> list[Hit]:
    """The kept hits that lie inside no negated longer one: "no food poisoning" negates "poisoning" as well
    (who it is about, `free`, is never dropped). `dropped(h)`: h is negated and not kept; `asked`: how many hits
    `kept` was read from, when not all of `hits` (then any of the others may drop one)."""
    if len(kept) == len(hits) if asked is None else not hits:
        return kept
    spans = [(d.start, d.end) for d in hits if d.end > d.start and dropped(d)]
    if not spans:
        return kept
    return [
        h
        for h in kept
        if h.concept in free or not any(s <= h.start and h.end <= e and (s, e) != (h.start, h.end) for s, e in spans)
    ]


@dataclass(frozen=True, slots=True)
class _Sign:
    sign: DangerSign
    rules: tuple[Rule, ...]  # the sign's phrases count as a rule of one concept: "=<id>"
    unless: Phrases
    not_if: Phrases
    skip: frozenset[str]
    needs: tuple[frozenset[str], ...]  # the concepts of each rule

    def may_fire(self, present: set[str]) -> bool:
        """Whether some rule has all its concepts present (their places aside)."""
        return any(need <= present for need in self.needs)


class _Rules:
    """The rules of a list of signs, each indexed by one of its concepts: which signs may fire with the concepts
    present, asked once for all of them (most rules have a concept the message lacks)."""

    def __init__(self, entries: list[_Sign]) -> None:
        self.entries = entries
        self._by_concept: dict[str, list[frozenset[str]]] = defaultdict(list)
        self._always = {need for e in entries for need in e.needs if not need}
        for need in sorted({need for e in entries for need in e.needs if need}, key=sorted):
            self._by_concept[min(need)].append(need)

    def met(self, present: set[str]) -> set[frozenset[str]]:
        """The rules whose concepts are all present (their places aside)."""
        by_concept = self._by_concept
        return {need for c in present if c in by_concept for need in by_concept[c] if need <= present} | self._always


@dataclass(slots=True)
class _Told:
    """The last text read and what it tells: a turn asks the signs, then the safety net, of the same text."""

    text: str
    reading: Reading
    hits: list[Hit]
    signs_read: bool = False  # `find` has read its signs: `sign` and `unsure` hold
    sign: DangerSign | None = None
    unsure: bool = False  # a medical sign asked about as "is it normal?" with a calm side told: the net's line
    learned: float | None = None  # the learned net's probability, once asked
    weighed: bool = False  # some sign's words were all told: the rules read the text (and their guards may deny it)


class DangerDetector:
    """Built once per content version; `find(words)` is the hot path."""

    def __init__(self, data: DangerSigns, normalizer: Normalizer, model: DangerModel = EMPTY) -> None:
        self._window = data.window
        self._learned = LearnedNet(model)  # the learned safety net (content/danger_model.json), beside the rules
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
        self._nets = [s for s in self._signs if s.sign.kind == "net"]  # not signs: read by `trouble` alone
        self._signs = [s for s in self._signs if s.sign.kind != "net"]
        self._rules, self._net_rules = _Rules(self._signs), _Rules(self._nets)  # which may fire, asked at once
        self._free = {c.name for c in data.concepts if not c.guarded}
        self._used = self._used_by(self._signs, data)
        self._net_used = self._used_by(self._nets, data) | self._used  # the net's words read beside the signs' words
        self._together = [(c.name, c.together, c.within) for c in data.concepts if c.together]
        self._guards = Guards(data, words_of, self._free)
        self._hinted = [(s.sign, frozenset(s.sign.net_hints)) for s in self._signs if s.sign.net_hints]
        self._sure = next((s.sign for s in self._signs if s.sign.model_sure), None)  # the learned net's own answer
        self._last: _Told | None = None

    @staticmethod
    def _used_by(signs: list[_Sign], data: DangerSigns) -> set[str]:
        used = {name for s in signs for rule in s.rules for name in rule.concepts}
        for c in reversed(data.concepts):  # a concept made of others uses them (one may build on another above it)
            if c.together and c.name in used:
                used.update(c.together)
        return used

    @property
    def vocabulary(self) -> list[str]:
        """Every word the detector looks for: the normaliser corrects typos towards these."""
        return self._forms.vocabulary

    def find(self, text: str) -> DangerSign | None:
        """The first sign (in file order) described in the text, or None: the hand-written signs alone."""
        return self._signs_of(text).sign

    def read(self, text: str) -> DangerSign | None:
        """The detector's verdict: the first sign described, else, when the learned net is sure of an emergency
        now in words no sign's rule reads at all (`SURE`), its own sign (`model_sure`), or the mental sign the text hints at
        ("kawan hantar mesej selamat tinggal, tak nak susahkan orang lagi"): 119 first, with the emergency answer."""
        told = self._signs_of(text)
        if told.sign is not None or told.weighed or self._sure is None or self._probability(told) < SURE:
            return told.sign  # where the rules weighed the words ("gerakan bayi tidak berkurang"), they decide
        if self._aside(told):
            return None
        return self.net_hint(text) or self._sure

    def _aside(self, told: _Told) -> bool:
        """The message's own guards, which the learned net cannot read: a pet ("kucing saya muntah terus"), a joke,
        a figure of speech ("tidur saya kayak orang mati"), a story from the news, a plan or someone already in
        care: then the net's line at most (`trouble`), never the emergency answer on the model's word alone."""
        reading, guards = told.reading, self._guards
        marks = guards.marks(reading, told.hits)
        if marks.pets and not marks.people:
            return True
        context = guards.context(reading, told.text, told.hits)
        return context.joke or bool(context.figurative or context.story or context.ahead or context.in_care)

    def trouble(self, text: str) -> DangerSign | None:
        """The safety net (a sign of kind "net") when the text tells of someone in trouble now in words no sign
        reads ("tolong, anak saya jatuh dari tangga, nangis terus"): the normal answer is led by its line. When
        neither a sign nor the net's rules read the text, the learned model (`danger_net`) may still lead it so."""
        if not self._nets:
            return None
        told = self._signs_of(text)
        if told.unsure:  # a medical sign asked about as "is it normal?" with a calm side told: the line
            return self._nets[0].sign
        net = self._first(told, net=True)[0]
        # the model's `fires`, on the probability `read` may have asked already (0 without a model: never fires)
        if net is None and told.sign is None and self._probability(told) >= self._learned.threshold:
            return self._nets[0].sign  # words no rule reads, but like the emergencies the model learned from
        return net

    def net_hint(self, text: str) -> DangerSign | None:
        """The sign whose `net_hints` (concepts) the text tells, for a message only the safety net read (`trouble`):
        "sy lg di kamar sendirian megang cutter, rasanya pengen berhenti aja hidup" gets the mental-health line
        after the net's 119 line. Read from the text's hits of the same turn (no guard: the net already fired)."""
        if not self._hinted:
            return None
        present = self._present(self._signs_of(text).hits)
        return next((sign for sign, hints in self._hinted if not hints.isdisjoint(present)), None)

    def _probability(self, told: _Told) -> float:
        if told.learned is None:
            told.learned = self._learned.probability(told.text)
        return told.learned

    def _signs_of(self, text: str) -> _Told:
        """The text read, with its signs: the last text's are kept, so the safety net asked right after the signs
        (`trouble` after `find`, one turn) costs only its own guards."""
        told = self._last
        if told is None or told.text != text:
            reading = self.reading(text)
            hits = self._concepts.hits(reading.words) if reading.words else []
            told = self._last = _Told(text, reading, hits)
        if not told.signs_read:
            told.sign, told.unsure = self._first(told, net=False)
            told.signs_read = True
        return told

    def _first(self, told: _Told, net: bool) -> tuple[DangerSign | None, bool]:
        """The first sign (or net) the told text fires, and whether a medical sign only stayed unsure on the way."""
        guards, reading = self._guards, told.reading
        words = reading.words
        used = self._net_used if net else self._used
        hits = [h for h in told.hits if h.concept in used]
        if not hits:
            return None, False
        rules = self._net_rules if net else self._rules
        met = rules.met(self._present(hits))
        if not met:
            return None, False  # the guards only take hits away: no rule can fire, so skip their passes (most)
        if not net:
            told.weighed = True  # a sign's words are all here: if none fires, the guards chose so
        masked = guards.masked(reading)
        if masked:
            hits = [h for h in hits if masked.isdisjoint(range(h.start, h.end + 1))]
            met = rules.met(self._present(hits))
        named = guards.named(reading)
        if named:  # "rumah sakit" holds no "sakit", "demam berdarah" no "berdarah": only the whole name counts;
            # a name of one word ("Limbungan", "Rumbai Barat") is no sign's word at all
            hits = [
                h
                for h in hits
                if not any(s <= h.start and h.end <= e and (s == e or (s, e) != (h.start, h.end)) for s, e in named)
            ]
            met = rules.met(self._present(hits))
        # only the signs with a rule that may fire with every hit, and only its concepts' hits, are guarded: the
        # guards only take hits away, so no other sign can fire and no other hit can make one fire
        entries = [e for e in rules.entries if not met.isdisjoint(e.needs)]
        if not entries:
            return None, False
        marks = guards.marks(reading, hits)
        concepts = self._closed(set().union(*met))
        asked = [h for h in hits if h.concept in concepts]

        def kept_of(skip: frozenset[str]) -> list[Hit]:
            unguarded = guards.unguarded(reading, asked, marks, skip)
            ids = {id(h) for h in unguarded}
            askd = {id(h) for h in asked}

            def dropped(d: Hit) -> bool:  # negated and not kept (a hit not asked is asked now, when negated)
                if id(d) in askd:
                    return id(d) not in ids and guards.negated(reading, d.start, marks)
                return guards.negated(reading, d.start, marks) and guards.guarded(reading, d, marks, skip)

            if len(unguarded) == len(asked) and len(asked) == len(hits):
                return unguarded
            return _inside_kept(hits, unguarded, self._free, dropped, len(asked))

        kept = kept_of(frozenset())
        mild = {  # a set: each sign's hits are looked up in it (a list compared every pair, field by field)
            h for h in kept if h.concept not in self._free and "mild" not in h.free and guards.mild(reading, h, marks)
        }
        context = guards.context(reading, told.text, hits)
        unsure: set[int] | None = None
        hot: set[int] = set()  # the sentences that tell a high temperature, read with `unsure`
        stayed_unsure = False
        soft: bool | None = None  # the message asks "is it normal?" of a calm look-alike (`Guards.only_unsure`)
        unguarded_by: dict[frozenset[str], list[Hit]] = {}
        for entry in entries:
            if context.joke and "joke" not in entry.skip:
                continue
            skipped = entry.skip & _HIT_GUARDS
            usable = unguarded_by.get(skipped) if skipped else kept
            if usable is None:  # signs that skip the same guards keep the same hits: each set of guards runs once
                usable = unguarded_by[skipped] = kept_of(skipped)
            if mild and "mild" not in entry.skip:
                usable = [h for h in usable if h not in mild]
            usable = self._in_context(entry, usable, reading, context)
            if not usable or not entry.may_fire(self._present(usable)):
                continue
            if entry.not_if:  # "kucingnya sudah vaksin": not this sign, in that sentence
                if unsure is None:
                    unsure = guards.unsure_of(reading)
                    # a temperature ("37 8") denies its sentence unless the sentence tells a high one ("skrg 38,5")
                    hot = {reading.sentence[h.start] for h in hits if h.concept == _HIGH_TEMPERATURE}
                denied = {
                    reading.sentence[i]
                    for i in entry.not_if.spans(words, at=reading.places()) - unsure
                    if not (hot and words[i].isdigit() and reading.sentence[i] in hot)
                }
                if denied and entry.sign.not_if_anywhere:
                    continue
                usable = [h for h in usable if reading.sentence[h.start] not in denied]
            if entry.unless:
                own = entry.unless.spans(words, reading.clause, reading.places())
                usable = [h for h in usable if own.isdisjoint(range(h.start, h.end + 1))]
            if self._fires(entry, usable, context.after_clear if "all_clear" not in entry.skip else None):
                if net or entry.sign.kind != "medical" or "asks_normal" in entry.skip:
                    return entry.sign, stayed_unsure
                if soft is None:
                    soft = guards.only_unsure(reading)
                if not soft:
                    return entry.sign, stayed_unsure
                stayed_unsure = True  # "napasnya kadang bunyi pas tidur, nyusunya kuat, wajar?": the net's line
        return None, stayed_unsure

    def reading(self, text: str) -> Reading:
        """The text's words as the detector reads them, with the guards' words settled ("dah lame")."""
        reading = read(text, self._forms.clause_words, self._forms.same, self._guards.single["negation"])
        words = reading.words
        self._forms.settle(words)  # "dah lame" is "sudah lama" for the guards too
        numbered = self._guards.single["numbered"]
        for i in range(len(words) - 1 if "no" in words else 0):  # "no igd", "no darurat brp": the number of, not "no"
            if words[i] == "no" and words[i + 1] in numbered:
                words[i] = "nomor"
        return reading

    def words(self, text: str) -> list[str]:
        return read(text, self._forms.clause_words, self._forms.same, self._guards.single["negation"]).words

    # --- rules ---------------------------------------------------------------------------------

    @staticmethod
    def _in_context(entry: _Sign, usable: list[Hit], reading: Reading, context: Context) -> list[Hit]:
        """The hits the whole message's guards leave to this sign (each may be skipped by the sign)."""
        sentence, skip = reading.sentence, entry.skip
        cleared = context.after_clear if "all_clear" not in skip else None
        if cleared is not None:  # before "sudah baik": only what leads up to a sign told after it, in that sentence
            now = {sentence[h.start] for h in usable if h.start >= cleared}
            usable = [h for h in usable if h.start >= cleared or sentence[h.start] in now]
        here = context.here  # "lagi nonton berita, tiba tiba bapak saya pingsan": after the turn, happening here
        if context.figurative and "all_clear" not in skip:
            usable = [h for h in usable if sentence[h.start] not in context.figurative or h.start in here]
        if context.story and "story" not in skip:
            usable = [h for h in usable if sentence[h.start] not in context.story or h.start in here]
        if context.info and "info" not in skip:  # a concept `unguarded: [info]` is never a question in general
            usable = [h for h in usable if h.start not in context.info or "info" in h.free]
        if context.ahead and "conditional" not in skip:  # "nanti kalau semua tidur mau saya minum" is a plan
            usable = [h for h in usable if h.start not in context.ahead]
        if context.in_care and "in_care" not in skip:  # "suami dirawat di ICU krn serangan jantung, BPJS-nya?"
            usable = [h for h in usable if h.start not in context.in_care]
        return usable

    def _fires(self, entry: _Sign, usable: list[Hit], cleared: int | None) -> bool:
        by_concept: dict[str, list[Hit]] = defaultdict(list)
        for h in usable:
            by_concept[h.concept].append(h)
        add_together(by_concept, self._together)
        if cleared is None:
            return any(fires(rule, by_concept, self._window) for rule in entry.rules)
        # "jatuh kepala duluan, tadi baik saja, tapi sekarang muntah": a rule that needs what came after
        before: dict[str, list[Hit]] = defaultdict(list)
        for h in usable:
            if h.start < cleared:
                before[h.concept].append(h)
        add_together(before, self._together)
        return any(
            fires(rule, by_concept, self._window) and not fires(rule, before, self._window) for rule in entry.rules
        )

    def _closed(self, concepts: set[str]) -> set[str]:
        """The concepts and those they are made of, however deep."""
        grew = True
        while grew:
            grew = False
            for name, parts, _within in self._together:
                if name in concepts and not concepts.issuperset(parts):
                    concepts.update(parts)
                    grew = True
        return concepts

    def _present(self, usable: list[Hit]) -> set[str]:
        """The concepts among the hits, and those made of them (their places aside): a rule of a sign may fire
        only when all its concepts are present."""
        present = {h.concept for h in usable}
        for name, parts, _within in self._together:
            if present.issuperset(parts):
                present.add(name)
        return present
