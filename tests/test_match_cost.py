"""The matcher's and the typo searches' shortcuts give the numbers the plain loops gave (rounds 12 and 14)."""

from __future__ import annotations

import math
import random

from rapidfuzz import fuzz, process

from bot.engine.near import Near
from bot.engine.variant_index import VariantIndex, Weighing

WORDS = [
    "imunisasi", "imunisas", "posyandu", "posbindu", "posiandu", "puskesmas", "puskesma", "pusksmas", "demam",
    "dmam", "kejang", "kejng", "pingsan", "pinsan", "mencret", "menret", "campak", "cmpak", "vaksin", "vaksn",
    "jadwal", "jadwl", "bpjs", "gratis", "gratiss", "kartu", "karu", "hamil", "hamill", "sesak", "sesek",
]  # fmt: skip


def test_near_gives_what_extract_over_every_word_gives() -> None:
    near = Near(sorted(set(WORDS)))
    for word in [*WORDS, "imunsasi", "posyndu", "kejangg", "pingsn", "dema", "x", ""]:
        for cutoff, limit in ((80.0, 5), (83.0, 5), (88.0, 3), (88.0, 1)):
            plain = process.extract(word, sorted(set(WORDS)), scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
            assert near.extract(word, cutoff, limit) == [(c, s) for c, s, _ in plain]


def test_near_counting_letters_first_gives_what_extract_gives() -> None:
    """A list long enough that letters are counted before words are compared (round 15): the same words, scores and
    order as `process.extract` over the whole list, typos and other characters ("é", digits) included."""
    pick = random.Random(15)
    letters = "aaaaeeiioouunnkkgmmprrsstlbdhyjcé1"
    choices = sorted({"".join(pick.choice(letters) for _ in range(pick.randint(3, 11))) for _ in range(3000)})
    near = Near(choices)
    typed = [*pick.sample(choices, 150), "", "x"]
    typed += [w[:i] + w[i + 1 :] for w in pick.sample(choices, 150) for i in [pick.randrange(len(w))]]
    typed += [w[:i] + pick.choice(letters) + w[i:] for w in pick.sample(choices, 150) for i in [pick.randrange(len(w))]]
    for word in typed:
        for cutoff, limit in ((80.0, 5), (83.0, 5), (88.0, 3), (88.0, 1)):
            plain = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
            assert near.extract(word, cutoff, limit) == [(c, s) for c, s, _ in plain]


def _plain_best(questions, phrasings, query, weights, total):  # type: ignore[no-untyped-def]
    """The loops VariantIndex replaced: every question and phrasing a word of the message meets, scored one by one."""
    said: dict[str, set[str]] = {}
    phrased: dict[str, set[str]] = {}
    for intent_id, keys, _ in questions:
        said.setdefault(intent_id, set()).update(keys)
    for intent_id, keys in phrasings:
        phrased.setdefault(intent_id, set()).update(keys)
    own = {i: 0.8 * math.fsum(weights[k] for k in query if k in v) for i, v in said.items()}
    floor = {i: max(own.get(i, 0.0), 0.65 * math.fsum(weights[k] for k in query if k in v)) for i, v in phrased.items()}
    best: dict[str, float] = {}
    variants = [(i, keys, w, 1.0) for i, keys, w in questions]
    variants += [(i, keys, sum(WEIGHT[k] for k in sorted(keys)), 0.85) for i, keys in phrasings]
    for intent_id, keys, weight, factor in variants:
        ws = [weights[k] for k in query if k in keys]
        if not ws:
            continue
        overlap = math.fsum(ws)
        least = (
            own.get(intent_id, 0.0) if len(ws) == 1 and factor == 1.0 else floor.get(intent_id, own.get(intent_id, 0.0))
        )
        score = (overlap / weight) * (max(overlap, least) / total) ** 0.7 * factor
        best[intent_id] = max(score, best.get(intent_id, 0.0))
    return best


rng = random.Random(12)
VOCABULARY = [f"w{n}" for n in range(40)]
WEIGHT = {w: rng.uniform(0.05, 1.0) for w in VOCABULARY}


def test_variant_index_scores_as_every_variant_scored() -> None:
    questions, phrasings = [], []
    for n in range(300):
        keys = frozenset(rng.sample(VOCABULARY, rng.randint(1, 5)))
        questions.append((f"e{n % 17}", keys, math.fsum(WEIGHT[k] for k in keys)))
    for n in range(400):
        phrasings.append((f"e{n % 13}", frozenset(rng.sample(VOCABULARY, rng.randint(2, 6)))))
    index = VariantIndex([f"e{n}" for n in range(17)], questions, phrasings, WEIGHT, Weighing(0.7, 0.8, 0.65, 0.85))
    for _ in range(200):
        query = sorted(rng.sample(VOCABULARY, rng.randint(1, 8)))
        weights = {k: WEIGHT[k] for k in query}
        total = math.fsum(weights.values())
        best, spread = index.best(query, weights, total)
        plain = _plain_best(questions, phrasings, query, weights, total)
        assert best.keys() == plain.keys()
        assert all(math.isclose(best[i], plain[i], rel_tol=1e-12) for i in best)  # left-to-right sums, not fsum
        for i in spread:  # the weight of the message's words the entry's questions use
            used = {k for e, keys, _ in questions if e == i for k in keys}
            assert math.isclose(spread[i], math.fsum(weights[k] for k in query if k in used), rel_tol=1e-12)


def test_stem_table_holds_sastrawi_own_stems() -> None:
    from bot.engine import stemmer

    table = stemmer.table()
    assert len(table) > 1000  # the shipped content's words (tools/stem_table.py)
    wrong = {w: s for w, s in table.items() if stemmer.sastrawi_stem(w) != s}
    assert not wrong
