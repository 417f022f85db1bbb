"""The dashboard's "try the bot" box: staff testing the answers are not residents asking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.engine.types import Inbound
from bot.reports import build_report
from bot.runtime import Runtime
from bot.storage.staff import add_staff
from bot.web.server import build_app
from tests.support.dashboard import PASSWORD, csrf, login


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[TestClient]:
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as c:
        yield c


async def test_a_try_the_bot_turn_is_not_in_the_report_nor_the_inbox(client: TestClient, service: Runtime) -> None:
    assert await login(client) == 302
    token = csrf(await (await client.get("/dashboard/try")).text())
    answer = await client.post(
        "/dashboard/try", data={"question": "berapa harga rendang di pasar", "csrf_token": token}
    )
    assert 'id="intent">fallback<' in await answer.text()  # the box still shows what the bot answered
    await service.handle(Inbound(user_key="telegram:42", channel="telegram", text="berapa harga sate di pasar"))
    await service.querylog.writer.flush()
    today = datetime.now(service.holder.current.office.zone).date()
    report = await build_report(service.db, today, today)
    assert report.total == 1 and report.channels == ["telegram"]
    assert [g.example for g in report.unanswered] == ["berapa harga sate di pasar"]
