"""Nearest-3 puskesmas over the national file: grid index against a plain linear scan, same run, same queries.

    .venv/bin/python -m bench.puskesmas_nearest [--csv /work/shared/domain/faskes_indonesia_2019.csv] [--queries 1500]

Reports load time (CSV read, index build), memory of the index, and per-lookup latency
(p50/p99/max) for two query sets: points where people are (a puskesmas position moved
by up to ~10 km) and points drawn uniformly over Indonesia's bounding box (much of it
sea, the hard case). Every index answer is checked against the linear scan.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bot.knowledge.geo import GridIndex

DEFAULT_CSV = Path("/work/shared/domain/faskes_indonesia_2019.csv")


def read_rows(path: Path) -> list[tuple[float, float, str]]:
    """Every puskesmas with usable coordinates (the flagged ones are left out, as in the content)."""
    with path.open(encoding="utf-8") as fh:
        return [
            (float(r["lat"]), float(r["lon"]), r["kode_faskes"])
            for r in csv.DictReader(fh)
            if r["jenis_faskes"] == "PUSKESMAS" and r["lat"] and r["lon"] and r["coord_suspect"] != "Y"
        ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(
    lookup: Callable[[float, float], object], queries: list[tuple[float, float]], repeat: int
) -> tuple[list[float], list[float], list[float], list[object]]:
    """Per query (µs): the first run's wall time, the best of `repeat` runs, the first run's CPU time; the answer.

    On a shared machine the wall time includes waiting for a core; the thread's CPU time does not.
    """
    first, best, cpu, answers = [], [], [], []
    for lat, lon in queries:
        runs = []
        for n in range(repeat):
            start, start_cpu = time.perf_counter(), time.thread_time()
            answer = lookup(lat, lon)
            runs.append((time.perf_counter() - start) * 1e6)
            if n == 0:
                cpu.append((time.thread_time() - start_cpu) * 1e6)
        first.append(runs[0])
        best.append(min(runs))
        answers.append(answer)
    return first, best, cpu, answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--queries", type=int, default=1000, help="per query set (the linear scan bounds the time)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query for the fast methods")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    start = time.perf_counter()
    rows = read_rows(args.csv)
    read_ms = (time.perf_counter() - start) * 1e3
    tracemalloc.start()
    start = time.perf_counter()
    index = GridIndex(rows)
    build_ms = (time.perf_counter() - start) * 1e3
    memory_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()

    jitter = 0.09  # degrees, about 10 km
    sets = {
        "near people": [
            (lat + rng.uniform(-jitter, jitter), lon + rng.uniform(-jitter, jitter))
            for lat, lon, _ in rng.sample(rows, args.queries)
        ],
        "uniform bbox": [(rng.uniform(-11.0, 6.0), rng.uniform(95.0, 141.0)) for _ in range(args.queries)],
    }
    methods: dict[str, tuple[Callable[[float, float], object], int]] = {
        "grid index (GridIndex.nearest)": (lambda lat, lon: index.nearest(lat, lon, 3), args.repeat),
        "numpy full scan": (lambda lat, lon: index.scan_vectorised(lat, lon, 3), args.repeat),
        "plain linear scan (baseline)": (lambda lat, lon: index.scan(lat, lon, 3), 1),
    }
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, load {_load()}"
    )
    print(f"puskesmas with coordinates: {len(rows)} ({len(index.cells)} grid cells of {index.cell} deg)")
    print(f"load: read CSV {read_ms:.0f} ms, build index {build_ms:.0f} ms, index memory {memory_mb:.1f} MB")
    print(
        "| queries | method | p50 µs wall (best of runs) | p99 µs wall (first run) | p99 µs wall (best of runs) | p99 µs CPU | max µs wall |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    ok = True
    for name, queries in sets.items():
        results = {}
        for method, (lookup, repeat) in methods.items():
            first, best, cpu, answers = timed(lookup, queries, repeat)
            results[method] = (first, cpu, answers)
            p50, p99_first, p99_best = statistics.median(best), percentile(first, 99), percentile(best, 99)
            print(
                f"| {name} | {method} | {p50:.0f} | {p99_first:.0f} | {p99_best:.0f} | "
                f"{percentile(cpu, 99):.0f} | {max(first):.0f} |"
            )
        baseline = results["plain linear scan (baseline)"]
        grid = results["grid index (GridIndex.nearest)"]
        same = all(r[2] == baseline[2] for r in results.values())
        ok &= same
        ratio = percentile(baseline[1], 99) / percentile(grid[1], 99)
        print(f"| {name} | p99 CPU speed-up over the baseline | {ratio:.0f}× | same answers: {same} | | | |")
    return 0 if ok else 1


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
