"""What residents wait while staff's content edit goes live: the loop's largest gap and the slowest turn (leftover 1).

    cd TREE && PYTHONPATH=. .venv/bin/python -m bench.content_reload [label]

A runtime on a copy of content/ with the watcher at 0.05 s answers one question, then `faq/posyandu.yaml` is edited
while a new resident asks every 20 ms until three answers show the edit; a task wakes every 5 ms and notes the
largest gap between its wake-ups. Run it from each tree, interleaved: wall clock, so read same-run pairs.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bot.runtime import Runtime
from tests.support.chat import Chat, text_of
from tests.support.settings import make_settings

BEFORE, AFTER = "Posyandu buka sebulan sekali", "Posyandu kini buka dua kali sebulan"
ASK = "jadwal posyandu kapan"


async def main(label: str) -> None:
    tmp = Path(tempfile.mkdtemp())
    content = tmp / "content"
    shutil.copytree("content", content)
    start = time.perf_counter()
    runtime = await Runtime.open(make_settings(tmp, content=content), watch_interval=0.05)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    await Chat(runtime, user="r0").say(ASK)
    first = time.perf_counter() - start
    path = content / "faq" / "posyandu.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(BEFORE, AFTER), encoding="utf-8")
    gaps: list[float] = []

    async def beat() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beating = asyncio.create_task(beat())
    turns: list[float] = []
    new = 0
    while new < 3:
        start = time.perf_counter()
        said = await Chat(runtime, user=f"r{len(turns) + 1}").say(ASK)
        turns.append(time.perf_counter() - start)
        new += AFTER in text_of(said)
        await asyncio.sleep(0.02)
    beating.cancel()
    await runtime.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{label}: load {os.getloadavg()[0]:.1f}, open {opened:.2f} s, first turn {first * 1000:.0f} ms; during the "
        f"reload {len(turns)} turns, slowest {max(turns):.2f} s, largest loop gap {max(gaps):.2f} s"
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "this tree"))
