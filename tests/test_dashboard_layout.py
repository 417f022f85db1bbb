"""The dashboard renders; storage queries: no SQL in its modules, and no import cycle between its pages."""

from __future__ import annotations

import ast
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parent.parent / "bot" / "web" / "dashboard"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_dashboard_modules_run_no_sql_of_their_own() -> None:
    for path in sorted(DASHBOARD.glob("*.py")):
        assert not any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in _imports(path)), path.name


def test_pages_and_views_do_not_import_each_other() -> None:
    pages, views = _imports(DASHBOARD / "pages.py"), _imports(DASHBOARD / "views.py")
    assert not any(m.startswith("bot.web.dashboard.views") for m in pages)
    assert not any(m.startswith("bot.web.dashboard.pages") for m in views)
