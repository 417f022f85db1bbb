"""Faults from outside on both webhooks: the database stopping mid-traffic, the Graph API failing,
bodies that cannot be read. Nothing accepted is lost and nothing is answered twice."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels import whatsapp
from bot.channels.telegram import CHANNEL_KEY, SECRET_HEADER, WEBHOOK_PATH
from bot.config import Settings
from bot.runtime import Runtime
from bot.storage import answer_outbox as outbox
from bot.web.server import build_app
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph
from tests.support.postgres import own_postgres_database
from tests.support.tcp_proxy import TcpProxy
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import QUICK, SECRET, telegram_settings

WA_SECRET = "app-secret-for-tests"


def both_settings(tmp_path: Path, tg: FakeTelegram, graph: FakeGraph, database_url: str | None = None) -> Settings:
    return dataclasses.replace(
        telegram_settings(tmp_path, tg, database_url),
        whatsapp_access_token=graph.token,
        whatsapp_phone_number_id=graph.phone_number_id,
        whatsapp_app_secret=WA_SECRET,
        whatsapp_verify_token="verify",
        whatsapp_api_base_url=graph.base_url,
    )


class Both:
    """`serve`'s app with both channels, played by a Telegram and a Meta that redeliver on non-2xx."""

    def __init__(self, client: TestClient, tg: FakeTelegram, graph: FakeGraph) -> None:
        self.client, self.tg, self.graph = client, tg, graph
        self.telegram = client.app[CHANNEL_KEY]  # type: ignore[index]
        self.whatsapp = client.app[whatsapp.WEBHOOK]  # type: ignore[index]
        self.telegram.answers.timing = self.whatsapp.answers.timing = QUICK

    async def telegram_post(self, update: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        data = json.dumps(update).encode()
        sent = {"Content-Type": "application/json", SECRET_HEADER: SECRET, **(headers or {})}
        async with self.client.post(WEBHOOK_PATH, data=data, headers=sent) as response:
            return response.status

    async def whatsapp_post(self, body: dict[str, Any]) -> int:
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": meta.sign(raw, WA_SECRET)}
        async with self.client.post(whatsapp.PATH, data=raw, headers=headers) as response:
            return response.status

    async def drain(self) -> None:
        await self.telegram.drain()
        await self.whatsapp.drain()


@asynccontextmanager
async def serving(settings: Settings, tg: FakeTelegram, graph: FakeGraph) -> AsyncIterator[Both]:
    service = await Runtime.open(settings, watch_interval=None)
    client = TestClient(TestServer(build_app(service), host="127.0.0.1"))
    await client.start_server()
    try:
        yield Both(client, tg, graph)
    finally:
        await client.close()
        await service.close()


def _wa(n: int) -> str:
    return f"62812{n:07d}"


# ---- PostgreSQL stopped mid-traffic ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.slow
async def test_postgres_stopped_for_ten_seconds_loses_nothing_on_either_channel(
    tmp_path: Path, tg: FakeTelegram, graph: FakeGraph
) -> None:
    async with own_postgres_database() as (name, _admin), TcpProxy(5432) as proxy:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/{name}"
        async with serving(both_settings(tmp_path, tg, graph, url), tg, graph) as bot:
            refused: list[tuple[str, int]] = []  # what the platforms must deliver again

            async def one(kind: str, n: int) -> None:
                if kind == "telegram":
                    status = await bot.telegram_post(text_update(n, n, "jadwal imunisasi campak"))
                else:
                    status = await bot.whatsapp_post(meta.webhook([meta.text(_wa(n), "halo", message_id=f"wamid.{n}")]))
                assert status in (200, 503), status
                if status != 200:
                    refused.append((kind, n))

            async def traffic(first: int, seconds: float) -> None:
                loop = asyncio.get_running_loop()
                end, n = loop.time() + seconds, first
                while loop.time() < end:
                    await asyncio.gather(one("telegram", n), one("whatsapp", n))
                    n += 1
                    await asyncio.sleep(0.02)
                sent.extend(range(first, n))

            sent: list[int] = []
            await traffic(10_000, 1.0)
            stopped = asyncio.create_task(traffic(20_000, 10.0))
            await asyncio.sleep(0.2)
            await proxy.cut()  # "PostgreSQL stopped": connections reset, new ones refused
            await asyncio.sleep(10.0)
            proxy.restore()
            await stopped
            await traffic(30_000, 1.0)
            assert refused, "the outage refused nothing: it did not happen"
            again, refused[:] = list(refused), []
            for kind, n in again:  # Telegram and Meta deliver a refused update again
                await one(kind, n)
            assert refused == []
            async with asyncio.timeout(60):
                while not all(tg.sent_per_chat[n] >= 1 and graph.sent_to(_wa(n)) for n in sent):  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
                await bot.drain()
            assert [n for n in sent if tg.sent_per_chat[n] != 1] == []  # 0 lost, 0 doubled
            assert [n for n in sent if len(graph.sent_to(_wa(n))) != 1] == []
            rows = await outbox.rows(bot.telegram.db)
            assert {r.status for r in rows} == {outbox.SENT} and len(rows) == 2 * len(sent)


# ---- the Graph API failing ------------------------------------------------------------------------


async def test_graph_api_down_then_back_answers_once(tmp_path: Path, tg: FakeTelegram, graph: FakeGraph) -> None:
    async with serving(both_settings(tmp_path, tg, graph), tg, graph) as bot:
        graph.down = 500
        for n in range(5):
            assert await bot.whatsapp_post(meta.webhook([meta.text(_wa(n), "halo")])) == 200
        await asyncio.sleep(1.0)  # several tries fail meanwhile
        assert graph.accepted == []
        graph.down = None
        async with asyncio.timeout(10):
            await bot.drain()
        assert [len(graph.sent_to(_wa(n))) for n in range(5)] == [1] * 5


# ---- bodies that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_corrupt_compressed_bodies_are_400_on_both_webhooks(
    tmp_path: Path, tg: FakeTelegram, graph: FakeGraph, encoding: str
) -> None:
    garbage = b"\x1f\x8b\x08\x00 this is not what it claims to be" * 3
    async with serving(both_settings(tmp_path, tg, graph), tg, graph) as bot:
        # aiohttp closes a connection whose body it could not read: one connection per request.
        headers = {"Content-Type": "application/json", "Content-Encoding": encoding, "Connection": "close"}
        async with bot.client.post(WEBHOOK_PATH, data=garbage, headers={**headers, SECRET_HEADER: SECRET}) as r:
            assert r.status == 400
        async with bot.client.post(whatsapp.PATH, data=garbage, headers=headers) as r:  # before the signature
            assert r.status == 400
        signed = {**headers, "X-Hub-Signature-256": meta.sign(garbage, WA_SECRET)}
        async with bot.client.post(whatsapp.PATH, data=garbage, headers=signed) as r:
            assert r.status == 400
        # A well-made compressed body still works.
        update = json.dumps(text_update(1, 42, "halo")).encode()
        gz = {"Content-Type": "application/json", "Content-Encoding": "gzip", SECRET_HEADER: SECRET}
        async with bot.client.post(WEBHOOK_PATH, data=gzip.compress(update), headers=gz) as r:
            assert r.status == 200
        await bot.drain()
        assert len(tg.sent_to(42)) == 1
        assert await outbox.rows(bot.telegram.db) != []
