"""`content check`: every problem as file:line: message; exit 1 on any error."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.knowledge.content import load_content
from bot.knowledge.source import Problems


def engine_checks(problems: Problems, directory: Path) -> None:
    """Checks that need the engine: every handler named in content must exist in code."""
    from bot.engine.features import handler_names
    from bot.knowledge.content import SECTIONS
    from bot.knowledge.faq import parse as parse_faq
    from bot.knowledge.source import read_yaml

    known = handler_names()
    section = next(s for s in SECTIONS if s.attr == "intents")
    scratch = Problems()  # faq errors are already reported by the main load
    paths = sorted({p for pattern in section.files for p in directory.glob(pattern)})
    docs = [d for p in paths if (d := read_yaml(p, str(p.relative_to(directory)), scratch))]
    for intent in parse_faq(docs, scratch).intents if docs else ():
        if intent.handler and intent.handler not in known:
            problems.error(intent.file, intent.line, f"entry '{intent.id}': unknown handler '{intent.handler}'")


def check_directory(directory: Path, out: TextIO) -> int:
    content, problems = load_content(directory)
    engine_checks(problems, directory)
    for problem in problems:
        out.write(f"{problem}\n")
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        out.write(f"{errors} error(s), {warnings} warning(s): content NOT valid\n")
        return 1
    version = content.version if content else "?"
    out.write(f"content OK (version {version}), {warnings} warning(s)\n")
    return 0
