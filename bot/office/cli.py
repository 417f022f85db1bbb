"""`python -m bot office new --region CODE [--out DIR]`: a content pack for any city or regency."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.office import pack
from bot.office.reference import regions


def add_parser(sub: Any) -> None:
    office = sub.add_parser("office", help="content packs for a health office")
    office_sub = office.add_subparsers(dest="office_command", required=True)
    new = office_sub.add_parser("new", help="build a content pack for a city or regency")
    new.add_argument("--region", required=True, help="Kemendagri code of the city/regency, e.g. 14.03")
    new.add_argument("--out", type=Path, help="directory to write (default: content-<code>)")
    new.add_argument("--today", type=date.fromisoformat, default=None, help="date written as 'updated' (YYYY-MM-DD)")


def run(args: argparse.Namespace) -> int:
    found = regions()
    region = found.get(args.region)
    if region is None:
        close = sorted(code for code in found if code.startswith(args.region.split(".")[0] + "."))[:20]
        print(f"no city or regency with Kemendagri code {args.region!r}; e.g. {', '.join(close)}", file=sys.stderr)
        return 2
    out = args.out or Path(f"content-{region.code}")
    report = pack.build(region, out, args.today or date.today())
    for line in report:
        print(line, file=sys.stderr)
    print(f"{region.name}: pack written to {out}; run `python -m bot content check {out}`")
    return 0
