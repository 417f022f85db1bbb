"""Officers on the dashboard against a running bot: their own browsers (cookies), forms with CSRF, a
WhatsApp bot with the dashboard, a conversation claimed over WhatsApp."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bot.runtime import Runtime
from bot.storage import handover as store
from bot.storage.staff import add_staff
from bot.web.server import build_app
from tests.support import graph_api as meta
from tests.support.dashboard import PASSWORD, csrf, login
from tests.support.graph_api import FakeGraph
from tests.support.whatsapp import ANI, WhatsApp, wa_settings


def officer(client: TestClient) -> aiohttp.ClientSession:
    """A browser of its own (its own cookies) against the running app."""
    return aiohttp.ClientSession(base_url=str(client.make_url("")), cookie_jar=aiohttp.CookieJar(unsafe=True))


async def post_form(session: aiohttp.ClientSession | TestClient, page: str, action: str, **data: str) -> str:
    """Open `page`, post its form to `action` as a browser would; the page it lands on."""
    token = csrf(await (await session.get(page)).text())
    async with session.post(action, data={"csrf_token": token, **data}) as response:
        assert response.status == 200, response.status
        return await response.text()


def conversation_links(html: str) -> list[str]:
    return [f"/dashboard/conversations/{n}" for n in re.findall(r'href="/dashboard/conversations/(\d+)"', html)]


@asynccontextmanager
async def whatsapp_with_dashboard(tmp_path: Path, content: Path | None = None) -> AsyncIterator[WhatsApp]:
    """The WhatsApp webhook and the dashboard on one app, the fake Graph API behind; officer 'petugas'."""
    async with FakeGraph() as graph:
        settings = wa_settings(tmp_path, graph)
        if content is not None:
            from dataclasses import replace

            settings = replace(settings, content_dir=content)
        service = await Runtime.open(settings, watch_interval=None)
        client = TestClient(TestServer(build_app(service)))
        await client.start_server()
        await add_staff(service.db, "petugas", PASSWORD)
        try:
            yield WhatsApp(client, graph, service)
        finally:
            await client.close()
            await service.close()


async def claimed_over_whatsapp(wa: WhatsApp, wa_id: str = ANI) -> tuple[str, store.Case]:
    """The resident asks for a person, the officer logs in and claims the conversation; its page."""
    told = await wa.say(wa_id, "bisa chat sama orang?")
    assert "119" in meta.text_of(told[-1])
    await wa.hook.windows.flush()  # the resident's message opened the 24-hour window
    assert await login(wa.client) == 302
    case = await store.current(wa.service.db, f"whatsapp:{wa_id}")
    assert case is not None
    page = f"/dashboard/conversations/{case.id}"
    await post_form(wa.client, page, f"{page}/claim")
    return page, case
