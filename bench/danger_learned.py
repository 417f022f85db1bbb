"""A learned danger detector, held out: naive Bayes over words, word pairs and letter 3-5-grams of the tuning sets.

    .venv/bin/python -m bench.danger_learned --hold i [--hold h ...] [--ordinary] [--understanding i]

Trains on every danger tuning set but the held-out ones (bench/blind/danger_eval_<x>.jsonl, danger_tune*.jsonl,
bench/danger_own.jsonl), then scores each held-out set: the classifier alone at several thresholds, the rule
detector (bot/engine/danger.py, this checkout's content) alone, and both together (either says danger). With
`--ordinary` the understanding tuning sets' non-emergency turns (held-out letters left out) train as calm too. With
`--understanding x` it also counts the non-emergency turns of bench/blind/understanding_<x>.yaml the classifier
would call emergencies (ordinary questions, not the look-alikes a danger writer was asked for).
A prototype for round 11 (bench/RESULTS.md, "Round 10 lead: a learned danger detector, held out"): not in the bot.
The frozen evaluation pair (FROZEN below) is never read.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import math
import re
from pathlib import Path

from bench.blind.score import load_conversations
from bench.danger import ROOT
from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content

BLIND = ROOT / "bench" / "blind"
FROZEN = frozenset(["danger_eval_p.jsonl", "understanding_p.yaml"])
SETS = {
    p.stem.removeprefix("danger_eval_"): p for p in sorted(BLIND.glob("danger_eval_?.jsonl")) if p.name not in FROZEN
} | {p.stem: p for p in (*sorted(BLIND.glob("danger_tune*.jsonl")), ROOT / "bench" / "danger_own.jsonl")}
UNDERSTANDING = [p.stem.removeprefix("understanding_") for p in sorted(BLIND.glob("understanding_*.yaml"))]
UNDERSTANDING = [n for n in UNDERSTANDING if f"understanding_{n}.yaml" not in FROZEN]
THRESHOLDS = (0.3, 0.5, 0.7)
_PRIOR = 0.5  # additive smoothing of a feature's count in each class
_SCALE = 10.0  # log-odds are summed over hundreds of overlapping features: scaled before the logistic


def features(text: str) -> set[str]:
    text = re.sub(r"(.)\1{2,}", r"\1\1", re.sub(r"[^a-z0-9 ]+", " ", text.lower()))
    words = text.split()
    found = set(words) | {f"{a}_{b}" for a, b in itertools.pairwise(words)}
    for word in words:
        marked = f"<{word}>"
        found.update(marked[i : i + n] for n in (3, 4, 5) for i in range(len(marked) - n + 1))
    return found


class NaiveBayes:
    def __init__(self, rows: list[dict]) -> None:
        self.counts: dict[bool, collections.Counter[str]] = {True: collections.Counter(), False: collections.Counter()}
        self.docs: collections.Counter[bool] = collections.Counter()
        for row in rows:
            self.docs[bool(row["danger"])] += 1
            self.counts[bool(row["danger"])].update(features(row["text"]))

    def probability(self, text: str) -> float:
        odds = math.log(self.docs[True] / self.docs[False])
        yes, no = self.counts[True], self.counts[False]
        for f in sorted(features(text)):
            a, b = yes[f], no[f]
            if a + b:
                odds += math.log((a + _PRIOR) / (self.docs[True] + 1)) - math.log((b + _PRIOR) / (self.docs[False] + 1))
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, odds / _SCALE))))


def load(path: Path) -> list[dict]:
    if path.name in FROZEN:
        raise SystemExit(f"{path.name} is a frozen evaluation set: never read")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def calm_turns(names: set[str]) -> list[str]:
    """The turns of these understanding sets not labelled an emergency."""
    found = []
    for name in sorted(names):
        path = BLIND / f"understanding_{name}.yaml"
        if path.name in FROZEN:
            raise SystemExit(f"{path.name} is a frozen evaluation set: never read")
        found += [t.say for c in load_conversations(path) for t in c.turns if t.topic != "emergency"]
    return found


def rate(hits: list[bool], want: list[bool]) -> str:
    caught = sum(h for h, w in zip(hits, want, strict=True) if w)
    false = sum(h for h, w in zip(hits, want, strict=True) if not w)
    danger = sum(want)
    return f"recall {caught / danger:.1%} ({caught}/{danger}), false {false / (len(want) - danger):.1%} ({false})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", action="append", required=True, help="a set left out of training and scored")
    parser.add_argument("--ordinary", action="store_true", help="train on the understanding sets' turns as calm too")
    parser.add_argument("--understanding", action="append", default=[], help="count false alarms on these turns")
    args = parser.parse_args()
    rows = [row for name, path in SETS.items() if name not in args.hold for row in load(path)]
    # Ordinary questions are no emergencies either: the understanding tuning sets' other turns, held-out ones left out.
    if args.ordinary:
        rows += [{"text": say, "danger": False} for say in calm_turns(set(UNDERSTANDING) - set(args.hold))]
    model = NaiveBayes(rows)
    content = load_content(ROOT / "content")[0]
    assert content is not None
    rules = Understanding(content)
    for name in args.hold:
        rows = load(SETS[name])
        want = [bool(r["danger"]) for r in rows]
        scores = [model.probability(r["text"]) for r in rows]
        detector = [rules.danger_rules(r["text"]) is not None for r in rows]
        print(f"held out {name} ({len(rows)} lines); rule detector: {rate(detector, want)}")
        for threshold in THRESHOLDS:
            learned = [s >= threshold for s in scores]
            both = [a or b for a, b in zip(learned, detector, strict=True)]
            print(f"  learned >= {threshold}: {rate(learned, want)}; either: {rate(both, want)}")
    for name in args.understanding:
        calm = calm_turns({name})
        for threshold in THRESHOLDS:
            fired = sum(model.probability(say) >= threshold for say in calm)
            print(
                f"understanding_{name}: {fired} of {len(calm)} non-emergency turns called emergencies (>= {threshold})"
            )


if __name__ == "__main__":
    main()
