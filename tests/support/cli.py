"""Running the bot's own command line (`python -m bot ...`) from the repository, as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from tests.support.settings import ROOT


def run_bot(
    *args: str, input: str | None = None, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in the repository with `input` on stdin; its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )


def chat_jsonl(
    lines: list[str],
    env: Mapping[str, str],
    *args: str,
    today: str = "2026-11-23",
    user: str | None = None,
    timeout: float = 300,
) -> list[dict[str, Any]]:
    """Feed `lines` to `python -m bot chat --jsonl` (the scripted protocol of DESIGN.md) and return its
    answers, one per line in; the run must succeed and answer every line."""
    who = ("--user", user) if user else ()
    done = run_bot(
        "chat", "--jsonl", "--today", today, *who, *args, input="\n".join(lines) + "\n", env=env, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(answers) == len(lines), done.stderr[-3000:]
    return answers


def intents(answers: list[dict[str, Any]]) -> list[str]:
    """The intent of each answer `chat_jsonl` returned, in order."""
    return [a["intent"] for a in answers]
