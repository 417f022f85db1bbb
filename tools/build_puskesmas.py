"""Rebuild content/puskesmas.yaml and content/wilayah.yaml (Kota Pekanbaru) from the shipped reference data.

    .venv/bin/python tools/build_puskesmas.py [--region 14.71] [--out content] [--today YYYY-MM-DD]

The logic lives in bot/office/ (`python -m bot office new` builds a whole pack for any region);
this writes only the two facility files, so the office's own edits to the rest stay.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.office.facilities import collect
from bot.office.pack import write_facilities
from bot.office.reference import regions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="14.71", help="Kemendagri code of the city/regency")
    parser.add_argument("--out", type=Path, default=Path("content"))
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args(argv)
    region = regions()[args.region]
    found = collect(region, args.today)
    write_facilities(region, found, args.out, args.today)
    for line in found.report:
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
