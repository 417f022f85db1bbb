"""Danger detector: recall, false emergencies, and the time it adds per message.

    python -m bench.danger                       # the tuning sets (blind writers, tuned on): tune and held
    python -m bench.danger --part tune --misses  # only the part tuned on; list what it got wrong
    python -m bench.danger --set PATH --misses   # any set in the same format
    python -m bench.danger --by-sign             # recall and false alarms per sign as well
    python -m bench.danger --by-lang             # and per language (id, ms, en)

Held out: the odd lines (1st, 3rd, ...) of one blind set, C (`danger_eval_c.jsonl`, the newest
writer) unless `--held b` names set B. Tune on the rest (`tune`: that set's even lines and every
other set), read only the totals of `held`: they estimate how the detector does on a writer it
never saw. Holding out C and then B checks a change both ways (`part_of`).

A set is JSON lines: {"text": ..., "danger": true|false, "sign": ..., "lang": ...}. Danger
messages must be caught (recall); look-alikes must not be (false-emergency rate).

Cost: the detector's time per new message, p50/p99 over the set (best of `--repeats` runs per
message, after a warm-up run; before each run the text is made new, `forget_text`: the detector keeps
the last text's reading and signs, the normaliser its texts), next to the old phrase matcher (all words of one phrase close
together, fuzzy typos) on the same phrase lists, measured in the same run. Both read the
message through the same normaliser, so the difference is what the new detector adds.
"""

from __future__ import annotations

import argparse
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
HELD_SETS = {"c": BLIND / "danger_eval_c.jsonl", "b": BLIND / "danger_eval_b.jsonl"}
TUNE_SETS = (
    BLIND / "danger_tune.jsonl",
    BLIND / "danger_tune_eval1.jsonl",
    HELD_SETS["b"],
    HELD_SETS["c"],
    ROOT / "bench" / "danger_own.jsonl",
)
CONTENT = ROOT / "content"
MAX_FALSE_RATE = 0.03
_SLACK, _FUZZ, _SUFFIXES = 5, 88.0, ("nya", "ku", "mu", "lah", "kah", "an", "kan", "i")


