"""The blind danger set, through the real CLI: every described emergency routed to 119, few false alarms.

The set (bench/blind/danger_eval_p.jsonl, round 16) is written by someone who reads neither content/ nor
the tests, frozen before tuning, and never tuned on: this test is the only thing that reads it.
(The first evaluation set, danger_eval.jsonl, became the tuning set danger_tune_eval1.jsonl on
2026-11-30 08:00 UTC; set B, danger_eval_b.jsonl, became a tuning set at 11:16 UTC, and set C,
danger_eval_c.jsonl, at 14:09 UTC; set D, danger_eval_d.jsonl, at 18:19 UTC; set E at 23:45 UTC; set F, danger_eval_f.jsonl,
on 2026-12-01 at 03:58 UTC; set G at 07:10 UTC; set H at 10:43 UTC; set I at 13:49 UTC; set J at 17:04 UTC; set K at 21:15 UTC; set L on 2026-12-02 at 01:08 UTC; set M at 04:31 UTC; set N at 08:02 UTC; set O at 11:58 UTC.)
DANGER_SET points the test at another file in the same format (tests/data/danger_sample.jsonl
is a small one written for developing this test).

The frozen set runs only when asked for (DANGER_BLIND=1, the lead's run): a failure prints the
missed lines, and an engineer running the whole suite must not read the evaluation set that way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import run_bot
from tests.support.settings import ROOT

EVAL_SET = ROOT / "bench" / "blind" / "danger_eval_p.jsonl"
MAX_FALSE_RATE = 0.03  # false emergencies allowed on the look-alikes


def _set_path() -> Path:
    return Path(os.environ.get("DANGER_SET") or EVAL_SET)


def _asked_for() -> bool:
    return bool(os.environ.get("DANGER_SET")) or os.environ.get("DANGER_BLIND") == "1"


def _run_chat(texts: list[str], tmp_path: Path) -> list[dict]:
    """All messages through ONE `python -m bot chat --jsonl` process, as one resident."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'blind.db'}",
        "CONTENT_DIR": str(ROOT / "content"),
    }
    lines = "".join(" ".join(t.split()) + "\n" for t in texts)  # one line in = one message
    done = run_bot("chat", "--jsonl", "--today", "2026-11-30", input=lines, env=env, timeout=900)
    assert done.returncode == 0, f"chat --jsonl failed:\n{done.stderr[-2000:]}"
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(out) == len(texts), f"{len(texts)} messages in, {len(out)} answers out"
    return out


def _is_emergency(answer: dict) -> bool:
    return answer["intent"] == "emergency" and "119" in "\n".join(r["text"] for r in answer["replies"])


def test_every_described_emergency_goes_to_119_and_look_alikes_mostly_do_not(tmp_path: Path) -> None:
    path = _set_path()
    if not _asked_for():
        pytest.skip("the frozen blind danger set runs on request: DANGER_BLIND=1 pytest tests/test_danger_blind.py")
    if not path.exists():
        pytest.skip(
            f"the blind danger set {path.name} is not in the repository yet: the lead commits it when it is frozen"
        )
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = _run_chat([r["text"] for r in rows], tmp_path)
    missed = [r for r, a in zip(rows, answers, strict=True) if r["danger"] and not _is_emergency(a)]
    calm = [(r, a) for r, a in zip(rows, answers, strict=True) if not r["danger"]]
    false = [r for r, a in calm if a["intent"] == "emergency"]
    danger_count = len(rows) - len(calm)
    report = [f"{len(missed)} missed of {danger_count} emergencies; {len(false)} false of {len(calm)} look-alikes"]
    report += [f"MISSED [{r.get('sign', '')}/{r.get('lang', '')}] {r['text']}" for r in missed]
    report += [f"FALSE  [{r.get('near', '')}/{r.get('lang', '')}] {r['text']}" for r in false]
    assert not missed and len(false) <= MAX_FALSE_RATE * len(calm), "\n".join(report)
