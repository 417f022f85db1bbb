"""Rebuild the shipped example offices (content/ and offices/*) after the template or the reference data changed.

    .venv/bin/python tools/refresh_offices.py

Each pack is rebuilt by `office new` for its own region (office.yaml `region_code`) and date
(puskesmas.yaml `updated:`), so an unchanged template gives unchanged files. tests/test_offices.py
fails, naming this command, when a shipped pack is not what `office new` builds today.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

from bot.office.examples import refresh, shipped


def main() -> int:
    for directory in shipped():
        refresh(directory)
        print(f"{directory}: rebuilt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
