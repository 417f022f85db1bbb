"""What both learned models' trainers share (train_danger_net, train_topic_net): the sparse message-by-feature
matrix they are fitted to, and Adam's steps that fit them.

Each message's features come from bot.engine.danger_net.features; a feature seen in fewer than `min_docs`
messages is left out (it would only learn that one message), and each row is scaled to unit length so a
long story weighs no more than a short message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

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


class Adam:
    """Adam's full-batch steps on a weight array and its bias (a number, or an array of one per class)."""

    BETA1, BETA2, EPS = 0.9, 0.999, 1e-8

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.steps = 0
        # The moments start at zero; a number broadcasts to the gradients' shape at the first step.
        self.m_w: Any = 0.0
        self.v_w: Any = 0.0
        self.m_b: Any = 0.0
        self.v_b: Any = 0.0

    def step(self, w: np.ndarray, b: Any, grad_w: np.ndarray, grad_b: Any) -> Any:
        """Move the weights in place; the moved bias is returned."""
        beta1, beta2 = self.BETA1, self.BETA2
        self.steps += 1
        self.m_w = beta1 * self.m_w + (1 - beta1) * grad_w
        self.v_w = beta2 * self.v_w + (1 - beta2) * grad_w**2
        self.m_b = beta1 * self.m_b + (1 - beta1) * grad_b
        self.v_b = beta2 * self.v_b + (1 - beta2) * grad_b**2
        fix1, fix2 = 1 - beta1**self.steps, 1 - beta2**self.steps
        w -= self.rate * (self.m_w / fix1) / (np.sqrt(self.v_w / fix2) + self.EPS)
        return b - self.rate * (self.m_b / fix1) / (np.sqrt(self.v_b / fix2) + self.EPS)
