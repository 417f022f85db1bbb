"""A first turn's CPU on texts new to the process: what a resident's first message costs the engine (issue 23).

    PYTHONPATH=. .venv/bin/python -m bench.first_turn [--turns 1500] [--profile] [--seed 7]

The texts are the first turns residents wrote in the understanding tuning sets (named by letter, never the
frozen one), shuffled, none twice: each is a new user's first message through `Runtime.handle` (SQLite, query
log on), so the engine's memo of a text's reading (round 13) never answers it. A warm-up of other texts comes
first (caches, lingua's models). Run it from each tree to compare (`cd TREE && PYTHONPATH=. python
/path/to/bench/first_turn.py`), interleaved: CPU time (`time.process_time`), so read same-run ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time

from bench.blind.run import TODAY, messages
from bench.blind.score import HERE, load_conversations
from bot.channels.console import parse_line
from bot.config import Settings
from bot.engine.langdetect import warm_up
from bot.runtime import Runtime

SETS = "a,b,c,d,e,f,g,h,i,j,k,l,t,t2,t3"
FROZEN = "p"
WARM = 60


def first_texts(letters: list[str], seed: int) -> list[str]:
    """Each conversation's first text (after a shared location, the words), once each, shuffled."""
    seen: dict[str, None] = {}
    for letter in letters:
        for conv in load_conversations(HERE / f"understanding_{letter}.yaml"):
            said = messages(conv.turns[0].say)[-1]
            if not said.startswith("@"):
                seen.setdefault(" ".join(said.split()), None)
    texts = list(seen)
    random.Random(seed).shuffle(texts)
    return texts


async def run(turns: int, seed: int, profile: bool, letters: list[str]) -> None:
    texts = first_texts(letters, seed)
    warm, texts = texts[:WARM], texts[WARM : WARM + turns]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/first.db", "CONTENT_DIR": "content", "PSEUDONYM_KEY": "b"}
        )
        opening, opening_cpu = time.perf_counter(), time.process_time()
        service = await Runtime.open(settings, watch_interval=None)
        opened = (time.perf_counter() - opening, time.process_time() - opening_cpu)
        try:
            warm_up()  # lingua's models, as `serve` loads them at start-up
            for n, text in enumerate(warm):
                await service.handle(parse_line(text, f"console:warm{n}"), today=TODAY)
            profiler = cProfile.Profile() if profile else None
            load = os.getloadavg()[0]
            per_turn: list[float] = []
            if profiler:
                profiler.enable()
            for n, text in enumerate(texts):
                started = time.process_time()
                await service.handle(parse_line(text, f"console:first{n}"), today=TODAY)
                per_turn.append((time.process_time() - started) * 1000)
            if profiler:
                profiler.disable()
        finally:
            await service.close()
    total = sum(per_turn)
    ordered = sorted(per_turn)
    print(
        f"{len(per_turn)} first turns, ms CPU each: mean {total / len(per_turn):.3f}, "
        f"median {statistics.median(per_turn):.3f}, p99 {ordered[int(len(ordered) * 0.99)]:.2f}, "
        f"max {ordered[-1]:.1f}, total {total / 1000:.2f} s; load {load:.2f} -> {os.getloadavg()[0]:.2f}; "
        f"Runtime.open {opened[0]:.2f} s wall, {opened[1]:.2f} s CPU (its threads included)"
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
        print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sets", default=SETS, help="understanding tuning sets' letters")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    letters = [s for s in args.sets.split(",") if s]
    if FROZEN in letters:
        parser.error(f"set {FROZEN} is frozen: never played here")
    asyncio.run(run(args.turns, args.seed, args.profile, letters))
    return 0


if __name__ == "__main__":
    sys.exit(main())
