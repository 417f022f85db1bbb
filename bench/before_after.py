"""Issue 17's last point: every benchmark before and after the restructure, measured in one run.

    .venv/bin/python -m bench.before_after [--before c31a16c] [--tree /tmp/perf-before] [--rounds 2]
        [--updates 400] [--warmup 50] [--only telegram,whatsapp,understanding]

Before = a commit (default c31a16c, the layout before the redesign) checked out into its own work tree
with its own venv (made on first use: `git worktree add --detach`, `pip install -e .[dev,postgres]`);
after = this tree. Each benchmark runs from its own tree's code, content and bench script, so each
side is measured as it shipped; the trees are interleaved before, after, before, after (one round is
before then after, the next after then before), and the 1-minute load average is printed for every run,
since the machine is shared. Benchmarks per tree and round:
- bench.webhook_telegram --postgres: bare, echo floor, the bot end to end and 200-only, SQLite and
  PostgreSQL; then the CPU per update step by step, one at a time in-process (the engine turn);
- bench.webhook_whatsapp on SQLite and on a throwaway PostgreSQL database;
- bench.understanding.run --repeats 3: ms per question (the understanding alone).
The summary gives each figure per run and after/before as the geometric mean of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]+)?$")
Figures = dict[str, float]


def ensure_tree(tree: Path, commit: str) -> None:
    """The before tree with its own venv, made once; kept for later runs."""
    if not (tree / ".git").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit], check=True)
    python = tree / ".venv" / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", ".[dev,postgres]"], cwd=tree, check=True)


def tables(output: str) -> dict[str, list[float]]:
    """Every markdown table row of a bench's output: 'section / first cell' -> its numeric cells."""
    rows: dict[str, list[float]] = {}
    section = ""
    for line in output.splitlines():
        found = re.search(r"database: ([a-z+]+)", line)
        if found and not line.startswith("|"):
            section = found.group(1).split("+")[0]
        if line.startswith("## CPU per update"):
            section = "steps"
        if not line.startswith("|") or line.startswith("| ---"):
            continue
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        numbers = [float(c.replace(",", "")) for c in cells[1:] if NUMBER.match(c)]
        if numbers:
            rows[f"{section}/{cells[0]}"] = numbers
    return rows


def pick(rows: dict[str, list[float]], section: str | None, words: str, column: int) -> float | None:
    """The numeric cell `column` of the first row whose label holds `words` (in `section`, or any: None)."""
    for key, values in rows.items():
        head, _, label = key.partition("/")
        if section in (None, head) and words in label and len(values) > column:
            return values[column]
    return None


def telegram(rows: dict[str, list[float]]) -> Figures:
    out: Figures = {}
    for db in ("sqlite", "postgresql"):
        short = "pg" if db == "postgresql" else db
        for name, words in (("bare", "bare aiohttp"), ("echo floor", "echo floor"), ("bot", "answer sent")):
            value = pick(rows, db, words, 3)
            if value is not None:
                out[f"telegram {short}: {name}, updates/s"] = value
        for col, what in ((4, "p50"), (5, "p99")):
            value = pick(rows, db, "answer sent", col)
            if value is not None:
                out[f"telegram {short}: bot {what} ms"] = value
        value = pick(rows, db, "200 only", 3)
        if value is not None:
            out[f"telegram {short}: 200 only, updates/s"] = value
    for name, words in (("dedupe", "dedupe"), ("parse", "parse"), ("engine turn", "handle"), ("send", "send")):
        value = pick(rows, "steps", words, 0)
        if value is not None:
            out[f"CPU ms/update, one at a time: {name}"] = value
    total = pick(rows, "steps", "total", 0)
    if total is not None:
        out["CPU ms/update, one at a time: total"] = total
    return out


def whatsapp(rows: dict[str, list[float]], db: str) -> Figures:
    out: Figures = {}
    for name, words in (("bare", "bare aiohttp"), ("echo floor", "echo floor"), ("bot", "answer sent")):
        value = pick(rows, None, words, 3)
        if value is not None:
            out[f"whatsapp {db}: {name}, messages/s"] = value
    for col, what in ((4, "p50"), (5, "p99")):
        value = pick(rows, None, "answer sent", col)
        if value is not None:
            out[f"whatsapp {db}: bot {what} ms"] = value
    return out


