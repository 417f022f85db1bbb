"""Every city and regency of Indonesia (514): build its pack with `office new`, load it, and ask it for
the nearest puskesmas from a point inside the region. Not part of CI (minutes of CPU).

    nice .venv/bin/python -m bench.offices_all [--only 14.01,19.71] [--out bench/offices_all.json]

Per region: the pack is built into a temporary directory (bot.office.pack.build, the code of
`office new`), loaded with the same checks as `content check` (errors fail the region; warnings
other than "to verify" and the template's own are counted), and the engine (bot.engine.dialogue,
on one SQLite file) is asked "puskesmas terdekat", then given a location 100-150 m from one of the
region's puskesmas with coordinates. The answer must list first the puskesmas nearest to that
point among the region's own (brute force over the pack's file). A region with no puskesmas
coordinates gets a location of one of its hospitals (or of its province) and must say that it has
no puskesmas locations, naming none. Gaps reported: no puskesmas in the 2019 list, none with
coordinates, kecamatan without a puskesmas.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

from bot.engine.dialogue import Dialogue
from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.engine.types import Inbound, Location
from bot.knowledge.content import Content, load_content
from bot.office.pack import TEMPLATE, build
from bot.office.reference import regions
from bot.storage import migrations
from bot.storage.db import Database

TODAY = date(2026, 11, 30)
NO_COORDINATES = "lokasi puskesmas belum tersedia"


@dataclass
class Result:
    code: str
    name: str
    ok: bool = False
    puskesmas: int = 0
    with_coordinates: int = 0
    kecamatan: int = 0
    kecamatan_without: int = 0
    other_warnings: int = 0
    build_s: float = 0.0
    load_s: float = 0.0
    answer_ms: float = 0.0
    expected: str = ""
    got: str = ""
    problem: str = ""
    notes: list[str] = field(default_factory=list)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def first_listed(text: str) -> str:
    """The name of the first puskesmas of a nearest list ('1. Puskesmas X — 0,2 km')."""
    for line in text.splitlines():
        if line.startswith("1. Puskesmas "):
            return line.removeprefix("1. Puskesmas ").split(" — ")[0]
    return ""


async def ask(dialogue: Dialogue, user: str, point: tuple[float, float]) -> tuple[str, float]:
    await dialogue.handle(Inbound(user_key=user, channel="console", text="puskesmas terdekat"), today=TODAY)
    started = time.perf_counter()
    out = await dialogue.handle(Inbound(user_key=user, channel="console", location=Location(*point)), today=TODAY)
    elapsed = (time.perf_counter() - started) * 1000
    return "\n".join(r.text for r in out.replies), elapsed


async def one(
    code: str, db: Database, root: Path, known: set[str], province_points: dict[str, tuple[float, float]]
) -> Result:
    region = regions()[code]
    result = Result(code, region.name)
    out = root / code
    try:
        started = time.perf_counter()
        build(region, out, TODAY)
        result.build_s = time.perf_counter() - started
        started = time.perf_counter()
        content, problems = load_content(out, CODE_NEEDS)
        result.load_s = time.perf_counter() - started
        if content is None:
            result.problem = "content check: " + "; ".join(str(p) for p in problems.errors[:3])
            return result
        others = [w for w in problems.warnings if "to verify:" not in w.message and str(w) not in known]
        result.other_warnings = len(others)
        result.notes.extend(str(w) for w in others[:3])
        await check_answer(content, db, result, province_points)
    except Exception as exc:  # a region that breaks the builder is a finding, not the end of the run
        result.problem = f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return result


async def check_answer(
    content: Content, db: Database, result: Result, province_points: dict[str, tuple[float, float]]
) -> None:
    raw = yaml.safe_load((content.directory / "puskesmas.yaml").read_text(encoding="utf-8"))
    places = [(p["name"], (p["lat"], p["lon"])) for p in raw["puskesmas"] if p["lat"] is not None]
    result.puskesmas = len(raw["puskesmas"])
    result.with_coordinates = len(places)
    result.kecamatan = len(content.puskesmas.kecamatan)
    served = {p.kecamatan for p in content.puskesmas.puskesmas} | {
        c for p in content.puskesmas.puskesmas for c in p.kecamatan_candidates
    }
    result.kecamatan_without = sum(1 for k in content.puskesmas.kecamatan if k.code not in served)
    dialogue = Dialogue(lambda: content, db, pseudonym_secret=b"bench")
    if places:
        _name, (lat, lon) = places[len(places) // 2]
        point = (lat + 0.001, lon + 0.0005)
        result.expected = min(places, key=lambda p: (km(point, p[1]), places.index(p)))[0]
    else:
        hospitals = [(h["lat"], h["lon"]) for h in raw["hospitals"] if h["lat"] is not None]
        point = hospitals[0] if hospitals else province_points[result.code[:2]]
    text, result.answer_ms = await ask(dialogue, f"bench:{result.code}", point)
    result.got = first_listed(text)
    if places:
        result.ok = result.got == result.expected
        if not result.ok:
            result.problem = f"first listed {result.got!r}, nearest is {result.expected!r}"
    else:
        result.ok = NO_COORDINATES in text and not result.got
        if not result.ok:
            result.problem = f"no coordinates, but the answer was: {text[:120]!r}"


def province_points() -> dict[str, tuple[float, float]]:
    """A point per province (its puskesmas' mean), for regions that have no facility coordinates at all."""
    from bot.office.reference import faskes_rows

    sums: dict[str, list[float]] = {}
    for r in faskes_rows():
        if r["lat"] and r["lon"] and r["coord_suspect"] != "Y":
            s = sums.setdefault(r["kode_prov_bps"], [0.0, 0.0, 0.0])
            s[0] += float(r["lat"])
            s[1] += float(r["lon"])
            s[2] += 1
    return {p: (s[0] / s[2], s[1] / s[2]) for p, s in sums.items()}


async def run(codes: list[str], out: Path | None) -> int:
    started = time.perf_counter()
    _template, template_problems = load_content(TEMPLATE, CODE_NEEDS)
    known = {str(w) for w in template_problems.warnings}
    points = province_points()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = Database(f"sqlite+aiosqlite:///{root}/bench.db")
        await migrations.upgrade(db)
        try:
            for i, code in enumerate(codes, 1):
                result = await one(code, db, root, known, points)
                results.append(result)
                mark = "ok" if result.ok else "FAIL"
                print(f"[{i}/{len(codes)}] {code} {result.name}: {mark} {result.problem}", file=sys.stderr, flush=True)
        finally:
            await db.dispose()
    total = time.perf_counter() - started
    summary = report(results, total)
    print(summary)
    if out is not None:
        dump = json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1)
        await asyncio.to_thread(out.write_text, dump, encoding="utf-8")
    return 0 if all(r.ok for r in results) else 1


