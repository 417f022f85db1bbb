"""Where a server's CPU goes, from py-spy's raw samples: each sample counts for the component nearest its leaf.

    .venv/bin/python -m bench.wire_profile FILE [FILE...]     # py-spy record --format raw output

A sample whose innermost recognised frame is SQLAlchemy counts as database, even when the engine
called it; one inside PTB's HTTP stack counts as sending, and so on (self time by component).
"""

from __future__ import annotations

import sys
from collections import Counter

# (component, path fragments), innermost match wins; checked in this order for each frame.
COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("database: drivers", ("asyncpg/", "aiosqlite/", "sqlite3/", "/sqlite_inline.py")),
    ("database: SQLAlchemy + greenlet", ("sqlalchemy/", "greenlet")),
    ("database: our storage code", ("bot/storage/",)),
    ("sending: PTB over httpx", ("httpx/", "httpcore/", "h11/", "anyio/", "sniffio/", "_httpxrequest")),
    ("sending: lean client (http_post.py)", ("bot/channels/http_post.py",)),
    ("sending: aiohttp client", ("aiohttp/client", "aiohttp/connector", "aiohttp_request.py", "whatsapp/api.py")),
    ("sending: PTB (requests, objects)", ("(telegram/_bot.py", "(telegram/request/", "(telegram/ext/")),
    ("PTB Update.de_json, objects", ("(telegram/",)),  # PTB's own files; bot/channels/telegram/ is the channel
    ("engine: dialogue, understanding, features", ("bot/engine/", "bot/topics/", "bot/knowledge/", "lingua", "rapidfuzz", "Sastrawi", "bot/service.py", "bot/i18n")),
    ("query log", ("bot/querylog/",)),
    ("channel: parse, render, answering path", ("bot/channels/",)),
    ("aiohttp server", ("aiohttp/web", "aiohttp/http", "aiohttp/_http", "aiohttp/streams", "aiohttp/base_protocol", "multidict", "yarl")),
    ("json", ("json/",)),
    ("event loop, tasks, thread hand-offs", ("asyncio/", "threading.py", "queue.py", "selectors.py", "concurrent/")),
)  # fmt: skip
OTHER = "other"
PRINTED: list[tuple[str, float, dict[str, float]]] = []


def component(frames: list[str]) -> str:
    for frame in reversed(frames):  # innermost first
        for name, fragments in COMPONENTS:
            if any(f in frame for f in fragments):
                return name
    return OTHER


def split(raw: str) -> dict[str, float]:
    """Share of samples (0..1) per component, from py-spy's raw (collapsed) output."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        counts[component(stack.split(";"))] += int(n)
    total = sum(counts.values()) or 1
    return {name: n / total for name, n in counts.most_common()}


def print_splits() -> None:
    if not PRINTED:
        return
    print("\n## Where the server's CPU goes (py-spy, share of samples and ms per update)")
    for title, cpu_ms, shares in PRINTED:
        print(f"\n{title}: {cpu_ms:.2f} CPU ms per update\n\n| component | share | ms/update |\n| --- | ---: | ---: |")
        for name, share in shares.items():
            print(f"| {name} | {share:.0%} | {share * cpu_ms:.2f} |")


def main(argv: list[str]) -> int:
    for path in argv:
        with open(path) as fh:
            shares = split(fh.read())
        print(f"\n{path}\n| component | share |\n| --- | ---: |")
        for name, share in shares.items():
            print(f"| {name} | {share:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
