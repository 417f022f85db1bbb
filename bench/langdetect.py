"""Language detection: how often the message's language is read right, and what it costs.

    python -m bench.langdetect                            # the frozen evaluation set (reported on, never tuned on)
    python -m bench.langdetect --set bench/lang/tune.jsonl --misses   # the tuning set; list what it got wrong

A set is JSON lines: {"text": ..., "lang": "id"|"en"} (Riau Malay is labelled id, or "ms": counted as
id, so bench/blind/danger_tune.jsonl, 1,681 chat messages of the danger tuning set, also works). The detector
answers en, id or "not clear" (short neutral messages); "not clear" keeps the conversation's
language, which for a new resident is Indonesian, so it is scored as id. A false "English" on
an Indonesian message is counted apart: it is the worst error.

Cost: time per message (best of `--repeats` runs, after a warm-up), p50 / p99 over the set,
with the machine's load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bot.engine import langdetect
from bot.engine.langdetect import detect, place_words
from bot.knowledge.content import load_content

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "bench" / "blind" / "lang_eval.jsonl"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    content, _ = load_content(ROOT / "content")
    neutral = place_words(content) if content is not None else frozenset()
    rows = [json.loads(line) for line in Path(args.set).read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["lang"] = "id" if row["lang"] == "ms" else row["lang"]  # Riau Malay is answered in Indonesian
    langdetect.warm_up()
    right = false_en = unclear = 0
    times: list[float] = []
    for row in rows:
        best = float("inf")
        for _ in range(args.repeats):
            started = time.perf_counter()
            found = detect(row["text"], neutral)
            best = min(best, time.perf_counter() - started)
        times.append(best)
        unclear += found is None
        read = found or "id"
        right += read == row["lang"]
        false_en += read == "en" and row["lang"] == "id"
        if args.misses and read != row["lang"]:
            print(f"  miss ({row['lang']} read as {found}): {row['text']}")
    times.sort()
    n = len(rows)
    ids = sum(r["lang"] == "id" for r in rows)
    print(f"set {args.set}: {n} messages ({ids} id, {n - ids} en)")
    print(f"right {right}/{n} = {100 * right / n:.1f}%; false English {false_en}/{ids}; not clear {unclear}")
    p50, p99 = times[n // 2] * 1000, times[min(n - 1, int(n * 0.99))] * 1000
    print(f"cost per message: p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {times[-1] * 1000:.3f} ms")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