def load_set(path: Path, held: str = "c") -> list[dict]:
    """The set's lines, each with its part ("held" or "tune", see `part_of`)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**json.loads(line), "part": part_of(path, i, held)} for i, line in enumerate(lines)]


def part_of(path: Path, index: int, held: str = "c") -> str:
    """'held' for the odd lines (index 0, 2, ...: lines 1, 3, ...) of the held set, 'tune' for every other line."""
    return "held" if path.resolve() == HELD_SETS[held].resolve() and index % 2 == 0 else "tune"


def by_sign(part: list[dict], missed: list[dict], false: list[dict]) -> list[str]:
    """One line per sign label: emergencies caught, look-alikes that fired."""
    miss_ids, false_ids = {id(r) for r in missed}, {id(r) for r in false}
    out = []
    for name in sorted({_label(r) for r in part}):
        danger = [r for r in part if r["danger"] and _label(r) == name]
        calm = [r for r in part if not r["danger"] and _label(r) == name]
        caught = sum(id(r) not in miss_ids for r in danger)
        alarms = sum(id(r) in false_ids for r in calm)
        out.append(f"    {name:22} caught {caught:3}/{len(danger):<3}  false {alarms:2}/{len(calm)}")
    return out


def by_lang(part: list[dict], missed: list[dict], false: list[dict]) -> list[str]:
    """One line per language ("id", "ms", "en"): recall and false-emergency rate."""
    miss_ids, false_ids = {id(r) for r in missed}, {id(r) for r in false}
    out = []
    for lang in sorted({str(r.get("lang") or "?") for r in part}):
        danger = [r for r in part if r["danger"] and str(r.get("lang") or "?") == lang]
        calm = [r for r in part if not r["danger"] and str(r.get("lang") or "?") == lang]
        caught = sum(id(r) not in miss_ids for r in danger)
        alarms = sum(id(r) in false_ids for r in calm)
        out.append(
            f"    {lang:4} recall {caught / max(len(danger), 1):6.1%} ({caught}/{len(danger)})  "
            f"false {alarms / max(len(calm), 1):5.1%} ({alarms}/{len(calm)})"
        )
    return out


def _label(row: dict) -> str:
    return str(row.get("sign") or row.get("near") or "?")


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


def forget_text(u: Understanding) -> None:
    """Make the next message new: another text read by the detector in between (it keeps the last text's
    reading and signs), the normaliser's remembered texts cleared, and Understanding's remembered danger readings
    (round 13; a commit before them has none); the word caches stay warm."""
    if hasattr(u, "forget"):  # a commit before round 13 remembers no reading
        u.forget()
    u.danger("ok")
    u.trouble("ok")
    u._normalizer._seen.clear()


def best_times(
    texts: list[str], find: Callable[[str], object], repeats: int, forget: Callable[[], None] = lambda: None
) -> list[float]:
    """Milliseconds per message: the best of `repeats` runs of each, after one warm-up run of all; `forget`
    before each run makes the message new again (untimed)."""
    for text in texts:
        find(text)
    out = []
    for text in texts:
        best = float("inf")
        for _ in range(repeats):
            forget()
            start = time.perf_counter()
            find(text)
            best = min(best, time.perf_counter() - start)
        out.append(best * 1000)
    return out


def understanding() -> Understanding | None:
    """The bot's understanding (with its danger detector) over content/, or None after printing its problems."""
    content, problems = load_content(CONTENT)
    if content is None:
        print("\n".join(str(p) for p in problems))
        return None
    return Understanding(content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", help="JSON lines set (default: the tuning sets)")
    parser.add_argument("--part", choices=("both", "tune", "held", "all"), default="both",
                        help="both: tune and held reported apart (default); all: every line together")  # fmt: skip
    parser.add_argument("--held", choices=sorted(HELD_SETS), default="c", help="whose odd lines are held out")
    parser.add_argument("--misses", action="store_true", help="print every message it got wrong")
    parser.add_argument("--by-sign", action="store_true", help="recall and false alarms per sign label")
    parser.add_argument("--by-lang", action="store_true", help="recall and false alarms per language")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-timing", action="store_true", help="recall and false emergencies only")
    args = parser.parse_args(argv)
    u = understanding()
    if u is None:
        return 1
    paths = args.set or list(TUNE_SETS)
    rows = [r for path in paths for r in load_set(path, args.held)]
    print(f"sets: {', '.join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in paths)}")
    parts = {"all": rows} if args.part == "all" else {}
    for name in ("tune", "held"):
        if args.part in (name, "both"):
            parts[name] = [r for r in rows if r["part"] == name]
    for name, part in parts.items():
        missed, false, danger, calm = score(part, u.danger)
        recall = 1 - len(missed) / max(danger, 1)
        print(
            f"{name:5}: recall {recall:.1%} ({danger - len(missed)}/{danger}), "
            f"false emergencies {len(false) / max(calm, 1):.1%} ({len(false)}/{calm}; at most {MAX_FALSE_RATE:.0%})"
        )
        if args.by_sign:
            print("\n".join(by_sign(part, missed, [r for r, _s in false])))
        if args.by_lang:
            print("\n".join(by_lang(part, missed, [r for r, _s in false])))
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

    def forget() -> None:
        forget_text(u)

    timing = {
        "normaliser alone": best_times(texts, normalise, args.repeats, forget),
        "old phrase matcher": best_times(texts, old.find, args.repeats, forget),
        "new detector": best_times(texts, u.danger, args.repeats, forget),
        "detector + net": best_times(texts, lambda t: u.danger(t) or u.trouble(t), args.repeats, forget),
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
    # the dialogue asks the safety net after the signs (dialogue.py): the whole danger step of a turn
    added = [n - o for n, o in zip(timing["detector + net"], timing["old phrase matcher"], strict=True)]
    print(
        f"  added by detector + net over the old: p50 {percentile(added, 0.5):.3f}  p99 {percentile(added, 0.99):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
