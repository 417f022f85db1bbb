"""Scale-out: two `serve --no-worker` and two `worker` processes on one PostgreSQL database behind nginx.

nginx (Debian's package, /usr/sbin/nginx) runs as a child process with its own prefix and
configuration in a temporary directory (`daemon off`), made from deploy/nginx.conf with the
upstreams, the listen address and the log paths replaced for loopback. Updates of one user's
conversation go through nginx, round robin, so consecutive updates land on different serve
processes; the answers must be the ones a single process gives. A broadcast is then sent by
both workers together: every subscriber gets it exactly once.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH
from bot.runtime import Runtime
from bot.storage import broadcasts, outbox, subscriptions
from bot.storage.db import Database
from tests.support.chat import Chat
from tests.support.nginx import HAVE_NGINX, NGINX, TEMPLATE
from tests.support.nginx import nginx as proxied
from tests.support.postgres import own_postgres_database
from tests.support.servers import server_process
from tests.support.telegram_api import FakeTelegram, text_update

ROOT = Path(__file__).resolve().parent.parent
SECRET = "scale-out-secret"
SUBSCRIBERS = 120
# The UHC check and the immunization menu: every step depends on the state the step before left.
SCRIPT = ("berobat gratis pakai KTP", "1", "1", "1", "1", "menu", "1", "1")


@asynccontextmanager
async def nginx(upstreams: list[int]) -> AsyncIterator[tuple[str, Path]]:
    """nginx in front of `upstreams` (tests/support/nginx.py); skipped without nginx, except in CI."""
    if not HAVE_NGINX:
        if os.environ.get("CI") or os.environ.get("REQUIRE_NGINX"):
            pytest.fail("nginx is required in CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    async with proxied(upstreams) as found:
        yield found


@asynccontextmanager
async def workers(count: int, env: dict[str, str]) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", env={**os.environ, **env}, stdout=subprocess.DEVNULL
        )
        for _ in range(count)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.terminate()
        for proc in procs:
            await asyncio.wait_for(proc.wait(), 30)


def plain(text: str) -> str:
    """What the user reads of a Telegram HTML message."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def reference(tmp_path: Path) -> list[str]:
    """The first line of the first answer to each step, from one process on its own database."""
    from tests.support.settings import make_settings

    service = await Runtime.open(make_settings(tmp_path), watch_interval=None)
    try:
        chat = Chat(service, user="ref")
        return [(await chat.say(line))["replies"][0]["text"].splitlines()[0] for line in SCRIPT]
    finally:
        await service.close()


@pytest.fixture
async def postgres_database() -> AsyncIterator[tuple[str, Any]]:
    async with own_postgres_database() as found:
        yield found


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_serve_and_two_workers_behind_nginx(tmp_path: Path, postgres_database: tuple[str, Any]) -> None:
    name, _admin = postgres_database
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    expected = await reference(tmp_path)
    async with FakeTelegram() as tg, AsyncExitStack() as stack:
        env = {
            "DATABASE_URL": url,
            "CONTENT_DIR": str(ROOT / "content"),
            "PSEUDONYM_KEY": "scale-out",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": tg.api_url,
            "BROADCAST_HOUSEKEEPING_SECONDS": "0.5",
            "BROADCAST_POLL_SECONDS": "0.2",
        }
        upgrade = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "upgrade", env={**os.environ, **env}, stdout=subprocess.DEVNULL
        )
        assert await upgrade.wait() == 0  # once, before several processes start on the database
        serve = [sys.executable, "-m", "bot", "serve", "--no-worker"]
        bases = [await stack.enter_async_context(server_process(serve, env=env)) for _ in range(2)]
        ports = [int(base.rsplit(":", 1)[1]) for base in bases]
        proxy, prefix = await stack.enter_async_context(nginx(ports))
        session = await stack.enter_async_context(aiohttp.ClientSession())

        # 1. One user's conversation, each update through nginx, round robin over the two processes.
        chat_id = 4242
        for i, line in enumerate(SCRIPT):
            before = tg.sent_per_chat[chat_id]
            body = text_update(10_000 + i, chat_id, line)
            async with session.post(proxy + WEBHOOK_PATH, json=body, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200
            await tg.wait_until(partial(lambda b: tg.sent_per_chat[chat_id] > b, before), within=20)
            await asyncio.sleep(0.3)  # the rest of this step's messages (the chat's answers leave in order)
            first = [m["text"] for m in tg.sent if m["chat_id"] == chat_id][before]
            assert plain(first).splitlines()[0] == expected[i], (i, line)
        # Consecutive updates were served by different processes (nginx logged which upstream took each).
        served = [line.split()[2] for line in (prefix / "access.log").read_text().splitlines() if WEBHOOK_PATH in line]
        assert len(served) == len(SCRIPT) and {a.rsplit(":", 1)[1] for a in served} == {str(p) for p in ports}
        assert all(a != b for a, b in itertools.pairwise(served)), served

        # 2. A broadcast to everyone, shared by two worker processes: each subscriber gets it exactly once.
        db = Database(url)
        try:
            keys = [f"telegram:{900_000 + i}" for i in range(SUBSCRIBERS)]
            for key in keys:
                await subscriptions.subscribe_area(db, key, "telegram", "id", "14.71.01.1004")
            text = "Posyandu Mawar buka Kamis jam 08.00, bawa buku KIA."
            await broadcasts.create_broadcast(db, "telegram:1", "id", "staff", text, None, datetime.now(UTC), None)
            await stack.enter_async_context(workers(2, env))
            chats = [900_000 + i for i in range(SUBSCRIBERS)]
            await tg.wait_until(lambda: all(tg.sent_per_chat[c] >= 1 for c in chats), within=60)
            await asyncio.sleep(2)  # anything sent twice would have arrived by now
            assert [tg.sent_per_chat[c] for c in chats] == [1] * SUBSCRIBERS
            async with db.session() as s:
                by_worker = dict(
                    (await s.execute(
                        select(outbox.Delivery.claimed_by, func.count())
                        .where(outbox.Delivery.broadcast_id.is_not(None))
                        .group_by(outbox.Delivery.claimed_by)
                    )).all()
                )  # fmt: skip
        finally:
            await db.dispose()
        assert len(by_worker) == 2 and sum(by_worker.values()) == SUBSCRIBERS, by_worker
        assert tg.duplicates == 0


def test_the_production_template_passes_nginx_t(tmp_path: Path) -> None:
    """deploy/nginx.conf as an operator installs it (inside nginx's http block), with a throwaway certificate."""
    if not HAVE_NGINX or shutil.which("openssl") is None:
        pytest.skip("nginx or openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"]
    subprocess.run(
        [*openssl, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = (
        TEMPLATE.read_text()
        .replace("/etc/letsencrypt/live/bot.example.go.id/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/bot.example.go.id/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    main = f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    include {tmp_path}/site.conf;\n}}\n"
    (tmp_path / "nginx.conf").write_text(main)
    command = [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")]
    checked = subprocess.run(command, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
