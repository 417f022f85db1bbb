"""Blind understanding benchmark: conversations written by people who never saw content/, tests/
or bench/, played through the bot exactly as `chat --jsonl` plays them (one user per conversation).

.venv/bin/python -m bench.blind.run [--set understanding_a] [--part all|train|held] [--misses] [--content content]
    [--semantic]   (the semantic second stage on: needs the `semantic` extra and content.semantic.npz)

understanding_a.yaml is the frozen evaluation set: report on it, never tune on it.
understanding_t.yaml and understanding_t2.yaml were written the same way for tuning. A tuning set's
held-out part (`--part held`, a fixed hash of the conversation ids, score.held_out) is reported as
totals only, never listed: it estimates how the tuning generalises.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bench.blind.score import HERE, Report, held_out, load_conversations, result_of
from bot.channels.console import outcome_json, parse_line
from bot.config import Settings
from bot.engine.semantic import SemanticStage
from bot.engine.smalltalk import SmallTalk
from bot.engine.topic_net import TopicNet
from bot.engine.understanding import Understanding
from bot.runtime import Runtime

TODAY = date(2026, 11, 30)  # the writers were told today is 30 November 2026


def messages(say: str) -> list[str]:
    """What a resident sends for one written turn. A writer's "@loc LAT LON words" is a shared location
    followed by a text (no platform sends a caption with a location); the text's answer is scored."""
    parts = say.split()
    if parts[:1] == ["@loc"] and len(parts) > 3:
        return [" ".join(parts[:3]), " ".join(parts[3:])]
    return [say]


class UnderstandingClock:
    """Time spent understanding a message (normalising, danger signs, small talk, matching, follow-up and
    story reading all go through these entry points, which do not call one another): the issue's budget
    is per message, apart from the database and the answer's own work."""

    ENTRY_POINTS = (
        (Understanding, ("match", "danger", "keys", "weight", "topics_named", "topic_named", "normalize")),
        (SmallTalk, ("hear",)),
        (SemanticStage, ("nearest",)),  # run in its worker thread while the turn awaits it
        (TopicNet, ("read",)),  # the learned second opinion (topic_net.py), asked by the dialogue
    )

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.spent = 0.0
        self.clock = clock  # time.thread_time: CPU time of the thread running each entry point (--cpu)
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # the time of each entry point, over the whole run
        self._saved: list[tuple[type, str, Callable[..., Any]]] = []

    def __enter__(self) -> UnderstandingClock:
        for owner, names in self.ENTRY_POINTS:
            for name in names:
                original = getattr(owner, name)
                self._saved.append((owner, name, original))
                setattr(owner, name, self._timed(original))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in self._saved:
            setattr(owner, name, original)

    def _timed(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls[original.__qualname__] += 1
            start = self.clock()
            try:
                return original(*args, **kwargs)
            finally:
                took = self.clock() - start
                self.spent += took
                self.seconds[original.__qualname__] += took

        return timed


async def play(
    set_name: str, content: Path, show_misses: bool, part: str = "all", semantic: bool = False, cpu: bool = False
) -> Report:
    conversations = load_conversations(HERE / f"{set_name}.yaml")
    if part != "all":
        conversations = [c for c in conversations if held_out(c.id) == (part == "held")]
    report = Report(set_name if part == "all" else f"{set_name}, {part} part")
    times: list[float] = []
    understood: list[float] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        UnderstandingClock(time.thread_time if cpu else time.perf_counter) as clock,
    ):
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db", "CONTENT_DIR": str(content), "PSEUDONYM_KEY": "b"}
        )
        service = await Runtime.open(replace(settings, semantic_stage=semantic), watch_interval=None)
        try:
            if service.semantic is not None:  # its index is built in the background: measure the stage ready
                await asyncio.wrap_future(service.semantic.prepare(service.content()))
            for conv in conversations:
                results = []
                for turn in conv.turns:
                    for said in messages(turn.say):
                        clock.spent = 0.0
                        start = time.perf_counter()
                        outcome = await service.handle(parse_line(said, f"console:{conv.id}"), today=TODAY)
                        times.append(time.perf_counter() - start)
                        understood.append(clock.spent)
                    results.append(result_of(turn, json.loads(outcome_json(turn.say, outcome))))
                report.add(conv, results)
        finally:
            await service.close()
    for line in report.lines():
        print(line)
    times.sort()
    print(
        f"\nturns: {len(times)}, whole turn (engine + SQLite): median {statistics.median(times) * 1000:.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms"
    )
    understood.sort()
    print(
        f"understanding per message ({'CPU' if cpu else 'wall clock'}): mean {statistics.fmean(understood) * 1000:.2f} ms, "
        f"p99 {understood[int(len(understood) * 0.99)] * 1000:.2f} ms, max {understood[-1] * 1000:.2f} ms"
    )
    net = clock.seconds["TopicNet.read"]
    print(
        f"of which the learned second opinion (TopicNet.read, {clock.calls['TopicNet.read']} calls): mean "
        f"{net / len(understood) * 1000:.3f} ms per message, {net / max(sum(understood), 1e-9):.1%} of understanding"
    )
    if semantic:
        ran = clock.calls["SemanticStage.nearest"]
        print(f"semantic stage ran on {ran} of {len(understood)} messages ({ran / len(understood):.1%})")
    if show_misses:
        print("\nmisses:")
        for conv_id, r in report.misses:
            facts = "" if r.facts_ok else f" facts {r.turn.facts}"
            print(f"  {conv_id} [{r.turn.topic} -> {r.intent}{' WRONG' if r.wrong else ''}{facts}] {r.turn.say}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="understanding_a")
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--part", choices=("all", "train", "held"), default="all")
    parser.add_argument("--cpu", action="store_true", help="time understanding on the CPU clock of its thread")
    parser.add_argument(
        "--semantic", action="store_true", help="with the semantic second stage (bot/engine/semantic.py)"
    )
    args = parser.parse_args()
    if args.misses and args.part != "train" and args.set == "understanding_t2":
        parser.error(
            "--misses lists a tuning set's train part only (--part train): the held-out part is seen as totals"
        )
    print(f"set {args.set}, load average {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}\n")
    asyncio.run(play(args.set, args.content, args.misses, args.part, args.semantic, args.cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
