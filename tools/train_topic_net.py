"""Train the learned second opinion on topics and write content/topic_model.json (bot/engine/topic_net.py).

    .venv/bin/python tools/train_topic_net.py [--content content] [--out FILE] [--without i,j]

A multinomial logistic regression over the same features as the danger signs' safety net (words, word pairs,
letter 3-5-grams of each word: bot/engine/danger_net.features, imported, not copied; each message's features
weigh 1/sqrt(how many)), fitted by Adam on shuffled batches from zero (deterministic: the same content and sets
give the same file). Its classes are the topics residents ask about, as the blind sets are scored
(bench/blind/topics.py: each topic with the entries that answer it; an entry no topic names is a class of its
own). Its examples are the content's own (every entry's questions, English questions and keywords, and residents'
phrasings, content/phrasings.yaml), each shared evenly among the topics its entry answers, and every resident
turn of the blind tuning sets with its topic, read with the answer of the turn before (topic_net.AFTER: the entry
of that turn's topic the matcher ranks highest, resident_phrasings.answering): a follow-up is learned with what it
follows. For an honest estimate of a set, leave it out here (--without) and out of the phrasings
(tools/resident_phrasings.py --sets).
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

from bench.blind.score import HERE, load_conversations
from bench.blind.topics import TOPIC_INTENTS
from bot.engine.topic_net import FEATURES, reading_features
from bot.engine.understanding import Understanding
from bot.knowledge import phrasings
from bot.knowledge.content import Content, load_content
from bot.knowledge.topic_model import ANSWERED_ELSEWHERE, SPECIAL
from tools.feature_matrix import Adam, feature_matrix
from tools.resident_phrasings import TUNING, answering

ROOT = Path(__file__).resolve().parent.parent
L2 = 1e-5  # per example
EPOCHS, BATCH, RATE = 12, 512, 0.02  # Adam's steps on batches: a full pass per step took minutes at 10,000 turns
MIN_DOCS = 2  # a feature of one example only is left out
PRUNE = 0.05  # smaller weights are not written
ABOUT = 118  # characters of a line of the file's `about` and of its arrays


Example = tuple[str, tuple[str, ...], str | None]  # the text, its topics (shared evenly), the answer before it


def classes_of(content: Content) -> dict[str, list[str]]:
    """Each topic with the intents of the content (or the dialogue's own) that answer it, then each entry no
    topic names as a class of its own."""
    known = {i.id for i in content.intents.intents} | ANSWERED_ELSEWHERE
    classes = {t: sorted(i for i in intents if i in known) for t, intents in TOPIC_INTENTS.items()}
    classes = {t: answers for t, answers in classes.items() if answers}
    named = {i for answers in classes.values() for i in answers}
    classes |= {i.id: [i.id] for i in content.intents.intents if i.id not in named}
    return classes


def topics_of(classes: dict[str, list[str]], intent_id: str) -> tuple[str, ...]:
    return tuple(t for t, answers in classes.items() if intent_id in answers)


def examples(content: Content) -> list[Example]:
    """Every authored question variant and resident phrasing with the topics its entry answers, as a first turn."""
    classes = classes_of(content)
    rows: list[Example] = [
        (text, topics_of(classes, intent.id), None)
        for intent in content.intents.intents
        for text in (*intent.questions, *intent.questions_en, *intent.keywords)
    ]
    rows += [(p.say, topics_of(classes, p.intent), None) for p in content.phrasings.phrasings]
    return rows


def resident_turns(content: Content, sets: list[str]) -> list[Example]:
    """Every written turn of the tuning sets (shared locations aside) with its topic and the answer before it."""
    understanding = Understanding(dataclasses.replace(content, phrasings=phrasings.EMPTY))  # as the phrasings' tool
    rows: list[Example] = []
    for name in sets:
        for conv in load_conversations(HERE / f"understanding_{name}.yaml"):
            before: str | None = None
            for turn in conv.turns:
                label = turn.topic  # a known topic: load_conversations refuses any other
                if not turn.say.startswith("@"):
                    rows.append((turn.say.strip(), (label,), before))
                before = label if label in SPECIAL else answering(understanding, content, turn.say, label)
    return rows


def train(
    rows: list[Example], classes: list[str], epochs: int = EPOCHS, prune_at: float = PRUNE
) -> tuple[list[float], dict[str, dict[int, float]]]:
    """The bias of each class and each feature's weights by class index (|w| >= prune_at, 2 decimals)."""
    of_class = {c: i for i, c in enumerate(classes)}
    read = [(reading_features(text, after), topics) for text, topics, after in rows]
    kept = [(found, topics) for found, topics in read if found is not None and topics]
    # Shuffled once, by a fixed seed, into batches: each Adam step sees every set and entry (deterministic).
    order = np.random.default_rng(0).permutation(len(kept))
    docs = [kept[i][0] for i in order]
    targets = np.zeros((len(docs), len(classes)), dtype=np.float32)  # an example's topics share it evenly
    for r, i in enumerate(order):
        topics = kept[i][1]
        for t in topics:
            targets[r, of_class[t]] += 1.0 / len(topics)
    vocab, rows_a, cols_a, vals = feature_matrix(docs, MIN_DOCS)
    n, d, k = len(docs), len(vocab), len(classes)
    batches = [_batch(rows_a, cols_a, vals, targets, lo, min(lo + BATCH, n)) for lo in range(0, n, BATCH)]
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
    return [round(float(x), 3) for x in b], prune(vocab, w, prune_at)


def _batch(
    rows_a: np.ndarray, cols_a: np.ndarray, vals: np.ndarray, targets: np.ndarray, lo: int, hi: int
) -> tuple[Any, ...]:
    """The rows lo..hi of the matrix as one step's arrays: by row for the scores, by column for the gradient."""
    first, last = np.searchsorted(rows_a, [lo, hi])
    rows, cols, v = rows_a[first:last] - lo, cols_a[first:last], vals[first:last].astype(np.float32)
    row_starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    by_col = np.argsort(cols, kind="stable")
    sorted_cols = cols[by_col]
    col_starts = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
    y = targets[lo:hi]
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
    classes: dict[str, list[str]],
    bias: list[float],
    weights: dict[str, dict[int, float]],
    trained_on: list[str],
    rows: int,
    path: Path,
    epochs: int = EPOCHS,
    at: float = PRUNE,
) -> None:
    """The model as JSON (bot/knowledge/topic_model.py): the weights as flat arrays, a few per line."""
    made_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    about = [
        "GENERATED by tools/train_topic_net.py: do not edit by hand (staff edit the FAQ questions and phrasings.yaml).",
        "The learned second opinion on what a message asks (bot/engine/topic_net.py): a multinomial logistic",
        f"regression over the topics residents ask about (classes, each with the intents that answer it), made {made_at}",
        f"from {rows} examples (the entries' questions, English questions, keywords and residents' phrasings; the",
        f"blind tuning sets' turns listed under trained_on), L2 {L2}, {epochs} passes of Adam steps on batches of",
        f"{BATCH}; features in >= {MIN_DOCS} examples, |weight| >= {at} written: feature n of `vocab` has counts[n]",
        "weights, their classes and values (hundredths) the next ones of `columns` and `values`, each array base64",
        "of little-endian integers (counts, columns: 8 bits unsigned; values: 16 bits signed).",
        "Regenerate: .venv/bin/python tools/train_topic_net.py",
    ]
    vocab = sorted(weights)
    pairs = [sorted(weights[f].items()) for f in vocab]
    head = {
        "about": about,
        "model": "multinomial logistic regression",
        "features": FEATURES,
        "made_by": "tools/train_topic_net.py",
        "made_at": made_at,
        "trained_on": trained_on,
        "classes": classes,
        "bias": bias,
    }
    columns = np.array([i for p in pairs for i, _ in p])
    values = np.array([round(x * 100) for p in pairs for _, x in p])
    if len(classes) > 255 or np.abs(values).max(initial=0) >= 2**15:
        raise SystemExit("too many classes or a weight too large for the file's arrays (bot/knowledge/topic_model.py)")
    arrays = {
        "counts": np.array([len(p) for p in pairs], dtype="<u1"),
        "columns": columns.astype("<u1"),
        "values": values.astype("<i2"),
    }
    lines = ["{"]
    for key, value in head.items():  # `about` and `classes` an item a line, to be read
        if isinstance(value, list | dict) and key in ("about", "classes"):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            shown = [
                json.dumps(v) if isinstance(value, list) else f"{json.dumps(k)}: {json.dumps(v)}" for k, v in items
            ]
            opens, closes = ("[", "]") if isinstance(value, list) else ("{", "}")
            lines += [f"{json.dumps(key)}: {opens}", *(f"  {v}," for v in shown[:-1]), f"  {shown[-1]}", f"{closes},"]
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('"vocab": [')
    lines += _wrapped([json.dumps(f, ensure_ascii=False) for f in vocab])
    lines.append("],")
    lines += [f'"{key}": "{base64.b64encode(a.tobytes()).decode()}",' for key, a in arrays.items()]
    lines[-1] = lines[-1].removesuffix(",")
    path.write_text("\n".join(lines) + "\n}\n", encoding="utf-8")


def _wrapped(items: list[str]) -> list[str]:
    """JSON items joined by commas into lines of about ABOUT characters."""
    lines, line = [], ""
    for item in items:
        if line and len(line) + len(item) > ABOUT:
            lines.append(line)
            line = ""
        line += item + ","
    if line:
        lines.append(line)
    if lines:
        lines[-1] = lines[-1].removesuffix(",")
    return lines


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
    sets = [s for s in TUNING if s not in left_out]
    rows = examples(content) + resident_turns(content, sets)
    classes = classes_of(content)
    bias, weights = train(rows, list(classes), args.epochs, args.prune)
    out = args.out or args.content / "topic_model.json"
    write(classes, bias, weights, sets, len(rows), out, args.epochs, args.prune)
    print(f"{out}: {len(weights)} features x {len(classes)} topics from {len(rows)} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
