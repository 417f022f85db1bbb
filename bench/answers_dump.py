"""Every answer of the tuning sets, one JSON line per message: diff two trees' dumps to show a speed change
kept every answer.

    PYTHONPATH=. .venv/bin/python -m bench.answers_dump OUT.jsonl [--sets a,b,...] [--danger b,c,...]

Run it from each tree (its own code and content: `cd TREE && PYTHONPATH=. .venv/bin/python
/path/to/bench/answers_dump.py OUT`) and `diff` the two files. The understanding sets' conversations are
played as bench.blind.run plays them (one user per conversation, today 30 November 2026); each line of a
danger set is one new user's single message. Only tuning sets, named one by one (never a glob: the newest
letter is frozen). The query log's feedback refs (random hex) are blanked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
from pathlib import Path

from bench.blind.run import TODAY, messages
from bench.blind.score import HERE, load_conversations
from bot.channels.console import outcome_json, parse_line
from bot.config import Settings
from bot.runtime import Runtime

UNDERSTANDING = "a,b,c,d,e,f,g,h,i,j,k,l,t,t2,t3"
DANGER = "b,c,d,e,f,g,h,i,j,k,l"
FROZEN = "p"
RANDOM_HEX = re.compile(r"[0-9a-f]{32}")


async def dump(out: Path, understanding: list[str], danger: list[str]) -> int:
    count = 0
    with tempfile.TemporaryDirectory() as tmp, out.open("w", encoding="utf-8") as sink:
        settings = Settings.from_env(
            {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/dump.db", "CONTENT_DIR": "content", "PSEUDONYM_KEY": "b"}
        )
        service = await Runtime.open(settings, watch_interval=None)
        try:
            for letter in understanding:
                for conv in load_conversations(HERE / f"understanding_{letter}.yaml"):
                    for turn in conv.turns:
                        for said in messages(turn.say):
                            outcome = await service.handle(parse_line(said, f"console:{letter}:{conv.id}"), today=TODAY)
                            line = RANDOM_HEX.sub("<ref>", outcome_json(said, outcome))
                            sink.write(f"u{letter}\t{conv.id}\t{line}\n")
                            count += 1
            for letter in danger:
                path = HERE / f"danger_eval_{letter}.jsonl"
                for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines()):
                    if not raw.strip():
                        continue
                    text = " ".join(json.loads(raw)["text"].split())
                    outcome = await service.handle(parse_line(text, f"console:d{letter}:{n}"), today=TODAY)
                    sink.write(f"d{letter}\t{n}\t{RANDOM_HEX.sub('<ref>', outcome_json(text, outcome))}\n")
                    count += 1
        finally:
            await service.close()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sets", default=UNDERSTANDING, help="understanding sets' letters")
    parser.add_argument("--danger", default=DANGER, help="danger_eval sets' letters ('' for none)")
    args = parser.parse_args(argv)
    understanding = [s for s in args.sets.split(",") if s]
    danger = [s for s in args.danger.split(",") if s]
    if FROZEN in understanding or FROZEN in danger:
        parser.error(f"set {FROZEN} is frozen: never played here")
    print(f"{asyncio.run(dump(args.out, understanding, danger))} messages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
