"""Write content/phrasings.yaml from the blind tuning sets: residents' own phrasings as matcher data.

    .venv/bin/python tools/resident_phrasings.py [--sets a,b,...] [--content content] [--out FILE] [--without-held]

Each turn that stands alone (a conversation's first, or a later one with nothing to lean on but small talk)
becomes a phrasing of the entry that answers its topic label (bench/blind/topics.py): of the label's entries,
the one the matcher already ranks highest for it (the bot's own answer when that is one of them), read with
the authored questions only, so regenerating gives the same file whatever the file held before. Small talk,
out of scope, emergencies and handover have their own mechanisms and are left out, and so are follow-ups
(their meaning lies in the turn before) and shared locations. Only tuning sets are read: a frozen evaluation
set is never a source (add a set to TUNING when the lead makes it tuning material). `--without-held` leaves out
every set's held-out part (bench.blind.score.held_out): a file for measuring on the held-out parts honestly.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's bot/, whatever venv runs it

from bench.blind.score import HERE, Conversation, held_out, load_conversations
from bench.blind.topics import TOPIC_INTENTS
from bot.engine.requirements import CHECKS
from bot.engine.understanding import Understanding
from bot.knowledge import phrasings
from bot.knowledge.content import Content, load_content

# The blind tuning sets: their file (bench/blind/understanding_<name>.yaml) and when they were written.
TUNING = {
    "a": "2026-11-30",
    "b": "2026-11-30",
    "c": "2026-11-30",
    "d": "2026-11-30",
    "e": "2026-11-30",
    "f": "2026-11-30",
    "g": "2026-12-01",
    "h": "2026-12-01",
    "i": "2026-12-01",
    "j": "2026-12-01",
    "k": "2026-12-01",
    "l": "2026-12-01",
    "m": "2026-12-02",
    "n": "2026-12-02",
    "o": "2026-12-02",  # joined at round 16's end (during it, the engineers' held-out check)
    "t": "2026-11-30",
    "t2": "2026-11-30",
    "t3": "2026-12-01",
}
# Labels other mechanisms answer (smalltalk.yaml, the off-topic words, danger signs, the handover).
OWN_MECHANISM = frozenset({"smalltalk", "out_of_scope", "emergency", "handover"})
LEANS_ON_NOTHING = frozenset({"smalltalk", "handover"})  # a turn after only these stands alone

HEADER = """\
# Kalimat warga sendiri (phrasings): pesan yang ditulis warga, masing-masing dengan entri FAQ yang menjawabnya.
# Bot membacanya sebagai variasi pertanyaan tambahan dari entri itu, dengan bobot sedikit di bawah `questions`
# yang ditulis petugas. Setiap kalimat menyebut asalnya (`source`, didaftar di `sources`) dan letaknya (`ref`).
# Petugas boleh menambah kalimat warga dari daftar pertanyaan yang belum terjawab (dashboard): tulis kalimatnya
# apa adanya, `intent` entri yang menjawabnya, dan sumbernya. `content check` menolak entri yang tidak dikenal.
# Bagian dari set blind dibuat ulang oleh `tools/resident_phrasings.py`; jangan diubah dengan tangan.
"""


def standing_alone(conv: Conversation) -> list[tuple[int, str, str]]:
    """(turn number, text, label) of the turns whose meaning is in their own words."""
    out = []
    before: set[str] = set()
    for n, turn in enumerate(conv.turns, 1):
        alone = n == 1 or "followup" not in conv.tags or before <= LEANS_ON_NOTHING
        if alone and turn.topic not in OWN_MECHANISM and not turn.say.startswith("@"):
            out.append((n, turn.say.strip(), turn.topic))
        before.add(turn.topic)
    return out


def answering(understanding: Understanding, content: Content, text: str, label: str) -> str:
    """The label's entry the matcher ranks highest for the text; else the label's first in content order."""
    allowed = TOPIC_INTENTS[label]
    for m in understanding.match(text, limit=len(content.intents.intents)):
        if m.intent_id in allowed:
            return m.intent_id
    return next(i.id for i in content.intents.intents if i.id in allowed)


def build(content: Content, sets: list[str], without_held: bool = False) -> str:
    # Chosen with the authored questions only: the file being replaced has no say in its successor.
    understanding = Understanding(dataclasses.replace(content, phrasings=phrasings.EMPTY))
    seen: set[str] = set()
    sources, lines = [], []
    for name in sets:
        source = f"blind_{name}"
        sources.append(
            f"  - {{id: {source}, written: blind, date: {TUNING[name]}, note: bench/blind/understanding_{name}.yaml}}\n"
        )
        for conv in load_conversations(HERE / f"understanding_{name}.yaml"):
            if without_held and held_out(conv.id):
                continue
            for n, text, label in standing_alone(conv):
                key = " ".join(text.lower().split())
                if key in seen or label not in TOPIC_INTENTS:
                    continue
                seen.add(key)
                intent = answering(understanding, content, text, label)
                say = json.dumps(text, ensure_ascii=False)
                lines.append(f"  - {{say: {say}, intent: {intent}, source: {source}, ref: {conv.id}.{n}}}\n")
    return HEADER + "sources:\n" + "".join(sources) + "phrasings:\n" + "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(TUNING), help="tuning sets to read, comma-separated")
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--out", type=Path, help="default: phrasings.yaml in the content directory")
    parser.add_argument("--without-held", action="store_true", help="leave out each set's held-out part")
    args = parser.parse_args()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in TUNING]
    if unknown:
        parser.error(f"not a tuning set: {', '.join(unknown)} (tuning sets: {', '.join(TUNING)})")
    content, problems = load_content(args.content, CHECKS)
    if content is None:
        for problem in problems.errors:
            print(problem, file=sys.stderr)
        return 1
    out = args.out or args.content / phrasings.FILES[0]
    text = build(content, sets, args.without_held)
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {text.count('  - {say:')} phrasings from {len(sets)} sets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
