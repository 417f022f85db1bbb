"""Danger detector: recall, false emergencies, and the time it adds per message.

    python -m bench.danger                      # the tuning sets (blind writers, tuned on), train and dev
    python -m bench.danger --part dev --misses  # only the held-out part; list what it got wrong
    python -m bench.danger --set PATH --misses  # any set in the same format

The tuning lines are split once, by a hash of their text, into train (about 80%) and dev
(about 20%): tune on train, watch dev. The split is fixed (`part_of`), so dev stays held out
for as long as nobody reads its misses to tune on.

A set is JSON lines: {"text": ..., "danger": true|false, "sign": ..., "lang": ...}. Danger
messages must be caught (recall); look-alikes must not be (false-emergency rate).

Cost: the detector's time per message, p50/p99 over the set (best of `--repeats` runs per
message, after a warm-up run), next to the old phrase matcher (all words of one phrase close
together, fuzzy typos) on the same phrase lists, measured in the same run. Both read the
message through the same normaliser, so the difference is what the new detector adds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "bench" / "blind"
TUNE_SETS = (BLIND / "danger_tune.jsonl", BLIND / "danger_tune_eval1.jsonl")
DEV_SHARE = 5  # one line in five (by hash) is dev
CONTENT = ROOT / "content"
MAX_FALSE_RATE = 0.03
_SLACK, _FUZZ, _SUFFIXES = 5, 88.0, ("nya", "ku", "mu", "lah", "kah", "an", "kan", "i")


def load_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def part_of(text: str) -> str:
    """'dev' or 'train', fixed by the text alone: the same line is always in the same part."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).digest()
    return "dev" if int.from_bytes(digest[:4], "big") % DEV_SHARE == 0 else "train"


def score(rows: list[dict], find: Callable[[str], object]) -> tuple[list[dict], list[tuple[dict, object]], int, int]:
    """Missed emergencies, false emergencies (with what fired), and how many of each kind."""
    danger = [r for r in rows if r["danger"]]
    calm = [r for r in rows if not r["danger"]]
    missed = [r for r in danger if find(r["text"]) is None]
    false = [(r, s) for r in calm if (s := find(r["text"])) is not None]
    return missed, false, len(danger), len(calm)


class OldPhraseMatcher:
    """The matcher this detector replaced: one phrase's words close together, any order, fuzzy typos."""

    def __init__(self, u: Understanding) -> None:
        self.words = u._normalizer.words  # the same normaliser as the new detector
        signs = u.content.danger.signs
        self.phrases = [(s.id, tuple(self.words(p))) for s in signs for p in s.phrases]
        self.vocab = sorted({w for _, p in self.phrases for w in p})
        self.cache: dict[str, frozenset[str]] = {}

    def find(self, text: str) -> str | None:
        words = self.words(text)
        spots: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(words):
            for target in self._matches(w):
                spots[target].append(i)
        for sign_id, phrase in self.phrases:
            if phrase and all(w in spots for w in phrase):
                span = len(phrase) + _SLACK
                first = spots[phrase[0]]
                if any(all(any(abs(q - p) < span for q in spots[w]) for w in phrase) for p in first):
                    return sign_id
        return None

    def _matches(self, word: str) -> frozenset[str]:
        found = self.cache.get(word)
        if found is None:
            hits = {w for w in self.vocab if word == w or (word.startswith(w) and word[len(w) :] in _SUFFIXES)}
            if not hits and len(word) >= 5 and word.isalpha():
                near = process.extract(word, self.vocab, scorer=fuzz.ratio, score_cutoff=_FUZZ, limit=3)
                hits = {w for w, _s, _i in near if len(w) >= 5}
            found = self.cache[word] = frozenset(hits)
        return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def best_times(texts: list[str], find: Callable[[str], object], repeats: int) -> list[float]:
    """Milliseconds per message: the best of `repeats` runs of each, after one warm-up run of all."""
    for text in texts:
        find(text)
    out = []
    for text in texts:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            find(text)
            best = min(best, time.perf_counter() - start)
        out.append(best * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", help="JSON lines set (default: the tuning sets)")
    parser.add_argument("--part", choices=("both", "train", "dev", "all"), default="both",
                        help="both: train and dev reported apart (default); all: every line together")  # fmt: skip
    parser.add_argument("--misses", action="store_true", help="print every message it got wrong")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-timing", action="store_true", help="recall and false emergencies only")
    args = parser.parse_args(argv)
    content, problems = load_content(CONTENT)
    if content is None:
        print("\n".join(str(p) for p in problems))
        return 1
    u = Understanding(content)
    paths = args.set or list(TUNE_SETS)
    rows = [r for path in paths for r in load_set(path)]
    print(f"sets: {', '.join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in paths)}")
    parts = {"all": rows} if args.part == "all" else {}
    for name in ("train", "dev"):
        if args.part in (name, "both"):
            parts[name] = [r for r in rows if part_of(r["text"]) == name]
    for name, part in parts.items():
        missed, false, danger, calm = score(part, u.danger)
        recall = 1 - len(missed) / max(danger, 1)
        print(
            f"{name:5}: recall {recall:.1%} ({danger - len(missed)}/{danger}), "
            f"false emergencies {len(false) / max(calm, 1):.1%} ({len(false)}/{calm}; at most {MAX_FALSE_RATE:.0%})"
        )
        if args.misses:
            for r in missed:
                print(f"  MISSED {r.get('sign', '')}: {r['text']}")
            for r, s in false:
                print(f"  FALSE  {getattr(s, 'id', s)} (near {r.get('near', '')}): {r['text']}")
    if args.no_timing:
        return 0
    texts = [r["text"] for r in rows]
    old = OldPhraseMatcher(u)
    normalise = u._normalizer.words
    timing = {
        "normaliser alone": best_times(texts, normalise, args.repeats),
        "old phrase matcher": best_times(texts, old.find, args.repeats),
        "new detector": best_times(texts, u.danger, args.repeats),
    }
    load1, load5, _ = os.getloadavg()
    print(
        f"time per message, ms (best of {args.repeats}, {len(texts)} messages; load average {load1:.2f} {load5:.2f}):"
    )
    for name, times in timing.items():
        print(f"  {name:20} p50 {percentile(times, 0.5):.3f}  p99 {percentile(times, 0.99):.3f}")
    added = [n - o for n, o in zip(timing["new detector"], timing["old phrase matcher"], strict=True)]
    print(
        f"  added by the new detector over the old: p50 {percentile(added, 0.5):.3f}  p99 {percentile(added, 0.99):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
