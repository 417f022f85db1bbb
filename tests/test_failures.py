"""Failures: the database going away and coming back, platform APIs failing or hanging, and what the logs say.

A content file broken while the bot runs is covered in tests/test_content.py
(test_holder_keeps_last_good_content_when_a_file_breaks, test_running_bot_answers_from_last_good_content);
killing processes under load in tests/test_querylog_sigterm.py (SIGTERM) and tests/test_broadcast_crash.py.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.telegram.send import TelegramSender
from bot.channels.whatsapp import api as whatsapp_api
from bot.engine.types import Reply
from bot.logs import setup_logging
from bot.runtime import Runtime
from bot.storage import outbox, whatsapp_window
from bot.web.app import create_app
from tests.support.graph_api import FakeGraph
from tests.support.postgres import own_postgres_database
from tests.support.servers import running
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import Bench, telegram_settings, webhook_bot

TODAY = date(2026, 11, 23)


# ---- /healthz -------------------------------------------------------------------------------------


async def _health(client: TestClient) -> tuple[int, dict[str, Any]]:
    async with client.get("/healthz") as response:
        return response.status, await response.json()


async def test_healthz_reports_content_database_queue_and_query_log(service: Runtime) -> None:
    db = service.db
    now = datetime.now(UTC)
    for i in range(3):
        assert await outbox.enqueue(db, f"k{i}", f"telegram:{i}", "telegram", "id", "Besok posyandu", now)
    await outbox.claim(db, "telegram", "worker-a", 1, now, timedelta(minutes=5))
    async with db.session() as session:  # the oldest one has waited two minutes
        await session.execute(
            update(outbox.Delivery)
            .where(outbox.Delivery.status == outbox.PENDING)
            .values(created_at=now - timedelta(seconds=120))
        )
    client = TestClient(TestServer(create_app(service), host="127.0.0.1"))
    await client.start_server()
    try:
        status, body = await _health(client)
    finally:
        await client.close()
    assert status == 200 and body["status"] == "ok" and body["database"] == "ok"
    assert body["content_version"] == service.holder.current.version
    assert body["queue"]["pending"] == 2 and body["queue"]["claimed"] == 1
    assert 119 <= body["queue"]["oldest_pending_age_s"] < 180
    assert body["query_log"] == {"pending": service.querylog.writer.pending, "dropped": 0}
    assert body["process"]["rss_mb"] > 10 and body["process"]["python_blocks"] > 10_000


async def test_healthz_with_an_empty_queue(service: Runtime) -> None:
    client = TestClient(TestServer(create_app(service), host="127.0.0.1"))
    await client.start_server()
    try:
        _, body = await _health(client)
    finally:
        await client.close()
    assert body["queue"] == {"pending": 0, "claimed": 0, "oldest_pending_age_s": None}


# ---- the database going away and coming back (PostgreSQL) -----------------------------------------


@pytest.fixture
async def postgres_database() -> AsyncIterator[tuple[str, Any]]:
    async with own_postgres_database() as found:
        yield found


async def _cut(admin: Any, name: str) -> int:
    """Close every server connection of the bot's database (as a failover or a restart does)."""
    query = (
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
    )
    return int(await admin.fetchval(query, name))


async def _answered(tg: FakeTelegram, chats: list[int]) -> None:
    await tg.wait_until(lambda: all(tg.sent_per_chat[c] >= 1 for c in chats), within=20)


@pytest.mark.postgres
async def test_postgres_going_away_and_coming_back(
    tmp_path: Path, postgres_database: tuple[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    name, admin = postgres_database
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg, database_url=url), tg, TODAY) as bot:
        assert bot.client is not None
        await bot.deliver(text_update(1, 42, "berobat gratis pakai KTP"))
        asked = await bot.deliver(text_update(2, 42, "1"))  # the UHC check's first question
        assert asked.intent == "uhc" and any(b.payload.startswith("uhc:") for b in asked.replies[-1].buttons)

        # 1. Every connection cut at once, with a burst arriving: the pool reconnects and nothing is lost.
        burst = [text_update(100 + i, 1000 + i, "halo") for i in range(20)]
        statuses = await asyncio.gather(*(bot.post(u) for u in burst[:10]), _cut(admin, name))
        statuses = [*statuses[:10], *await asyncio.gather(*(bot.post(u) for u in burst[10:]))]
        retry = [u for u, s in zip(burst, statuses, strict=True) if s != 200]
        assert all(s in (200, 503) for s in statuses)
        for u in retry:  # Telegram delivers a 503'd update again
            assert await bot.post(u) == 200
        await _answered(tg, [u["message"]["chat"]["id"] for u in burst])

        # 2. The database refuses connections for a while: the webhook asks Telegram to come back later.
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _cut(admin, name)
        await bot.channel.drain()
        during = [text_update(200 + i, 2000 + i, "jadwal imunisasi campak") for i in range(5)]
        assert [await bot.post(u) for u in during] == [503] * 5
        status, health = await _health(bot.client)
        assert status == 503 and health["database"] == "unavailable" and health["queue"] == "unavailable"
        assert health["content_version"]  # the content is still known
        logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert any("could not store the update" in m for m in logged) and any("ping failed" in m for m in logged)

        # 3. It comes back: the redelivered updates are answered once, and the conversation goes on.
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert [await bot.post(u) for u in during] == [200] * 5
        await _answered(tg, [u["message"]["chat"]["id"] for u in during])
        assert [tg.sent_per_chat[2000 + i] for i in range(5)] == [1] * 5
        following = await bot.deliver(text_update(3, 42, "Belum"))  # the answer to the question asked before
        assert following.intent == "uhc" and following.answered
        assert (await _health(bot.client))[0] == 200
    assert [tg.sent_per_chat[1000 + i] for i in range(20)] == [1] * 20  # no duplicates after the reconnects


