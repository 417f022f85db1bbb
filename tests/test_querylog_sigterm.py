"""SIGTERM under load: `chat --jsonl` is killed mid-stream and every answered message still has its log row."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import require_postgres
from tests.support.settings import CONTENT, ROOT

LINES = ("halo", "imunisasi campak umur berapa", "berapa harga rendang", "menu", "apa itu uhc", "1", "jadwal posyandu")


def _start(database_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "CONTENT_DIR": str(CONTENT), "PSEUDONYM_KEY": "k"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--jsonl", "--today", "2026-11-23"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def _run(database_url: str, load: bool) -> tuple[list[str], int, str]:
    """Feed lines (endlessly under load, else a few then wait), SIGTERM after 60 answers; the answered inputs."""
    proc = _start(database_url)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stop = threading.Event()

    def feed() -> None:
        n = 0
        try:
            while not stop.is_set() and (load or n < 60):
                proc.stdin.write(f"{LINES[n % len(LINES)]}\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
                n += 1
        except (BrokenPipeError, OSError, ValueError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    answered: list[str] = []
    for line in proc.stdout:
        answered.append(json.loads(line)["in"])
        if len(answered) == 60:
            if not load:
                time.sleep(0.3)  # now the bot waits for input
            proc.send_signal(signal.SIGTERM)
            break
    answered += [json.loads(line)["in"] for line in proc.stdout]  # the answer in hand still goes out
    stop.set()
    code = proc.wait(timeout=30)
    stderr = proc.stderr.read()
    return answered, code, stderr


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/bot.db"
        return
    require_postgres()
    name = f"q7_{uuid.uuid4().hex[:10]}"
    subprocess.run([sys.executable, "-c", _PG.format(sql=f'CREATE DATABASE "{name}"')], check=True)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run([sys.executable, "-c", _PG.format(sql=f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')])


_PG = """
import asyncio, asyncpg
async def main():
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute('{sql}')
    await conn.close()
asyncio.run(main())
"""


def _logged_texts(database_url: str) -> list[str | None]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split("///", 1)[1]) as conn:
            return [r[0] for r in conn.execute("SELECT text FROM query_log")]
    code = f"""
import asyncio, asyncpg, json
async def main():
    conn = await asyncpg.connect("{database_url.replace("+asyncpg", "")}")
    print(json.dumps([r[0] for r in await conn.fetch("SELECT text FROM query_log")]))
    await conn.close()
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return list(json.loads(out))


@pytest.mark.slow
@pytest.mark.parametrize("load", [True, False], ids=["under-load", "idle"])
def test_sigterm_loses_no_log_row(database_url: str, load: bool) -> None:
    answered, code, stderr = _run(database_url, load)
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert len(answered) >= 60
    missing = Counter(answered) - Counter(_logged_texts(database_url))
    assert not missing, f"answered but not logged: {missing}"
