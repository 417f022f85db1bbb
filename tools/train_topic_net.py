"""Train the learned second opinion on topics and write content/topic_model.yaml (bot/engine/topic_net.py).

    .venv/bin/python tools/train_topic_net.py [--content content] [--out FILE] [--without i,j]

A multinomial logistic regression over the same features as the danger signs' safety net (words, word pairs,
letter 3-5-grams of each word: bot/engine/danger_net.features, imported, not copied; each message's features
weigh 1/sqrt(how many)), one class per FAQ entry and four of no entry (topic_model.SPECIAL: out of scope, small
talk, handover, emergency), fitted by Adam on shuffled batches from zero (deterministic: the same content and sets give the
same file). Its examples are the content's own (every entry's questions, English questions and keywords, and
residents' phrasings, content/phrasings.yaml) and every resident turn of the blind tuning sets, labelled with the
entry of its topic the matcher ranks highest (resident_phrasings.answering) or its class of no entry, and read with
the class of the turn before (topic_net.AFTER): a follow-up is learned with what it follows. For an honest
estimate of a set, leave it out here (--without) and out of the phrasings (tools/resident_phrasings.py --sets).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

from bench.blind.score import HERE, load_conversations
from bot.engine.topic_net import FEATURES, reading_features
from bot.engine.understanding import Understanding
from bot.knowledge import phrasings
from bot.knowledge.content import Content, load_content
from bot.knowledge.topic_model import SPECIAL
from tools.feature_matrix import Adam, feature_matrix
from tools.resident_phrasings import TUNING, answering

ROOT = Path(__file__).resolve().parent.parent
L2 = 1e-5  # per example
EPOCHS, BATCH, RATE = 12, 512, 0.02  # Adam's steps on batches: a full pass per step took minutes at 10,000 turns
MIN_DOCS = 2  # a feature of one example only is left out
PRUNE = 0.05  # smaller weights are not written


Example = tuple[str, str, str | None]  # the text, its class, the class of the turn before (None: it opens)


def examples(content: Content) -> list[Example]:
    """Every authored question variant and resident phrasing with its entry, each read as a first turn."""
    rows: list[Example] = [
        (text, intent.id, None)
        for intent in content.intents.intents
        for text in (*intent.questions, *intent.questions_en, *intent.keywords)
    ]
    rows += [(p.say, p.intent, None) for p in content.phrasings.phrasings]
    return rows


def resident_turns(content: Content, sets: list[str]) -> list[Example]:
    """Every written turn of the tuning sets (shared locations aside) with its class and the class before it."""
    understanding = Understanding(dataclasses.replace(content, phrasings=phrasings.EMPTY))  # as the phrasings' tool
    rows: list[Example] = []
    for name in sets:
        for conv in load_conversations(HERE / f"understanding_{name}.yaml"):
            before: str | None = None
            for turn in conv.turns:
                label = turn.topic  # a known topic: load_conversations refuses any other
                known = label if label in SPECIAL else answering(understanding, content, turn.say, label)
                if not turn.say.startswith("@"):
                    rows.append((turn.say.strip(), known, before))
                before = known
    return rows


def train(
    rows: list[Example], epochs: int = EPOCHS, prune_at: float = PRUNE
) -> tuple[list[str], list[float], dict[str, dict[int, float]]]:
    read = [(reading_features(text, after), c) for text, c, after in rows]
    kept = [(found, c) for found, c in read if found is not None]
    classes = sorted({c for _, c in kept})
    of_class = {c: i for i, c in enumerate(classes)}
    # Shuffled once, by a fixed seed, into batches: each Adam step sees every set and entry (deterministic).
    order = np.random.default_rng(0).permutation(len(kept))
    docs = [kept[i][0] for i in order]
    labels = np.array([of_class[kept[i][1]] for i in order])
    vocab, rows_a, cols_a, vals = feature_matrix(docs, MIN_DOCS)
    n, d, k = len(docs), len(vocab), len(classes)
    batches = [_batch(rows_a, cols_a, vals, labels, lo, min(lo + BATCH, n), k) for lo in range(0, n, BATCH)]
    w, b = np.zeros((d, k), dtype=np.float32), np.zeros(k, dtype=np.float32)
    adam = Adam(RATE)
    for _epoch in range(epochs):
        for lo, hi, rows_u, row_starts, cols, v, col_rows, col_v, col_starts, col_ids, y in batches:
            z = np.zeros((hi - lo, k), dtype=np.float32)
            z[rows_u] = np.add.reduceat(v[:, None] * w[cols], row_starts, axis=0)
            z += b
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            g = (p - y) / (hi - lo)
            grad_w = L2 * w
            grad_w[col_ids] += np.add.reduceat(col_v[:, None] * g[col_rows], col_starts, axis=0)
            b = adam.step(w, b, grad_w, g.sum(axis=0))
    return classes, [round(float(x), 3) for x in b], prune(vocab, w, prune_at)


def _batch(
    rows_a: np.ndarray, cols_a: np.ndarray, vals: np.ndarray, labels: np.ndarray, lo: int, hi: int, k: int
) -> tuple[Any, ...]:
    """The rows lo..hi of the matrix as one step's arrays: by row for the scores, by column for the gradient."""
    first, last = np.searchsorted(rows_a, [lo, hi])
    rows, cols, v = rows_a[first:last] - lo, cols_a[first:last], vals[first:last].astype(np.float32)
    row_starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    by_col = np.argsort(cols, kind="stable")
    sorted_cols = cols[by_col]
    col_starts = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
    y = np.zeros((hi - lo, k), dtype=np.float32)
    y[np.arange(hi - lo), labels[lo:hi]] = 1.0
    return (
        lo,
        hi,
        rows[row_starts],
        row_starts,
        cols,
        v,
        rows[by_col],
        v[by_col],
        col_starts,
        sorted_cols[col_starts],
        y,
    )


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
    epochs: int = EPOCHS,
    at: float = PRUNE,
) -> None:
    made_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# GENERATED by tools/train_topic_net.py: do not edit by hand (staff edit the FAQ questions and phrasings.yaml).",
        "# The learned second opinion on which entry a message asks (bot/engine/topic_net.py): a multinomial logistic",
        f"# regression, {rows} examples (the entries' questions, English questions, keywords and residents' phrasings",
        f"# of {named}; the blind tuning sets' turns), L2 {L2}, {epochs} passes of Adam steps on batches of {BATCH}; features in >= {MIN_DOCS}",
        f"# examples, |weight| >= {at}",
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
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--prune", type=float, default=PRUNE)
    parser.add_argument("--without", default="", help="tuning sets left out, comma-separated (a set measured)")
    args = parser.parse_args()
    left_out = {s.strip() for s in args.without.split(",") if s.strip()}
    if unknown := left_out - set(TUNING):
        parser.error(f"not a tuning set: {', '.join(sorted(unknown))}")
    content, problems = load_content(args.content)
    if content is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    rows = examples(content) + resident_turns(content, [s for s in TUNING if s not in left_out])
    classes, bias, weights = train(rows, args.epochs, args.prune)
    out = args.out or args.content / "topic_model.yaml"
    write(classes, bias, weights, args.content.name, len(rows), out, args.epochs, args.prune)
    print(f"{out}: {len(weights)} features x {len(classes)} entries from {len(rows)} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
