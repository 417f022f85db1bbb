"""The engine turn: CPU per `Runtime.handle` on a realistic mix, and the engine's share without storage.

    .venv/bin/python -m bench.engine_turn [--users 300] [--repeats 3] [--profile] [--database-url URL]

Each simulated resident writes a short conversation from a realistic mix (a greeting, a question
on immunization, UHC/JKN, the nearest puskesmas with a shared location, or another topic, taken
from the labelled set's questions, and a closing word), on Telegram with a language hint; first
messages are a new user's. The query
log is on (its rows are queued and written in batches, as in `serve`).

Two figures per turn, in CPU time of this process (`time.process_time`, not wall):
- `handle`: the whole `Runtime.handle` (flood guard, state load and save, dialogue, query log);
- `engine`: the same turns with the conversation state kept in memory and the query log's
  writer not flushing, i.e. the dialogue alone (understanding, danger signs, language, features).

`--profile` prints the top of a cProfile of the engine-only run, sorted by own time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.engine.types import Inbound, Location
from bot.runtime import Runtime
from tests.support.settings import ROOT, make_settings

LABELLED = ROOT / "bench" / "understanding" / "labelled.yaml"  # a tuning set, not a blind one
GREETINGS = ("halo", "/start", "selamat pagi", "menu", "assalamualaikum", "hai kak", "pagi min", "permisi kak")
PUSKESMAS_AT = ((0.5071, 101.4478), (0.4633, 101.3891), (0.5333, 101.4500), (0.4500, 101.4167))


def _questions() -> dict[str, list[str]]:
    """The labelled set's questions by topic family: immunization, puskesmas, UHC/JKN, the rest."""
    labelled = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    families: dict[str, list[str]] = {"imunisasi": [], "puskesmas": [], "uhc": [], "other": []}
    for intent_id, questions in labelled["in_scope"].items():
        prefix = intent_id.split("_")[0]
        family = {"jkn": "uhc", "rumah": "puskesmas"}.get(prefix, prefix)
        families[family if family in families else "other"].extend(questions)
    families["smalltalk"] = list(labelled["smalltalk"])
    return families


# Which family each resident asks about: immunization and UHC most, then the nearest puskesmas.
PLAN = ("imunisasi", "uhc", "puskesmas", "imunisasi", "uhc", "other", "imunisasi", "puskesmas")


def inbounds(users: int, first: int = 0) -> list[list[Inbound]]:
    """Conversations of `users` residents, each a list of inbounds in order.

    A greeting, one question of the labelled set (different residents ask different questions; the
    set's 400-odd questions recur only after that many residents), a shared location for a puskesmas
    question, and a closing line from the set's small talk.
    """
    pool = _questions()
    out = []
    for u in range(users):
        key = f"telegram:{9_000_000 + first + u}"
        family = PLAN[u % len(PLAN)]
        questions = pool[family]
        steps: list[str | tuple[float, float]] = [GREETINGS[u % len(GREETINGS)]]
        steps.append(questions[(u // len(PLAN)) % len(questions)])
        if family == "puskesmas":
            steps.append(PUSKESMAS_AT[u % len(PUSKESMAS_AT)])
        steps.append(pool["smalltalk"][u % len(pool["smalltalk"])])
        turns = []
        for what in steps:
            if isinstance(what, tuple):
                turns.append(Inbound(key, "telegram", location=Location(*what), language_hint="id"))
            else:
                turns.append(Inbound(key, "telegram", text=what, language_hint="id"))
        out.append(turns)
    return out


@contextlib.contextmanager
def state_in_memory() -> Iterator[None]:
    """The dialogue's state load/save against a dict: the engine's own cost, without a database."""
    from bot.engine import dialogue
    from bot.engine.state import ConversationState, StateConflict

    store: dict[str, tuple[str, int]] = {}
    real_load, real_save = dialogue.load_state, dialogue.save_state

    async def load(_db: Any, user_key: str, _secret: bytes) -> tuple[ConversationState, int]:
        raw, version = store.get(user_key, ("", 0))
        return ConversationState.from_json(raw or None), version

    async def save(_db: Any, user_key: str, _s: bytes, _c: str, state: ConversationState, version: int) -> int:
        if store.get(user_key, ("", 0))[1] != version:
            raise StateConflict("changed")
        store[user_key] = (state.to_json(), version + 1)
        return version + 1

    dialogue.load_state, dialogue.save_state = load, save  # type: ignore[assignment]
    try:
        yield
    finally:
        dialogue.load_state, dialogue.save_state = real_load, real_save  # type: ignore[assignment]


async def turns_cpu(runtime: Runtime, conversations: list[list[Inbound]]) -> list[float]:
    """CPU ms of each turn, conversations interleaved (round-robin) as residents write at the same time."""
    per_turn: list[float] = []
    longest = max(len(c) for c in conversations)
    for step in range(longest):
        for conversation in conversations:
            if step < len(conversation):
                inbound = conversation[step]
                inbound = Inbound(**{**_fields(inbound), "at": datetime.now(UTC)})
                started = time.process_time()
                await runtime.handle(inbound)
                per_turn.append((time.process_time() - started) * 1000)
    return per_turn


def _fields(inbound: Inbound) -> dict[str, Any]:
    return {name: getattr(inbound, name) for name in inbound.__slots__}  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def runtime_for(database_url: str | None) -> AsyncIterator[Runtime]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    settings = make_settings(workdir, database_url=database_url)
    async with Runtime.start(settings, watch_interval=None) as runtime:
        yield runtime


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p = lambda q: ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]  # noqa: E731
    return (
        f"median {statistics.median(values):.3f}, p90 {p(90):.3f}, p99 {p(99):.3f}, mean {statistics.fmean(values):.3f}"
    )


async def run(users: int, repeats: int, profile: bool, database_url: str | None) -> None:
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    async with runtime_for(database_url) as runtime:
        await turns_cpu(runtime, inbounds(40, first=10_000_000))  # warm: caches, connections, lingua models
        for r in range(repeats):
            handle = await turns_cpu(runtime, inbounds(users, first=r * users))
            print(f"handle (state in the database, query log on), ms CPU per turn: {summary(handle)}")
        with state_in_memory():
            for r in range(repeats):
                engine = await turns_cpu(runtime, inbounds(users, first=1_000_000 + r * users))
                print(f"engine (state in memory), ms CPU per turn:               {summary(engine)}")
            if profile:
                batch = inbounds(users, first=2_000_000)  # outside the profile: it reads the labelled set's YAML
                profiler = cProfile.Profile()
                profiler.enable()
                await turns_cpu(runtime, batch)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(35)
                print(out.getvalue())
    print(
        f"turns per repeat: {sum(len(c) for c in inbounds(users))}; load average at end: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)
    asyncio.run(run(args.users, args.repeats, args.profile, args.database_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
