"""`content check`: every problem as file:line: message; exit 1 on any error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.knowledge.content import Check, load_content


def check_directory(directory: Path, out: TextIO, checks: Sequence[Check] = ()) -> int:
    """Validate like a live reload does: pass the same `checks` the ContentHolder got."""
    content, problems = load_content(directory, checks)
    for problem in problems:
        out.write(f"{problem}\n")
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        out.write(f"{errors} error(s), {warnings} warning(s): content NOT valid\n")
        return 1
    version = content.version if content else "?"
    out.write(f"content OK (version {version}), {warnings} warning(s)\n")
    return 0
