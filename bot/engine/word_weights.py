"""How much each word says, read once per content version from the entries' questions and residents' phrasings.

A word's weight is how rare it is across entries, so "imunisasi" counts more than "anak". Which topic a word names
(topic words, `naming`) is read from the entries' own questions only. Split from understanding.py, which matches a
message with these weights.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.engine.keys import FACILITY

PLACE_WEIGHT = 0.2  # a word of a place name the office knows ("labuai") only says where
TOPIC_WORD_SPREAD = 2  # a word used by at most this many content topics names its topic...
TOPIC_WORD_USES = 3  # ...when at least this many question variants use it
# Round 10, with every tuning set's phrasings shipped (bench/RESULTS.md): which topic a word names (topic words and
# `naming`) is read from the entries' own questions only: counted with residents' phrasings, two of 200 "uhc"
# phrasings asking the office took "uhc" from its topic, and "posyandu" weighed too little to name its own. An entry
# that uses a word only in phrasings counts PHRASED_OWNER in the word's rarity, or every chat word residents spread
# across entries made the content's words light beside a word it never uses ("xyz").
PHRASED_OWNER = 0.5


@dataclass(frozen=True, slots=True)
class WordWeights:
    weight: dict[str, float]  # each word's weight in a match, 0..1 (the rarest content word weighs 1)
    said_weight: dict[str, float]  # ...as the entries' own questions alone say it; only words a question uses
    topic_words: dict[str, frozenset[str]]  # words that point to one or two topics ("bpjs", "campak", "igd")
    own_words: dict[str, frozenset[str]]  # ...to exactly one ("bpjs", "posyandu")
    topic_uses: dict[str, dict[str, int]]  # how often each word is used by each topic's questions


def word_weights(
    variants: Sequence[tuple[str, frozenset[str]]],
    authored: int,
    topic_of: Mapping[str, str],
    places: Iterable[str],
    english: Iterable[str],
    off_topic: Iterable[str],
) -> WordWeights:
    """`variants`: (entry id, keys) of every question, English question and keyword (the first `authored`), then of
    every residents' phrasing; `places`: keys of the office's place names; `english`: keys of the English
    questions; `off_topic`: keys of other businesses' words."""
    spread: dict[str, set[str]] = defaultdict(set)
    said: dict[str, set[str]] = defaultdict(set)  # ...by the entries' own questions only
    topics: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, int] = defaultdict(int)
    for n, (intent_id, keys) in enumerate(variants):
        for k in keys:
            spread[k].add(intent_id)
            if n >= authored:
                continue
            said[k].add(intent_id)
            for named in {k, FACILITY} if k.startswith(FACILITY) else {k}:  # any named puskesmas names its topic
                topics[named].add(topic_of[intent_id])
                uses[named] += 1
    # Words that point to one or two topics ("bpjs", "campak", "igd"), unlike "daftar" or "berapa";
    # a word the content uses once ("lakukan") says nothing about a topic.
    topic_words = {
        k: frozenset(t) for k, t in topics.items() if len(t) <= TOPIC_WORD_SPREAD and uses[k] >= TOPIC_WORD_USES
    }
    # The words of exactly one topic ("bpjs", "posyandu"), unlike "syarat" (CKG and UHC) or "kelas" (UHC and BIAS).
    own_words = {k: t for k, t in topic_words.items() if len(t) == 1}
    n = max(len(topic_of), 1)
    # A word's rarity: the entries that use it, those that use it only in residents' phrasings at PHRASED_OWNER.
    owned = {k: len(said.get(k, ())) + PHRASED_OWNER * len(owners - said.get(k, set())) for k, owners in spread.items()}
    raw = {k: math.log(1 + n / max(1.0, count)) for k, count in sorted(owned.items())}
    top = max(raw.values(), default=1.0)
    weight = {k: v / top for k, v in raw.items()}
    # ...and as the entries' own questions alone say it: how much a word names a topic (`naming`).
    raw = {k: math.log(1 + n / len(owners)) for k, owners in sorted(said.items())}
    top = max(raw.values(), default=1.0)
    said_weight = {k: v / top for k, v in raw.items()}
    # A place name says where, not what is asked, even where a variant uses it ("puskesmas di tangkerang"):
    # it weighs PLACE_WEIGHT, or "jadwal posyandu di tangkerang" is read as the puskesmas of Tangkerang.
    # English words in a hospital's name ("medical center") keep their weight.
    for k in sorted(set(places) & set(weight) - set(english)):
        weight[k] = min(weight[k], PLACE_WEIGHT)
        if k in said_weight:
            said_weight[k] = min(said_weight[k], PLACE_WEIGHT)
    for k in set(off_topic) - {k for _, keys in variants[:authored] for k in keys}:
        weight.pop(k, None)  # ...nor a content word: it stays another business's ("jam buka bank")
    # How often each key is used by each topic's variants: how strongly a word names a topic.
    topic_uses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for intent_id, keys in variants[:authored]:
        for k in keys:
            topic_uses[k][topic_of[intent_id]] += 1
    return WordWeights(weight, said_weight, topic_words, own_words, topic_uses)