def report(results: list[Result], total: float) -> str:
    n = len(results)
    ok = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    none = [r for r in results if r.puskesmas == 0 and not r.problem.startswith(("content", "Exc"))]
    no_coords = [r for r in results if r.puskesmas and not r.with_coordinates]
    missing_kec = sum(r.kecamatan_without for r in results)
    kec = sum(r.kecamatan for r in results)
    build = sorted(r.build_s for r in results)
    load = sorted(r.load_s for r in results)
    answer = sorted(r.answer_ms for r in results if r.answer_ms)

    def median(values: list[float]) -> float:
        return values[len(values) // 2] if values else 0.0

    lines = [
        f"regions: {n}; answered as expected: {len(ok)}; failed: {len(failed)}",
        f"run time: {total:.0f} s (build median {median(build):.2f} s, max {max(build, default=0):.2f} s; "
        f"load median {median(load):.2f} s; nearest answer median {median(answer):.1f} ms)",
        f"regions with no puskesmas in the 2019 list: {len(none)}"
        + (f" ({', '.join(f'{r.code} {r.name}' for r in none)})" if none else ""),
        f"regions whose puskesmas have no usable coordinates: {len(no_coords)}"
        + (f" ({', '.join(f'{r.code} {r.name}' for r in no_coords)})" if no_coords else ""),
        f"kecamatan without a puskesmas in the 2019 list: {missing_kec} of {kec}",
        f"regions with warnings other than 'to verify': {sum(1 for r in results if r.other_warnings)}",
        f"machine: {platform.python_version()}, {os.cpu_count()} CPU, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()),
    ]
    lines += [f"FAILED {r.code} {r.name}: {r.problem}" for r in failed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated region codes (default: all 514)")
    parser.add_argument("--out", type=Path, help="write every region's result as JSON here")
    args = parser.parse_args(argv)
    codes = args.only.split(",") if args.only else sorted(regions())
    return asyncio.run(run(codes, args.out))


if __name__ == "__main__":
    sys.exit(main())
