"""Dump a rule detector's decisions on held-out sets, for `tools/train_danger_net.py --rules`.

    git -C /work/main worktree add --detach /tmp/old 0f51a6e   # rules tuned on B..H, not on I or J
    cd /tmp/old && PYTHONPATH=/tmp/old /work/wt/X/.venv/bin/python /work/wt/X/tools/dump_danger_rules.py i j > OUT.json

Whatever checkout PYTHONPATH names is imported (its bot/ and bench/), reading its own content/ and its copy of the
sets. For each letter: `danger_<x>` (every line of bench/blind/danger_eval_<x>.jsonl) and `ordinary_<x>` (the
turns of bench/blind/understanding_<x>.yaml not labelled an emergency), each row [text, danger, a sign fired, the
safety net fired]. Only tuning letters: the frozen set is refused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.blind.score import load_conversations
from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content

FROZEN = frozenset("p")


def main(letters: list[str]) -> int:
    if not letters or FROZEN & set(letters):
        raise SystemExit("name tuning letters only (the frozen set is never read)")
    root = Path.cwd()
    content = load_content(root / "content")[0]
    assert content is not None
    rules = Understanding(content)
    out: dict[str, list[list[object]]] = {}
    for x in letters:
        lines = (root / f"bench/blind/danger_eval_{x}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        out[f"danger_{x}"] = [
            [
                r["text"],
                bool(r["danger"]),
                rules.danger_rules(r["text"]) is not None,
                rules.trouble(r["text"]) is not None,
            ]
            for r in rows
        ]
        turns = load_conversations(root / f"bench/blind/understanding_{x}.yaml")
        said = [t.say for c in turns for t in c.turns if t.topic != "emergency" and t.say.strip()]
        out[f"ordinary_{x}"] = [
            [s, False, rules.danger_rules(s) is not None, rules.trouble(s) is not None] for s in said
        ]
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
