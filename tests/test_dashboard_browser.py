"""The dashboard in a real headless browser: log in, see the charts, work the inbox, try the bot, log out.

Screenshots of every page are saved to a temporary folder (printed, and kept as CI artefacts).
Needs Debian's chromium (installed by .ci/run); locally the test skips without it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.runtime import Runtime
from bot.storage import broadcasts
from bot.storage.querylog import Feedback, QueryRow, write_batch
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from bot.web.server import build_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "rahasia-sekali-123"
SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or tempfile.mkdtemp(prefix="tanyasehat-dashboard-"))

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


async def seed(service: Runtime) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(service.holder.current.office.zone).date()
    rows: list[QueryRow] = []
    feedback: list[Feedback] = []
    texts = [
        ("harga obat batuk berapa", "fallback", False),
        ("harga obat batuk brp", "fallback", False),
        ("berapa harga obat batuk", "fallback", False),
        ("jadwal sepak bola", "fallback", False),
        ("imunisasi bayi 2 bulan", "imunisasi_usia", True),
        ("halo", "greeting", True),
    ]
    for day_back in range(5):
        for i, (text, intent, answered) in enumerate(texts):
            rows.append(
                QueryRow(
                    ref=uuid.uuid4().hex,
                    at=now - timedelta(days=day_back),
                    day=today - timedelta(days=day_back),
                    channel="telegram" if i % 2 else "whatsapp",
                    user_pseudonym=f"p{i}",
                    text=text,
                    intent=intent,
                    confidence=0.9 if answered else 0.1,
                    answered=answered,
                    response_ms=3 + i,
                    content_version=service.holder.current.version,
                    kelurahan_code=None,
                    feedback_asked=answered,
                )
            )
            if answered:
                feedback.append(Feedback(ref=rows[-1].ref, user_pseudonym=f"p{i}", helpful=True))
    await write_batch(service.db, [*rows, *feedback])
    await ensure_subscriber(service.db, "telegram:501", "telegram")
    await broadcasts.create_broadcast(
        service.db,
        "telegram:900",
        "id",
        "staff",
        "Posyandu Melati buka Selasa pukul 08.00.",
        None,
        now + timedelta(days=1),
        None,
    )
    await add_staff(service.db, "petugas", PASSWORD)


@pytest.fixture
async def dashboard_url(service: Runtime) -> AsyncIterator[str]:
    await seed(service)
    runner = web.AppRunner(build_app(service))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_dashboard_in_a_real_browser(dashboard_url: str) -> None:
    from playwright.async_api import async_playwright

    await asyncio.to_thread(SHOTS.mkdir, parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = await browser.new_page(viewport={"width": 412, "height": 900})  # a phone-sized screen

        async def shot(name: str) -> None:
            await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

        await page.goto(dashboard_url + "/dashboard/")
        assert page.url.endswith("/dashboard/login")
        await shot("01-login")
        await page.fill("input[name=username]", "petugas")
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url("**/dashboard/")
        assert await page.locator("svg.chart").count() >= 3
        assert await page.inner_text("#total") == "30"
        await shot("02-overview")

        await page.click("a[href='/dashboard/inbox']")
        groups = page.locator("section.group")
        assert await groups.count() == 2  # the three spellings of the price question are one group
        first = groups.first
        assert (await first.locator(".count").inner_text()).startswith("15")
        await shot("03-inbox")
        await first.locator("select[name=status]").select_option("not_our_topic")
        await first.locator("button[type=submit]").click()
        await page.wait_for_url("**/dashboard/inbox")
        assert await page.locator("section.group").count() == 1  # marked groups leave the open list

        await page.click("a[href='/dashboard/broadcasts']")
        assert "Posyandu Melati" in await page.inner_text("table")
        assert "telegram:900" not in await page.content()  # no raw user id anywhere
        await shot("04-broadcasts")

        await page.click("a[href='/dashboard/subscribers']")
        await shot("05-subscribers")
        await page.click("a[href='/dashboard/content']")
        await shot("06-content")

        await page.click("a[href='/dashboard/try']")
        await page.fill("input[name=question]", "halo")
        await page.click("#ask")
        await page.wait_for_selector("#intent")
        assert await page.inner_text("#intent") == "greeting"
        await shot("07-try")

        await page.click("#logout")
        await page.wait_for_url("**/dashboard/login")
        await page.goto(dashboard_url + "/dashboard/inbox")
        assert page.url.endswith("/dashboard/login")
        await browser.close()
    print(f"dashboard screenshots: {SHOTS}")
