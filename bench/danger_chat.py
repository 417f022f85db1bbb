"""Danger sets through the real command line: every line into ONE `python -m bot chat --jsonl` process.

    python -m bench.danger_chat                       # the tuning sets, tune and held reported apart
    python -m bench.danger_chat --set PATH --misses   # any set in the same format
    python -m bench.danger_chat --set PATH --part all --understanding i --content DIR   # + ordinary questions

An emergency counts when the answer's intent is `emergency` and its text has "119" (what
tests/test_danger_blind.py checks on the frozen set). The same split as bench/danger.py. Beside it, the safety
line: a normal answer led by the safety net's line (jaring_pengaman's advice: "Bila ini keadaan darurat, segera
telepon 119 ..."), which the net's rules or its learned model (bot/engine/danger_net.py) add; "caught" counts an
emergency answered either way, "soft" the look-alikes (and with `--understanding x` the ordinary turns of
bench/blind/understanding_x.yaml, each sent as one line) answered with the line.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.blind.score import load_conversations
from bench.danger import BLIND, HELD_SETS, MAX_FALSE_RATE, ROOT, TUNE_SETS, by_lang, by_sign, load_set
from tests.support.cli import run_bot

FROZEN = frozenset(["understanding_p.yaml"])
SAFETY_LINES = ("⚠️ Bila ini keadaan darurat, segera telepon", "⚠️ If this is an emergency, call")  # jaring_pengaman


def through_chat(texts: list[str], content: Path = ROOT / "content") -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/danger.db",
            "CONTENT_DIR": str(content),
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


def has_safety_line(answer: dict) -> bool:
    """A normal answer led by the safety net's line (not an emergency answer)."""
    first = answer["replies"][0]["text"] if answer["replies"] else ""
    return answer["intent"] != "emergency" and first.startswith(SAFETY_LINES) and "119" in first


def ordinary_turns(name: str) -> list[str]:
    """The turns of an understanding tuning set not labelled an emergency."""
    path = BLIND / f"understanding_{name}.yaml"
    if path.name in FROZEN:
        raise SystemExit(f"{path.name} is a frozen evaluation set: never read")
    return [t.say for c in load_conversations(path) for t in c.turns if t.topic != "emergency" and t.say.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, action="append", help="JSON lines set (default: the tuning sets)")
    parser.add_argument("--misses", action="store_true", help="print every message it got wrong")
    parser.add_argument("--part", choices=("both", "tune", "held", "all"), default="both")
    parser.add_argument("--held", choices=sorted(HELD_SETS), default="c", help="whose odd lines are held out")
    parser.add_argument("--by-sign", action="store_true", help="recall and false alarms per sign label")
    parser.add_argument("--by-lang", action="store_true", help="recall and false alarms per language")
    parser.add_argument("--understanding", action="append", default=[], help="also these sets' ordinary turns")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the content directory")
    args = parser.parse_args(argv)
    paths = args.set or list(TUNE_SETS)
    rows = [r for path in paths for r in load_set(path, args.held)]
    ordinary = {name: ordinary_turns(name) for name in args.understanding}
    start = time.perf_counter()
    answers = through_chat([r["text"] for r in rows], args.content)
    seconds = time.perf_counter() - start
    print(f"sets: {', '.join(p.name for p in paths)}; {len(rows)} lines through one chat process in {seconds:.0f} s")
    for name, turns in ordinary.items():
        said = through_chat(turns, args.content)
        hard, soft = sum(a["intent"] == "emergency" for a in said), sum(has_safety_line(a) for a in said)
        print(
            f"understanding_{name}: {len(turns)} ordinary turns: {hard} emergencies ({hard / len(turns):.1%}), "
            f"{soft} with the safety line ({soft / len(turns):.1%})"
        )
    names = ("all",) if args.part == "all" else tuple(n for n in ("tune", "held") if args.part in (n, "both"))
    for name in names:
        pairs = [(r, a) for r, a in zip(rows, answers, strict=True) if name == "all" or r["part"] == name]
        danger = [(r, a) for r, a in pairs if r["danger"]]
        calm = [(r, a) for r, a in pairs if not r["danger"]]
        missed = [r for r, a in danger if not is_emergency(a)]
        false = [(r, a) for r, a in calm if a["intent"] == "emergency"]
        lined = sum(has_safety_line(a) for _r, a in danger if not is_emergency(a))
        soft = sum(has_safety_line(a) for _r, a in calm)
        print(
            f"{name:5}: recall {1 - len(missed) / max(len(danger), 1):.1%} ({len(danger) - len(missed)}/{len(danger)}), "
            f"false emergencies {len(false) / max(len(calm), 1):.1%} ({len(false)}/{len(calm)}; "
            f"at most {MAX_FALSE_RATE:.0%}); with the safety line: caught "
            f"{(len(danger) - len(missed) + lined) / max(len(danger), 1):.1%} ({len(danger) - len(missed) + lined}), "
            f"soft on look-alikes {soft / max(len(calm), 1):.1%} ({soft}/{len(calm)})"
        )
        if args.by_sign:
            print("\n".join(by_sign([r for r, _a in pairs], missed, [r for r, _a in false])))
        if args.by_lang:
            print("\n".join(by_lang([r for r, _a in pairs], missed, [r for r, _a in false])))
        if args.misses:
            for r in missed:
                line = " (safety line)" if has_safety_line(answers[rows.index(r)]) else ""
                print(f"  MISSED{line} {r.get('sign', '')}: {r['text']}")
            for r, _answer in false:
                print(f"  FALSE  (near {r.get('near', '')}): {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
