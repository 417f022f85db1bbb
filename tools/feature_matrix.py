"""The sparse message-by-feature matrix both learned models are fitted to (train_danger_net, train_topic_net).

Each message's features come from bot.engine.danger_net.features; a feature seen in fewer than `min_docs`
messages is left out (it would only learn that one message), and each row is scaled to unit length so a
long story weighs no more than a short message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

import numpy as np


def feature_matrix(
    docs: list[Collection[str]], min_docs: int, keep: Callable[[str], bool] = lambda _f: True
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The vocabulary, then the matrix as (row, column, value) arrays in row order."""
    counts: dict[str, int] = {}
    for found in docs:
        for f in found:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= min_docs and keep(f))
    index = {f: i for i, f in enumerate(vocab)}
    row_ids: list[int] = []
    col_ids: list[int] = []
    values: list[float] = []
    for r, found in enumerate(docs):
        cols = sorted(index[f] for f in found if f in index)
        row_ids += [r] * len(cols)
        col_ids += cols
        values += [1.0 / math.sqrt(max(len(found), 1))] * len(cols)
    return (
        vocab,
        np.array(row_ids, dtype=np.int64),
        np.array(col_ids, dtype=np.int64),
        np.array(values, dtype=np.float64),
    )
