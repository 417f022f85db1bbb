"""Train the learned second opinion on topics and write content/topic_model.yaml (bot/engine/topic_net.py).

    .venv/bin/python tools/train_topic_net.py [--content content] [--out FILE]

A multinomial logistic regression over the same features as the danger signs' safety net (words, word pairs,
letter 3-5-grams of each word: bot/engine/danger_net.features, imported, not copied; each message's features
weigh 1/sqrt(how many)), one class per FAQ entry, fitted by full-batch Adam from zero (deterministic: the same
content gives the same file). Its examples are the content's own: every entry's questions, English questions and
keywords, and residents' phrasings (content/phrasings.yaml). For an honest estimate, train it on a content copy
whose phrasings were built without the tuning sets' held-out parts (tools/resident_phrasings.py --without-held).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

from bot.engine.danger_net import features
from bot.engine.topic_net import FEATURES
from bot.knowledge.content import Content, load_content

ROOT = Path(__file__).resolve().parent.parent
L2 = 1e-5  # per example
STEPS, RATE = 200, 0.05
MIN_DOCS = 2  # a feature of one example only is left out
PRUNE = 0.05  # smaller weights are not written
CHUNK = 1024


def examples(content: Content) -> list[tuple[str, str]]:
    """(text, entry) of every authored question variant and resident phrasing."""
    rows = [
        (text, intent.id)
        for intent in content.intents.intents
        for text in (*intent.questions, *intent.questions_en, *intent.keywords)
    ]
    rows += [(p.say, p.intent) for p in content.phrasings.phrasings]
    return rows


def train(
    rows: list[tuple[str, str]], steps: int = STEPS, prune_at: float = PRUNE
) -> tuple[list[str], list[float], dict[str, dict[int, float]]]:
    classes = sorted({c for _, c in rows})
    of_class = {c: i for i, c in enumerate(classes)}
    docs = [features(text) for text, _ in rows]
    counts: dict[str, int] = {}
    for found in docs:
        for f in found:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_DOCS)
    index = {f: i for i, f in enumerate(vocab)}
    row_ids, col_ids, values = [], [], []
    for r, found in enumerate(docs):
        cols = sorted(index[f] for f in found if f in index)
        row_ids += [r] * len(cols)
        col_ids += cols
        values += [1.0 / math.sqrt(max(len(found), 1))] * len(cols)
    rows_a = np.array(row_ids, dtype=np.int64)
    cols_a = np.array(col_ids, dtype=np.int64)
    vals = np.array(values, dtype=np.float64)
    by_col = np.argsort(cols_a, kind="stable")
    cols_sorted = cols_a[by_col]
    col_starts = np.flatnonzero(np.r_[True, cols_sorted[1:] != cols_sorted[:-1]])
    col_ids_u = cols_sorted[col_starts]
    row_starts = np.flatnonzero(np.r_[True, rows_a[1:] != rows_a[:-1]])
    rows_u = rows_a[row_starts]
    n, d, k = len(rows), len(vocab), len(classes)
    y = np.zeros((n, k))
    y[np.arange(n), [of_class[c] for _, c in rows]] = 1.0
    w, b = np.zeros((d, k)), np.zeros(k)
    m_w, v_w, m_b, v_b = np.zeros((d, k)), np.zeros((d, k)), np.zeros(k), np.zeros(k)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        z = np.zeros((n, k))
        z[rows_u] = np.add.reduceat(vals[:, None] * w[cols_a], row_starts, axis=0)
        z += b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / n
        grad_w = L2 * w
        grad_w[col_ids_u] += np.add.reduceat(vals[by_col, None] * g[rows_a[by_col]], col_starts, axis=0)
        grad_b = g.sum(axis=0)
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        v_w = beta2 * v_w + (1 - beta2) * grad_w**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        fix1, fix2 = 1 - beta1**step, 1 - beta2**step
        w -= RATE * (m_w / fix1) / (np.sqrt(v_w / fix2) + eps)
        b -= RATE * (m_b / fix1) / (np.sqrt(v_b / fix2) + eps)
    return classes, [round(float(x), 3) for x in b], prune(vocab, w, prune_at)


def prune(vocab: list[str], w: np.ndarray, at: float) -> dict[str, dict[int, float]]:
    """Each feature's weights of at least `at` (absolute), by entry index, to 2 decimals."""
    weights: dict[str, dict[int, float]] = {}
    for f, row in zip(vocab, w, strict=True):
        kept = {i: round(float(x), 2) for i, x in enumerate(row) if abs(x) >= at}
        if kept:
            weights[f] = kept
    return weights


def write(
    classes: list[str],
    bias: list[float],
    weights: dict[str, dict[int, float]],
    named: str,
    rows: int,
    path: Path,
    steps: int = STEPS,
    at: float = PRUNE,
) -> None:
    made_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# GENERATED by tools/train_topic_net.py: do not edit by hand (staff edit the FAQ questions and phrasings.yaml).",
        "# The learned second opinion on which entry a message asks (bot/engine/topic_net.py): a multinomial logistic",
        f"# regression, {rows} examples (the entries' questions, English questions, keywords and residents' phrasings",
        f"# of {named}), L2 {L2}, {steps} full-batch Adam steps; features in >= {MIN_DOCS} examples, |weight| >= {at}",
        "# written. Each weights line: the feature, then its weights as entry:weight, the entry by its place in",
        "# `entries` (0 = the first).",
        "# Regenerate: .venv/bin/python tools/train_topic_net.py",
        "model: multinomial logistic regression",
        f"features: {FEATURES}",
        "made_by: tools/train_topic_net.py",
        f'made_at: "{made_at}"',
        f"entries: [{', '.join(classes)}]",
        f"bias: [{', '.join(str(x) for x in bias)}]",
        "weights: |",
        *(f"  {f} {' '.join(f'{i}:{x:g}' for i, x in sorted(ws.items()))}" for f, ws in sorted(weights.items())),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--out", type=Path, help="default: topic_model.yaml in the content directory")
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--prune", type=float, default=PRUNE)
    args = parser.parse_args()
    content, problems = load_content(args.content)
    if content is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    rows = examples(content)
    classes, bias, weights = train(rows, args.steps, args.prune)
    out = args.out or args.content / "topic_model.yaml"
    write(classes, bias, weights, args.content.name, len(rows), out, args.steps, args.prune)
    print(f"{out}: {len(weights)} features x {len(classes)} entries from {len(rows)} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
