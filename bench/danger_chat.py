"""Danger sets through the real command line: every line into ONE `python -m bot chat --jsonl` process.

    python -m bench.danger_chat                       # the tuning sets, tune and held reported apart
    python -m bench.danger_chat --set PATH --misses   # any set in the same format

An emergency counts when the answer's intent is `emergency` and its text has "119" (what
tests/test_danger_blind.py checks on the frozen set). The same split as bench/danger.py.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.danger import HELD_SETS, MAX_FALSE_RATE, ROOT, TUNE_SETS, by_lang, by_sign, load_set
from tests.support.cli import run_bot


def through_chat(texts: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/danger.db",
            "CONTENT_DIR": str(ROOT / "content"),
        }
        lines = "".join(" ".join(t.split()) + "\n" for t in texts)  # one line in = one message
        done = run_bot("chat", "--jsonl", "--today", "2026-11-30", input=lines, env=env, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"chat --jsonl failed:\n{done.stderr[-2000:]}")
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(out) != len(texts):
        raise SystemExit(f"{len(texts)} messages in, {len(out)} answers out")
    return out


def is_emergency(answer: dict) -> bool:
    return answer["intent"] == "emergency" and "119" in "\n".join(r["text"] for r in answer["replies"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", help="JSON lines set (default: the tuning sets)")
    parser.add_argument("--misses", action="store_true", help="print every message it got wrong")
    parser.add_argument("--part", choices=("both", "tune", "held", "all"), default="both")
    parser.add_argument("--held", choices=sorted(HELD_SETS), default="c", help="whose odd lines are held out")
    parser.add_argument("--by-sign", action="store_true", help="recall and false alarms per sign label")
    parser.add_argument("--by-lang", action="store_true", help="recall and false alarms per language")
    args = parser.parse_args(argv)
    paths = args.set or list(TUNE_SETS)
    rows = [r for path in paths for r in load_set(path, args.held)]
    start = time.perf_counter()
    answers = through_chat([r["text"] for r in rows])
    seconds = time.perf_counter() - start
    print(f"sets: {', '.join(p.name for p in paths)}; {len(rows)} lines through one chat process in {seconds:.0f} s")
    names = ("all",) if args.part == "all" else tuple(n for n in ("tune", "held") if args.part in (n, "both"))
    for name in names:
        pairs = [(r, a) for r, a in zip(rows, answers, strict=True) if name == "all" or r["part"] == name]
        danger = [(r, a) for r, a in pairs if r["danger"]]
        calm = [(r, a) for r, a in pairs if not r["danger"]]
        missed = [r for r, a in danger if not is_emergency(a)]
        false = [(r, a) for r, a in calm if a["intent"] == "emergency"]
        print(
            f"{name:5}: recall {1 - len(missed) / max(len(danger), 1):.1%} ({len(danger) - len(missed)}/{len(danger)}), "
            f"false emergencies {len(false) / max(len(calm), 1):.1%} ({len(false)}/{len(calm)}; "
            f"at most {MAX_FALSE_RATE:.0%})"
        )
        if args.by_sign:
            print("\n".join(by_sign([r for r, _a in pairs], missed, [r for r, _a in false])))
        if args.by_lang:
            print("\n".join(by_lang([r for r, _a in pairs], missed, [r for r, _a in false])))
        if args.misses:
            for r in missed:
                print(f"  MISSED {r.get('sign', '')}: {r['text']}")
            for r, _answer in false:
                print(f"  FALSE  (near {r.get('near', '')}): {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
