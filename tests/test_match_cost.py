"""Round 12 (speedL): the matcher's and the typo searches' shortcuts give the numbers the plain loops gave."""

from __future__ import annotations

import math
import random

from rapidfuzz import fuzz, process

from bot.engine.entry_index import EntryIndex
from bot.engine.near import Near

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


def _plain_best(entries, query, weights, total, floor, own, power):  # type: ignore[no-untyped-def]
    """The loop EntryIndex replaced: every question a word of the message meets, scored one by one."""
    best: dict[str, float] = {}
    for intent_id, keys, weight in entries:
        ws = [weights[k] for k in query if k in keys]
        if not ws:
            continue
        overlap = ws[0] if len(ws) == 1 else math.fsum(ws)
        least = floor(intent_id) if len(ws) > 1 else own[intent_id]
        score = (overlap / weight) * (max(overlap, least) / total) ** power
        if score > best.get(intent_id, 0.0):
            best[intent_id] = score
    return best


def test_entry_index_scores_as_every_question_scored() -> None:
    rng = random.Random(12)
    vocabulary = [f"w{n}" for n in range(40)]
    weight = {w: rng.uniform(0.05, 1.0) for w in vocabulary}
    entries = []
    for n in range(300):
        keys = frozenset(rng.sample(vocabulary, rng.randint(1, 5)))
        entries.append((f"e{n % 17}", keys, math.fsum(weight[k] for k in keys)))
    index = EntryIndex(entries)
    for _ in range(200):
        query = sorted(rng.sample(vocabulary, rng.randint(1, 8)))
        weights = {k: weight[k] for k in query}
        total = math.fsum(weights.values())
        floors = {f"e{n}": rng.uniform(0.0, total) for n in range(17)}
        own = {i: f * 0.8 for i, f in floors.items()}
        assert index.best(query, weights, total, floors.__getitem__, own, 0.7) == _plain_best(
            entries, query, weights, total, floors.__getitem__, own, 0.7
        )


def test_stem_table_holds_sastrawi_own_stems() -> None:
    from bot.engine import stemmer

    table = stemmer.table()
    assert len(table) > 1000  # the shipped content's words (tools/stem_table.py)
    wrong = {w: s for w, s in table.items() if stemmer.sastrawi_stem(w) != s}
    assert not wrong
