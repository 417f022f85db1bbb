"""Write bot/engine/stems.tsv: Sastrawi's stem of every word the shipped content's understanding stems.

    .venv/bin/python tools/stem_table.py [--out bot/engine/stems.tsv]

Building the understanding stems about 1,600 words of content/ and the office packs (offices/*) that are
no root, at 0.3-0.8 ms each in Sastrawi: a quarter of the build, paid by every process (each `chat --jsonl`).
The table holds Sastrawi's own answers (tests/test_match_cost.py checks every line against it); a word it lacks,
as after an edit of the content, is stemmed by Sastrawi as before. Run again after large content changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's bot/, whatever venv runs it

from bot.engine import stemmer  # noqa: E402
from bot.engine.understanding import Understanding  # noqa: E402
from bot.knowledge.content import load_content  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "bot" / "engine" / "stems.tsv")
    args = parser.parse_args()
    stems: dict[str, str] = {}
    real = stemmer.sastrawi_stem

    def recorded(word: str) -> str:
        stems[word] = found = real(word)
        return found

    stemmer.sastrawi_stem = recorded  # type: ignore[assignment]
    stemmer.TABLE_OFF = True
    for directory in [ROOT / "content", *sorted(p.parent for p in (ROOT / "offices").glob("*/office.yaml"))]:
        content, problems = load_content(directory)
        if content is None:
            print(f"{directory}: not loaded ({len(problems)} problems)", file=sys.stderr)
            continue
        Understanding(content)
        stemmer.stem.cache_clear()
    lines = [f"{word}\t{stems[word]}" for word in sorted(stems)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
