"""The layering contract (.importlinter) holds: every landing runs it, not only CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():  # a venv made before import-linter joined the dev extras; CI always has it
        if os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("lint-imports is missing: pip install -e '.[dev]'")
        pytest.skip("import-linter is not installed here: .venv/bin/pip install -e '.[dev]'")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
