"""Running the bot's own command line (`python -m bot ...`) from the repository, as a user would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

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