# ---- the platform APIs answering 5xx or hanging ---------------------------------------------------


@pytest.fixture
async def hanging_api() -> AsyncIterator[str]:
    """An HTTP server on loopback that accepts every request and never answers."""
    forever = asyncio.Event()

    async def hang(_request: web.Request) -> web.Response:
        await forever.wait()
        return web.Response()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hang)
    async with running(app) as base:
        try:
            yield base
        finally:
            forever.set()  # let the hanging handlers end before the server stops


async def test_telegram_api_timing_out_is_transient(hanging_api: str) -> None:
    bot = Bot("123:hang", base_url=f"{hanging_api}/bot", request=HTTPXRequest(read_timeout=0.5, connect_timeout=0.5))
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await TelegramSender(bot).send("telegram:42", Reply("halo"))
    assert not result.ok and result.transient and not result.blocked  # the worker tries it again later
    assert loop.time() - started < 5


async def test_whatsapp_api_timing_out_is_transient(
    hanging_api: str, service: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whatsapp_api, "TIMEOUT", aiohttp.ClientTimeout(total=0.5))
    key = "whatsapp:6281234567890"
    await whatsapp_window.record_inbound(service.db, key, datetime.now(UTC))
    config = whatsapp_api.GraphConfig(hanging_api, "token", "1234567890")
    sender = whatsapp_api.WhatsAppSender(config, service.db, service.content, service.recipients)
    try:
        result = await sender.send(key, Reply("Halo"))
    finally:
        await sender.close()
    assert not result.ok and result.transient and not result.blocked


@pytest.fixture
async def tg_bot(tmp_path: Path) -> AsyncIterator[tuple[Bench, FakeTelegram]]:
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg), tg, TODAY) as bench:
        yield bench, tg


async def test_telegram_5xx_for_long_is_retried_until_it_heals_and_others_are_served(
    tg_bot: tuple[Bench, FakeTelegram], caplog: pytest.LogCaptureFixture
) -> None:
    bot, tg = tg_bot
    tg.fail(42, status=502, times=None)  # this chat's sends fail every time
    assert await bot.post(text_update(1, 42, "halo")) == 200
    await tg.wait_until(lambda: len([c for c in tg.calls if c.status == 502]) >= 5)  # not given up after three
    assert any("will be tried again" in r.getMessage() for r in caplog.records)
    assert await bot.post(text_update(2, 43, "halo")) == 200
    await tg.wait_sent(43, 1)  # everyone else is answered as before
    assert await bot.post(text_update(3, 42, "menu")) == 200  # waits behind the first answer
    tg.heal(42)
    async with asyncio.timeout(10):
        await bot.channel.drain()
    answers = [o.replies[0].text for i, o in bot.spy.turns if i.user_key == "telegram:42"]
    assert tg.sent_to(42) == answers and len(answers) == 2  # both, once each, in order


async def test_whatsapp_5xx_is_retried_and_answered_once(tmp_path: Path) -> None:
    from tests.support.whatsapp import ANI, WhatsApp, start_whatsapp, wa_settings

    async with FakeGraph() as graph:
        client, service = await start_whatsapp(wa_settings(tmp_path, graph), graph)
        wa = WhatsApp(client, graph, service)
        try:
            graph.fail(ANI, 131000)  # Meta's "something went wrong": a transient error
            sent = await wa.say(ANI, "halo")
            assert len(sent) >= 1 and len(graph.texts_to(ANI)) == len(sent)
        finally:
            await client.close()
            await service.close()


# ---- structured logs ------------------------------------------------------------------------------


async def test_json_logs_of_a_served_conversation_carry_no_personal_data(tg_bot: tuple[Bench, FakeTelegram]) -> None:
    bot, tg = tg_bot
    chat_id, nik, phone = 81234567, "1471010101900001", "081234567890"
    sink = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging("json")
    root.handlers[0].setStream(sink)  # type: ignore[attr-defined]
    try:
        await bot.deliver(text_update(1, chat_id, "halo"))
        await bot.deliver(text_update(2, chat_id, f"NIK saya {nik}, HP {phone}, apakah sudah UHC?"))
        tg.fail(chat_id, status=500, times=2)  # failures, so that errors are logged too (then retried)
        await bot.deliver(text_update(3, chat_id, f"tolong hubungi {phone}"))
        tg.heal(chat_id)
        for i in range(25):  # a flood: the warning names the user by pseudonym only
            await bot.post(text_update(10 + i, chat_id, "halo"))
        await bot.channel.drain()
        logging.getLogger("bot.test").warning("end of conversation")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    lines = sink.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    messages = [r["message"] for r in records]
    assert any("will be tried again" in m for m in messages)
    assert any(m.startswith("flood:") for m in messages)
    everything = sink.getvalue()
    for secret in (str(chat_id), nik, phone, tg.token):
        assert secret not in everything, secret