def understanding(rows: dict[str, list[float]]) -> Figures:
    out: Figures = {}
    for name, words in (("warm", "TanyaSehat, warm"), ("first sight", "first sight")):
        for col, what in ((0, "median"), (1, "p99")):
            value = pick(rows, None, words, col)
            if value is not None:
                out[f"understanding ms/question, {name} {what}"] = value
    return out


async def pg_database(name: str) -> str:
    import asyncpg

    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


def bench(tree: Path, args: list[str], log: Path) -> str:
    python = tree / ".venv" / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", *args], cwd=tree, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
    )
    log.write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
    if done.returncode != 0:
        print(f"  {' '.join(args)} in {tree} failed ({done.returncode}), see {log}", flush=True)
    return done.stdout


def one_tree(tree: Path, label: str, r: int, args: argparse.Namespace, logs: Path) -> tuple[Figures, Figures]:
    figures: Figures = {}
    loads: Figures = {}
    n, warm = str(args.updates), str(args.warmup)
    only = args.only.split(",")

    def run(name: str, argv: list[str]) -> dict[str, list[float]]:
        loads[name] = os.getloadavg()[0]
        started = time.time()
        out = bench(tree, argv, logs / f"r{r}-{label}-{name.replace(' ', '-')}.txt")
        print(f"  r{r} {label} {name}: {time.time() - started:.0f} s, load {loads[name]:.1f}", flush=True)
        return tables(out)

    if "telegram" in only:
        figures |= telegram(run("telegram", ["bench.webhook_telegram", "--updates", n, "--warmup", warm, "--postgres"]))
    if "whatsapp" in only:
        wa = ["bench.webhook_whatsapp", "--messages", n, "--warmup", warm]
        figures |= whatsapp(run("whatsapp sqlite", wa), "sqlite")
        url = asyncio.run(pg_database(f"before_after_{label}_{os.getpid()}"))
        figures |= whatsapp(run("whatsapp pg", [*wa, "--database-url", url]), "pg")
    if "understanding" in only:
        figures |= understanding(run("understanding", ["bench.understanding.run", "--repeats", "3"]))
    return figures, loads


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values and all(v > 0 for v in values) else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="c31a16c")
    parser.add_argument("--tree", default="/tmp/perf-before", help="the before work tree (made if missing)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--updates", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--only", default="telegram,whatsapp,understanding")
    parser.add_argument("--logs", default="/tmp/before_after")
    args = parser.parse_args(argv)
    before = Path(args.tree)
    ensure_tree(before, args.before)
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    runs: dict[str, list[Figures]] = defaultdict(list)
    loads: dict[str, list[Figures]] = defaultdict(list)
    for r in range(1, args.rounds + 1):
        order = [("before", before), ("after", ROOT)]
        for label, tree in order if r % 2 else reversed(order):
            figures, load = one_tree(tree, label, r, args, logs)
            runs[label].append(figures)
            loads[label].append(load)
    print(f"\nbefore = {args.before}, after = {head.stdout.strip()}; started {started}; {args.rounds} rounds")
    names = [f"{side} r{i + 1}" for i in range(args.rounds) for side in ("before", "after")]
    print("| figure | " + " | ".join(names) + " | after / before |")
    print("| --- |" + " ---: |" * (len(names) + 1))
    load_names = sorted({k for side in loads.values() for run in side for k in run})
    for name in load_names:
        cells = [f"{loads[side][i].get(name, 0):.1f}" for i in range(args.rounds) for side in ("before", "after")]
        print(f"| load average at start: {name} | " + " | ".join(cells) + " | |")
    keys = list(dict.fromkeys(k for side in ("before", "after") for run in runs[side] for k in run))
    for key in keys:
        cells, ratios = [], []
        for i in range(args.rounds):
            b, a = runs["before"][i].get(key), runs["after"][i].get(key)
            cells += [f"{b:g}" if b is not None else "-", f"{a:g}" if a is not None else "-"]
            if a is not None and b:
                ratios.append(a / b)
        print(f"| {key} | " + " | ".join(cells) + f" | {geomean(ratios):.2f} |")
    print(f"load average at the end: {os.getloadavg()}; raw outputs in {logs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
