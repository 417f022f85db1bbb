"""One bot with Riau's 12 office packs against one bot with Kota Pekanbaru's alone: start-up time,
memory, and what a message costs, in the same run (children interleaved: 1, 12, 1, 12, ...).

    nice .venv/bin/python -m bench.offices_memory [--rounds 3] [--users 20]

The 11 other packs are built by `office new` into a temporary directory; Pekanbaru's is content/.
Each child process opens the runtime (bot.runtime.Runtime, SQLite, no content watcher), then answers
the same script for `--users` Pekanbaru residents (greeting, immunization, nearest puskesmas from a
location, UHC, puskesmas by kecamatan, a danger sign), timing every message. The 12-pack child then
answers the same script for a resident of each other office (located by a point inside it).
Reported per child: time to open the runtime, wall time from spawn to ready, RSS when open and
after every office has answered once (each office's matcher is built on its first message).
Then, as the fairest same-run comparison of a message's cost, both bots are opened in one process
and every message goes to each in turn (order alternating), timing the process's CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

STARTED = time.perf_counter()

RIAU = ("14.01", "14.02", "14.03", "14.04", "14.05", "14.06", "14.07", "14.08", "14.09", "14.10", "14.72")
TODAY = date(2026, 11, 23)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def script(lat: float, lon: float, kecamatan: str) -> list[str]:
    return [
        "halo",
        "imunisasi bayi 2 bulan apa saja",
        "puskesmas terdekat",
        f"@loc {lat + 0.001} {lon + 0.001}",
        "apa itu uhc",
        f"puskesmas di kecamatan {kecamatan.lower()}",
        "anak saya kejang dan tidak sadar",
    ]


def inside(pack: Path) -> tuple[float, float, str]:
    """A puskesmas with coordinates and the name of its kecamatan: a point inside the office's region."""
    import yaml

    places = yaml.safe_load((pack / "puskesmas.yaml").read_text(encoding="utf-8"))
    wilayah = yaml.safe_load((pack / "wilayah.yaml").read_text(encoding="utf-8"))
    names = {k["code"]: k["name"] for k in wilayah["kecamatan"]}
    p = next(p for p in places["puskesmas"] if p["lat"] is not None and p["kecamatan"])
    return p["lat"], p["lon"], names[p["kecamatan"]]


async def child(dirs: list[str], users: int, db_dir: str) -> dict[str, object]:
    from bot.channels.console import parse_line
    from bot.config import Settings
    from bot.runtime import Runtime

    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{db_dir}/bench.db", "PSEUDONYM_KEY": "bench"}
    env["CONTENT_DIRS" if len(dirs) > 1 else "CONTENT_DIR"] = ",".join(dirs)
    imported = time.perf_counter() - STARTED
    opened_at = time.perf_counter()
    runtime = await Runtime.open(Settings.from_env(env), watch_interval=None)
    open_s = time.perf_counter() - opened_at

    rss_open = rss_mb()

    cpu: list[float] = []  # CPU time of the process per message (every thread: the database's too), ms

    async def run(user: str, lines: list[str]) -> list[float]:
        took = []
        for line in lines:
            started, started_cpu = time.perf_counter(), time.process_time()
            await runtime.handle(parse_line(line, f"console:{user}"), today=TODAY)
            took.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        return took

    try:
        first: dict[str, float] = {}
        packs = [Path(d) for d in dirs]
        for pack in packs:  # each office's first message builds its matcher: measured apart
            lat, lon, kec = inside(pack)
            first[pack.name] = sum(await run(f"warm-{pack.name}", [*script(lat, lon, kec)[3:4], "halo"]))
        rss_warm = rss_mb()
        lat, lon, kec = inside(packs[0])
        home: list[float] = []
        cpu.clear()
        for u in range(users):
            home += await run(f"pku-{u}", script(lat, lon, kec))
        home_cpu = list(cpu)
        others: list[float] = []
        for pack in packs[1:]:
            lat, lon, kec = inside(pack)
            others += await run(f"other-{pack.name}", script(lat, lon, kec))
        await runtime.querylog.writer.flush()
    finally:
        await runtime.close()
    return {
        "packs": len(dirs),
        "import_s": imported,
        "open_s": open_s,
        "rss_open_mb": rss_open,
        "rss_warm_mb": rss_warm,
        "rss_end_mb": rss_mb(),
        "first_message_ms": first,
        "home_ms": home,
        "home_cpu_ms": home_cpu,
        "others_ms": others,
    }


async def interleaved(dirs: list[str], users: int, db_dir: Path) -> dict[str, list[float]]:
    """Both bots open in one process, the same message to each in turn: CPU ms per message, paired."""
    from bot.channels.console import parse_line
    from bot.config import Settings
    from bot.runtime import Runtime

    bots = {}
    for name, packs in (("one", dirs[:1]), ("twelve", dirs)):
        env = {"DATABASE_URL": f"sqlite+aiosqlite:///{db_dir}/{name}.db", "PSEUDONYM_KEY": "bench"}
        env["CONTENT_DIRS" if len(packs) > 1 else "CONTENT_DIR"] = ",".join(packs)
        bots[name] = await Runtime.open(Settings.from_env(env), watch_interval=None)
    took: dict[str, list[float]] = {"one": [], "twelve": []}
    try:
        lat, lon, kec = inside(Path(dirs[0]))
        lines = script(lat, lon, kec)
        for bot in bots.values():  # warm: matchers built, caches filled
            for line in lines:
                await bot.handle(parse_line(line, "console:warm"), today=TODAY)
        for u in range(users):
            for line in lines:
                order = ("one", "twelve") if u % 2 == 0 else ("twelve", "one")
                for name in order:
                    started = time.process_time()
                    await bots[name].handle(parse_line(line, f"console:pku-{u}"), today=TODAY)
                    took[name].append((time.process_time() - started) * 1000)
    finally:
        for bot in bots.values():
            await bot.close()
    return took


