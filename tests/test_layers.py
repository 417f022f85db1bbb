"""The layering contract (.importlinter) holds: every landing runs it, not only CI."""

from __future__ import annotations

import ast
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


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in {"tests", "bench"}:  # from tests import conftest
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_tests_and_benches_share_only_tests_support() -> None:
    """A test never imports a benchmark or another test module; a benchmark takes from tests/ only tests.support."""
    wrong = []
    for folder in ("tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for module in _imported_modules(path):
                top = module.split(".")
                if top[0] == "tests" and len(top) > 1 and top[1] != "support":
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
                if top[0] == "bench" and folder == "tests":
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)
