"""Understanding everyday Indonesian: normalise, spot danger signs, match intents.

Built once per content version (the content holds the slang list, danger signs and
the question variants), then shared by every turn.

Matching is a weighted word overlap between the message and each question variant
(and keyword) of every intent, on stems (Sastrawi). A word's weight is how rare it is
across intents, so "imunisasi" counts more than "anak". For one variant:
  recall    = weight of the variant's words found in the message / weight of the variant
  precision = weight of the message's words found in the variant / weight of the message
and the score is recall x precision^PRECISION_POWER: a message must cover what a
variant says, while chatty extra words cost less. Precision may also count the
message's words found in the intent's other variants (long messages spread their
meaning). Numbers, month names and ages ("9 bulan") match as classes. Words the content never uses
("harga", "bola", "rendang") weigh UNKNOWN_WEIGHT, so a question about something else
scores low and gets the honest fallback. A message that opens a conversation and scores unsure may be
answered when a second opinion by letter sequences (paraphrase.py) points to the same intent.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

from bot import heap
from bot.engine.danger import DangerDetector, danger_vocabulary
from bot.engine.keys import FACILITY, Keys
from bot.engine.langdetect import ENGLISH, INDONESIAN, detect, place_words
from bot.engine.normalize import Normalizer
from bot.engine.paraphrase import Paraphrases
from bot.engine.smalltalk import SmallTalk
from bot.engine.topic_net import TopicNet
from bot.engine.variant_index import VariantIndex, Weighing
from bot.engine.word_weights import PLACE_WEIGHT, word_weights
from bot.knowledge.content import Content
from bot.knowledge.danger import DangerSign

# The matcher's bar for answering straight away, and for offering "Maksud Anda...?" instead.
# Chosen on bench/understanding/labelled.yaml (see bench/RESULTS.md); both halves of the set agree.
CONFIDENT = 0.50
UNSURE = 0.45

# The second opinion (paraphrase.py): an unsure best intent scoring at least AGREE_FLOOR, AGREE_LEAD ahead of
# the next, is answered (scored CONFIDENT) when the nearest variant by letter sequences, at cosine AGREE_NEAR
# or more, is of the same intent. Chosen on the tuning sets A, B, T and T2's train part (bench/RESULTS.md):
# of the unsure first messages both point alike, about three in four are then answered right.
AGREE_FLOOR = 0.25
AGREE_LEAD = 0.07
AGREE_NEAR = 0.15
AGREE_STRANGE = 0.25  # ...and when words the content never uses weigh at most this share of the message (a job ad)

# A confident best entry is answered only when the message names its topic by words of its own at least this much
# (Understanding.names: each word's weight times the share of its uses that are the topic's). "bayar ga?" or
# "nomor yg bisa ditelpon?" score high on one entry by a word every topic uses; they get "Maksud Anda...?".
# Chosen on the tuning sets A, B, T, T2's train part and C's train part (bench/RESULTS.md, round 4).
NAMES_TOPIC = 0.3
SAYS_IT_ALL = 0.95  # ...unless it says all of one variant ("obat demam anak apa yang aman" for that entry)

# Two topics this close (best below TORN_BELOW, the other topic's within TORN_GAP): ask which, do not guess.
TORN_BELOW = 0.6
TORN_GAP = 0.08

PRECISION_POWER = 0.7
INTENT_PRECISION = 0.8  # precision may also count words found anywhere in the intent, at this discount
UNKNOWN_WEIGHT = 1.0  # a word the content never uses weighs as much as the rarest content word
# ...a place name the office knows ("labuai") PLACE_WEIGHT (word_weights.py): it only says where
OFF_TOPIC_WEIGHT = 3.0  # ...and a word of another business ("lowongan", "parkir") weighs three: it is what is asked
# Residents' own phrasings (content/phrasings.yaml) are variants of their entry that count below the entry's own
# questions: a score reached on one is multiplied by PHRASING_WEIGHT, and the words an entry's phrasings use (as
# against its questions') count towards precision at PHRASED_PRECISION (INTENT_PRECISION for its questions).
# Their words count in each word's rarity and in which topic a word names, so residents' chat words ("kak",
# "tolong") weigh little. Chosen with phrasings of the sets A..G, T, T2, T3 on the held-out set H, checked on G
# with phrasings built without G (bench/RESULTS.md, round 9).
PHRASING_WEIGHT = 0.85
PHRASED_PRECISION = 0.65
# Round 10 (bench/RESULTS.md; word_weights.py: topic words from the questions only, PHRASED_OWNER): a phrasing needs
# PHRASING_MIN_KEYS keys. An entry's question met by one word ("libur") keeps the precision its own questions give
# ("kapan libur lebaran tahun depan" is no question about the puskesmas's hours), and the second opinion's "words the
# content never uses" are those its questions never use ("toko bangunan"). Chosen on held-out I and H (each built
# without itself), the labelled set's near-miss out-of-scope questions and the family tests.
PHRASING_MIN_KEYS = 2

# Texts whose matches and danger readings are remembered (round 13): residents send the same texts again and again
# ("halo", "imunisasi bayi", "puskesmas terdekat"), and one turn asks about the same text several times (the
# dialogue, a follow-up's reading, a feature's own look). Both depend on the text alone for one content version.
_REMEMBERED = 8192


def _remembered(
    kept: dict[str, DangerSign | None], text: str, read: Callable[[str], DangerSign | None]
) -> DangerSign | None:
    """`read(text)`, from `kept` when it was read before; `kept` starts afresh when it holds _REMEMBERED texts."""
    if text in kept:
        return kept[text]
    if len(kept) >= _REMEMBERED:
        kept.clear()
    found = kept[text] = read(text)
    return found


@dataclass(frozen=True, slots=True)
class Match:
    intent_id: str
    score: float  # 0..1


class Understanding:
    def __init__(self, content: Content) -> None:
        self.content = content
        lang = content.language
        intents = content.intents.intents
        texts: list[str] = list(danger_vocabulary(content.danger))
        for intent in intents:
            texts.extend((*intent.questions, *intent.questions_en, *intent.keywords))
        texts.extend(p for family in content.smalltalk.families for p in family.phrases)
        texts.extend(lang.off_topic)  # known words: the spelling corrector leaves "loker" alone
        self._normalizer = Normalizer(lang, texts)
        # The content's question words as messages read after normalising ("gimana" -> "bagaimana"): one list
        # for a story's questions, a follow-up that asks rather than tells, and a question beside small talk.
        self.question_words = frozenset(w for q in lang.question_words for w in self._normalizer.words(q))
        self.aside_question_words = self.question_words | {
            w for q in lang.aside_question_words for w in self._normalizer.words(q)
        }
        stop = {w for s in lang.stopwords for w in self._normalizer.words(s)}
        self.place_words = place_words(content)  # names that speak no language ("rejosari", "pekanbaru")
        place_names = frozenset(" ".join(self._normalizer.words(p)) for p in self.place_words) - {""}
        self._keys = Keys(self._normalizer, set(lang.months), stop, place_names)
        self._key_set, self._key = self._keys.of, self._keys.key
        names = (*self.place_words, content.office.name, "tanyasehat")
        self.smalltalk = SmallTalk(content.smalltalk, self._normalizer, names)

        variants: list[tuple[str, frozenset[str]]] = []
        variant_texts: list[tuple[str, str]] = []
        for intent in intents:
            for text in (*intent.questions, *intent.questions_en, *intent.keywords):
                keys = self._key_set(text, asked=False)
                if keys:
                    variants.append((intent.id, keys))
                    variant_texts.append((intent.id, text))
        authored = len(variants)
        # A word of another business in a resident's phrasing ("lamar kerja") is no word of its entry.
        off_topic = frozenset(k for w in lang.off_topic for k in self._key_set(w))
        # ...and a phrasing of one word ("kis sama jkn sama aja ga" reads as "jkn") is no variant: it says too little.
        phrased = [
            (p.intent, keys)
            for p in content.phrasings.phrasings
            if len(keys := self._key_set(p.say) - off_topic) >= PHRASING_MIN_KEYS
        ]
        variants.extend(phrased)
        # The second opinion's index, built with the word index (0.1-0.3 s per content version on this machine).
        self._paraphrases = Paraphrases(
            [(i, self._keys.plain_words(t)) for i, t in variant_texts], self._keys.plain_words, self._key
        )
        self._topic_of = topic_of = {intent.id: intent.topic for intent in intents}
        english = {k for intent in intents for q in intent.questions_en for k in self._key_set(q)}
        places = {self._key(w) for w in self.place_words}
        words = word_weights(variants, authored, topic_of, places, english, off_topic)
        self._weight, self._said_weight, self._topic_uses = words.weight, words.said_weight, words.topic_uses
        self._topic_words, self._own_words = words.topic_words, words.own_words
        self._order = {intent.id: i for i, intent in enumerate(intents)}  # ties go to the entry written first

        self._variants = VariantIndex(
            [intent.id for intent in intents],
            [(intent_id, keys, math.fsum(self._weight[k] for k in keys)) for intent_id, keys in variants[:authored]],
            phrased,
            self._weight,
            Weighing(PRECISION_POWER, INTENT_PRECISION, PHRASED_PRECISION, PHRASING_WEIGHT),
        )

        self._danger = DangerDetector(content.danger, self._normalizer, content.danger_model)
        self.topic_net = TopicNet(content.topic_model)  # the learned second opinion (topic_net.py, dialogue.py)
        # Names of places ("tangkerang", "labuai", "rejosari") say where, not what is asked: they weigh little; so do
        # the words of a name of two words or more the content never uses ("cinta raja", "muara fajar"), though they
        # are Indonesian words too: residents' phrasings made the questions' words lighter beside them.
        named = {w for n in self.place_words if " " in n for w in n.split()}
        self._places = frozenset(self._key(w) for w in self.place_words | named) - set(self._weight)
        # Words of other businesses (content/language.yaml `off_topic`) are never an entry's words.
        self._off_topic = frozenset(k for w in lang.off_topic for k in self._key_set(w)) - set(self._weight)
        # The keys of the question words: what a follow-up's own words are read without (followup.py)
        self.question_keys = self._key_set(" ".join(sorted(self.question_words)))
        # (text, unknown, second, plain) -> (the matches, the limit they were ranked for): a smaller limit's are a prefix
        self._matched: dict[tuple[str, float, bool, bool], tuple[list[Match], int]] = {}
        self._signs: dict[str, DangerSign | None] = {}  # text -> `danger`
        self._troubles: dict[str, DangerSign | None] = {}  # text -> `trouble`

    def normalize(self, text: str) -> str:
        """Lower case, no punctuation, slang expanded, numbers as digits, obvious typos corrected."""
        return self._normalizer(text)

    def forget(self) -> None:
        """Drop the remembered matches and danger readings: a test that changes a tuning constant reads afresh."""
        self._matched.clear()
        self._signs.clear()
        self._troubles.clear()

    def danger(self, text: str) -> DangerSign | None:
        """The danger sign the text describes, if any, the learned net's when it is sure (bot/engine/danger.py)."""
        return _remembered(self._signs, text, self._danger.read)

    def danger_rules(self, text: str) -> DangerSign | None:
        """The hand-written signs' verdict alone: what the tools that train the learned net compare it with."""
        return self._danger.find(text)

    def trouble(self, text: str) -> DangerSign | None:
        """The danger signs' safety net: someone in trouble now that no sign read (bot/engine/danger.py)."""
        return _remembered(self._troubles, text, self._danger.trouble)

    def net_hint(self, text: str) -> DangerSign | None:
        """A sign whose own line follows the safety net's on this text (the mental-health line: bot/engine/danger.py)."""
        return self._danger.net_hint(text)

    def keys(self, text: str) -> frozenset[str]:
        """The comparable keys of a text (stems of its meaningful words), as the matcher sees them."""
        return self._key_set(text)

    def topic_of(self, intent_id: str) -> str:
        intent = self.content.intents.get(intent_id)
        return intent.topic if intent is not None else ""

    def topics_named(self, text: str) -> frozenset[str]:
        """The content topics a message names by their own words; empty for "berapa kali?" or "daftarnya di mana?"."""
        named: set[str] = set()
        for k in self._key_set(text):
            named.update(self._topic_words.get(FACILITY if k.startswith(FACILITY) else k, ()))
        return frozenset(named)

    def topic_named(self, text: str) -> frozenset[str]:
        """The topics a message names by words that belong to one topic only: "syaratnya?" names none."""
        named: set[str] = set()
        for k in self._key_set(text):
            named.update(self._own_words.get(FACILITY if k.startswith(FACILITY) else k, ()))
        return frozenset(named)

    def names(self, text: str, intent_id: str, score: float = 0.0) -> bool:
        """Whether a message names the entry's topic by its own words enough to be answered on it (NAMES_TOPIC).
        A message of two words or more that says all a variant says (`score` ≥ SAYS_IT_ALL) does, whatever
        other entries use its words (a draft FAQ an officer just added); so does an English message: the
        content's English variants are too few to say which English words name a topic ("screening": 3 uses)."""
        if self.says_all(text, score):
            return True
        return (
            self.naming(text, intent_id) >= NAMES_TOPIC or detect(text, self.place_words, keeping=INDONESIAN) == ENGLISH
        )

    def says_all(self, text: str, score: float) -> bool:
        """Whether a message of two words or more says all a variant says (its match `score` ≥ SAYS_IT_ALL)."""
        return score >= SAYS_IT_ALL and len(self._key_set(text)) >= 2

    def naming(self, text: str, intent_id: str) -> float:
        """How much a message names the entry's topic by its own words: each word's weight times the share of
        its uses that are the topic's (one more use counted elsewhere: a word used once names little)."""
        topic = self._topic_of.get(intent_id, "")
        total = 0.0
        for k in sorted(self._key_set(text)):
            uses = self._topic_uses.get(k)
            if uses:
                total += self._said_weight[k] * uses.get(topic, 0) / (sum(uses.values()) + 1)
        return total

    def weight(self, text: str) -> float:
        """How much a message says by its own words: the sum of its keys' weights (unknown words weigh UNKNOWN_WEIGHT)."""
        return math.fsum(self._unknown_weight(k, UNKNOWN_WEIGHT) for k in sorted(self._key_set(text)))

    def _unknown_weight(self, key: str, unknown: float, plain: bool = False) -> float:
        found = self._weight.get(key)
        if found is not None:
            return found if not plain or key in self._said_weight else min(found, unknown)
        if key in self._off_topic:
            return OFF_TOPIC_WEIGHT  # whatever `unknown` a story's clause is read with: it says what is asked
        return min(PLACE_WEIGHT, unknown) if key in self._places else unknown

    def match(
        self,
        text: str,
        lang: str = "id",
        limit: int = 3,
        unknown: float = UNKNOWN_WEIGHT,
        second: bool = False,
        plain: bool = False,
    ) -> list[Match]:
        """The closest intents, best first, one entry per intent.

        Indonesian and English variants are searched in every session (`lang` is kept for the
        API): residents mix the two ("booster", "check up"), and English words never collide
        with Indonesian ones in a way that hurts. `unknown` is the weight of words the content never
        uses: a story's clauses ("kami lagi mudik") weigh them less. `second` asks the second opinion
        (paraphrase.py) when the best score is unsure: the dialogue asks it for a message that opens a
        conversation, where no context can tell what a short question leans on. `plain`: words only residents'
        phrasings use weigh as words the content never uses (`unknown`), as the authored questions alone read them.
        """
        key = (text, unknown, second, plain)  # `lang` is not read
        kept = self._matched.get(key)
        if kept is not None and limit <= kept[1]:
            return kept[0][:limit]
        if len(self._matched) >= _REMEMBERED:
            self._matched.clear()
        found = self._match(text, limit, unknown, second, plain)
        self._matched[key] = (found, limit)
        return found[:]

    def _match(self, text: str, limit: int, unknown: float, second: bool, plain: bool) -> list[Match]:
        """`match` itself: the first `limit` matches are the same whatever the limit (a total order, ties included)."""
        # Sorted keys and exact sums (fsum): the same message gets the same scores under any hash seed.
        query = sorted(self._key_set(text))
        if not query:
            return []
        weights = {k: self._unknown_weight(k, unknown, plain) for k in query}
        total = math.fsum(weights.values())
        # Every entry's questions and phrasings in one pass (variant_index.py); `spread`: the weight of the message's
        # words each entry's questions use, for ties.
        # Only the first `limit` (two at least, for the second opinion's lead) are kept: the same as sorting all.
        # Rounding keeps the order (ties aside): an entry whose score is below the `keep`-th best by more than
        # rounding can close cannot be among the first `keep`, and is not given at all (`VariantIndex.best`).
        keep = max(limit, 2)
        best, spread = self._variants.best(query, weights, total, keep)
        # A tie goes to the intent covering more of the message's weight, then to the entry written first.
        order, last = self._order, len(self._order)
        candidates = [(round(min(s, 1.0), 4), i) for i, s in best.items()]
        scored = heapq.nsmallest(
            keep, candidates, key=lambda si: (-si[0], -spread[si[1]], order.get(si[1], last), si[1])
        )
        if second and scored and AGREE_FLOOR <= scored[0][0] < CONFIDENT:
            lead = scored[0][0] - (scored[1][0] if len(scored) > 1 else 0.0)
            named = self._topic_of.get(scored[0][1]) in self.topics_named(text)
            strange = sum(weights[k] for k in query if k not in self._said_weight) / total
            if lead >= AGREE_LEAD and named and strange <= AGREE_STRANGE and self._agrees(text, scored[0][1]):
                scored[0] = (CONFIDENT, scored[0][1])
        return [Match(i, s) for s, i in scored[:limit]]

    def torn(self, matches: list[Match]) -> bool:
        """Whether a confident best match has an entry of another topic close behind it ("suntik imunisasi
        bayi di rumah sakit ditanggung bpjs?": using the card, or immunization at a hospital): a "Maksud Anda...?"
        beats a wrong answer."""
        if not matches or matches[0].score >= TORN_BELOW:
            return False
        topic = self._topic_of.get(matches[0].intent_id)
        return any(
            self._topic_of.get(m.intent_id) != topic and matches[0].score - m.score < TORN_GAP for m in matches[1:]
        )

    def _agrees(self, text: str, intent_id: str) -> bool:
        """Whether the nearest variant by letter sequences is of this intent, and near enough."""
        near = self._paraphrases.nearest(text)
        return bool(near) and near[0][0] == intent_id and near[0][1] >= AGREE_NEAR


PER_OFFICE = 4  # versions kept per office: the live one and a few a reload or a test has just replaced
_cache: dict[str, list[Understanding]] = {}  # by office (region code), newest first


def understanding_for(content: Content) -> Understanding:
    """The Understanding of this content object (built once, reused by every turn).

    Kept per office, so a bot of several offices (CONTENT_DIRS) builds each office's once, and a
    reload replaces only that office's. The same files read again (the same version: a restart of the
    runtime in one process, a test's fresh bot) reuse it: building one takes seconds.
    """
    kept = _cache.setdefault(content.office.region_code, [])
    for found in tuple(kept):  # a copy: the content watcher's thread may add the next version meanwhile
        if found.content is content or found.content.version == content.version:
            return found
    found = Understanding(content)
    kept.insert(0, found)
    del kept[PER_OFFICE:]
    # Its 150,000-odd objects live as long as the version: out of the collector's full collections, which walked them
    # every few hundred turns (80-130 ms each) in a process that does not settle its heap itself (bot/heap.py).
    heap.settle()
    return found