def build_packs(root: Path) -> list[str]:
    from bot.office.pack import TEMPLATE, build
    from bot.office.reference import regions

    dirs = [str(TEMPLATE)]
    for code in RIAU:
        out = root / code
        build(regions()[code], out, date(2026, 11, 30))
        dirs.append(str(out))
    return dirs


def spawn(dirs: list[str], users: int, tmp: Path, n: int) -> dict[str, object]:
    db_dir = tmp / f"db-{n}"
    db_dir.mkdir()
    started = time.perf_counter()
    args = [sys.executable, "-m", "bench.offices_memory", "--child", json.dumps(dirs), "--users", str(users)]
    done = subprocess.run([*args, "--db", str(db_dir)], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["spawn_to_end_s"] = time.perf_counter() - started
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(child(json.loads(args.child), args.users, args.db))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dirs = build_packs(root)
        runs: dict[int, list[dict[str, object]]] = {1: [], 12: []}
        for n in range(args.rounds):
            for packs in (1, 12):
                runs[packs].append(spawn(dirs[:packs], args.users, root, n * 100 + packs))
                print(f"round {n + 1}, {packs} pack(s) done", file=sys.stderr, flush=True)
        (root / "paired").mkdir()
        paired = asyncio.run(interleaved(dirs, args.users * args.rounds, root / "paired"))
    print(report(runs, args))
    print(report_paired(paired, args.users * args.rounds))
    return 0


def report_paired(took: dict[str, list[float]], users: int) -> str:
    one, twelve = took["one"], took["twelve"]
    ratios = sorted(b / a for a, b in zip(one, twelve, strict=True) if a > 0)
    return "\n".join(
        [
            f"same process, each message to both bots in turn ({users} residents x 7 messages, CPU time):",
            "| | 1 pack | 12 packs | ratio 12/1 |",
            "| --- | --- | --- | --- |",
            f"| median (ms) | {median(one):.2f} | {median(twelve):.2f} | {median(twelve) / median(one):.2f} |",
            f"| mean (ms) | {statistics.fmean(one):.2f} | {statistics.fmean(twelve):.2f} "
            f"| {statistics.fmean(twelve) / statistics.fmean(one):.2f} |",
            f"| total (s) | {sum(one) / 1000:.2f} | {sum(twelve) / 1000:.2f} | {sum(twelve) / sum(one):.2f} |",
            f"| median of the per-message ratios | | | {median(ratios):.2f} |",
        ]
    )


def report(runs: dict[int, list[dict[str, object]]], args: argparse.Namespace) -> str:
    def med(packs: int, key: str) -> float:
        return median([float(r[key]) for r in runs[packs]])  # type: ignore[arg-type]

    def per_message(packs: int, key: str) -> float:
        return median([median(list(r[key])) for r in runs[packs]])  # type: ignore[call-overload]

    def mean_message(packs: int, key: str) -> float:
        return median([statistics.fmean(list(r[key])) for r in runs[packs]])  # type: ignore[call-overload]

    lines = [
        f"rounds: {args.rounds} (children interleaved 1, 12, ...), {args.users} Pekanbaru residents x 7 messages",
        "| | 1 pack (Pekanbaru) | 12 packs (Riau) | ratio 12/1 |",
        "| --- | --- | --- | --- |",
    ]
    for label, key, unit in (
        ("import (s)", "import_s", 2),
        ("open the runtime: load, validate, index (s)", "open_s", 2),
        ("spawn to exit (s)", "spawn_to_end_s", 1),
        ("RSS when open (MB)", "rss_open_mb", 0),
        ("RSS after every office answered once (MB)", "rss_warm_mb", 0),
        ("RSS at the end (MB)", "rss_end_mb", 0),
    ):
        a, b = med(1, key), med(12, key)
        lines.append(f"| {label} | {a:.{unit}f} | {b:.{unit}f} | {b / a:.2f} |")
    for label, fn, key in (
        ("wall, median", per_message, "home_ms"),
        ("wall, mean", mean_message, "home_ms"),
        ("CPU, median", per_message, "home_cpu_ms"),
        ("CPU, mean", mean_message, "home_cpu_ms"),
    ):
        a, b = fn(1, key), fn(12, key)
        lines.append(f"| a Pekanbaru resident's message, {label} (ms) | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    others = per_message(12, "others_ms")
    lines.append(f"| another Riau office's resident's message, median (ms) | – | {others:.1f} | – |")
    firsts = [v for r in runs[12] for v in r["first_message_ms"].values()]  # type: ignore[attr-defined]
    lines.append(f"| an office's first two messages (matcher built), median (ms) | – | {median(firsts):.0f} | – |")
    lines.append(
        f"machine: Python {platform.python_version()}, {os.cpu_count()} CPU, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
