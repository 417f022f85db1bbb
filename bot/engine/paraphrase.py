"""A second opinion for the word matcher: the nearest question variant by letter sequences.

The word matcher (understanding.py) needs a message's words to be the content's words; a resident
who writes "ngecek", "dicek", "pengecekan" or a typo the normaliser missed shares most letter
sequences with the variant all the same. Each variant and each message becomes a TF-IDF vector of
its words' 3-5 letter sequences (with word edges, " cek ") plus its word keys; the message's nearest
variant by cosine names an intent. The message's sequences that no variant has count in its length,
so a message about something else ("harga tiket pesawat") is near nothing.

It is only a second opinion: understanding.py asks it when its own best score is unsure, and answers
only when both point to the same intent (see AGREE_* there). Built once per content version with the
word index; well under a millisecond per message asked (numpy over the sequences' postings).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

GRAMS = (3, 4, 5)
_CACHE_LIMIT = 4096  # a turn asks about the same text several times (dialogue, context, features)


class Paraphrases:
    def __init__(
        self,
        variants: Sequence[tuple[str, Sequence[str]]],
        words: Callable[[str], list[str]],
        key: Callable[[str], str],
    ) -> None:
        """`variants`: (intent id, words of one question variant) in content order; `words` and `key`
        read a message as the word matcher does (normalised words without stopwords; a word's stem)."""
        self._words = words
        self._key = key
        intents: dict[str, int] = {}
        docs: list[Counter[str]] = []
        owners: list[int] = []
        for intent_id, text_words in variants:
            grams = self._grams(text_words)
            if grams:
                docs.append(grams)
                owners.append(intents.setdefault(intent_id, len(intents)))
        self._ids = list(intents)
        df: Counter[str] = Counter()
        for grams in docs:
            df.update(grams.keys())
        n = len(docs)
        features = sorted(df)
        self._feature = {f: j for j, f in enumerate(features)}
        self._idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in features], dtype=np.float64)
        self._unseen = math.log(1 + n) + 1  # a sequence no variant has weighs as much as the rarest
        # The postings as one array sorted by sequence (CSR): sequence j's variants are _docs[_start[j]:_start[j + 1]].
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for d, grams in enumerate(docs):
            for g, c in grams.items():
                rows.append(self._feature[g])
                cols.append(d)
                counts.append(c)
        feature_of = np.array(rows, dtype=np.int64)
        doc_of = np.array(cols, dtype=np.int64)
        weights = (1 + np.log(np.array(counts, dtype=np.float64))) * self._idf[feature_of]
        weights /= np.sqrt(np.bincount(doc_of, weights=weights * weights, minlength=len(docs)))[doc_of]
        order = np.argsort(feature_of, kind="stable")
        self._docs = doc_of[order]
        self._vals = weights[order]
        self._start = np.searchsorted(feature_of[order], np.arange(len(features) + 1))
        self._owners = np.array(owners, dtype=np.int64)
        self._n = n
        self._seen: dict[str, list[tuple[str, float]]] = {}

    def nearest(self, text: str) -> list[tuple[str, float]]:
        """Every intent with its nearest variant's cosine (0..1), best first; ties in content order."""
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= _CACHE_LIMIT:
                self._seen.clear()
            found = self._seen[text] = self._nearest(text)
        return found

    def _nearest(self, text: str) -> list[tuple[str, float]]:
        grams = self._grams(self._words(text))
        idx, vals = self._vector(grams)
        if not len(idx) or not self._n:
            return []
        spans = [(int(self._start[j]), int(self._start[j + 1])) for j in idx.tolist()]
        docs = np.concatenate([self._docs[a:b] for a, b in spans])
        weights = np.concatenate([self._vals[a:b] * v for (a, b), v in zip(spans, vals.tolist(), strict=True)])
        sims = np.bincount(docs, weights=weights, minlength=self._n)
        best = np.zeros(len(self._ids))
        np.maximum.at(best, self._owners, sims)
        rounded = [round(float(s), 4) for s in best]
        order = sorted(range(len(rounded)), key=lambda k: (-rounded[k], k))
        return [(self._ids[k], rounded[k]) for k in order if rounded[k] > 0]

    def _grams(self, words: Sequence[str]) -> Counter[str]:
        grams: Counter[str] = Counter()
        for w in words:
            edged = f" {w} "
            for size in GRAMS:
                grams.update(edged[i : i + size] for i in range(len(edged) - size + 1))
            grams["=" + self._key(w)] += 1  # the word's stem: "periksa" in "pemeriksaan" and "diperiksa"
        return grams

    def _vector(self, grams: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """The known sequences' indices and their weights, normalised by the whole message's length."""
        known = sorted((self._feature[g], 1 + math.log(c)) for g, c in grams.items() if g in self._feature)
        idx = np.array([j for j, _ in known], dtype=np.int64)
        vals = np.array([tf for _, tf in known], dtype=np.float64) * self._idf[idx]
        unseen = math.fsum((1 + math.log(c)) * self._unseen for g, c in grams.items() if g not in self._feature)
        norm = math.sqrt(math.fsum((vals * vals).tolist()) + unseen * unseen)
        return idx, (vals / norm if norm else vals)
