"""The handover in a real headless browser: a resident asks over Telegram, an officer answers.

Screenshots of the conversations pages at 1280 px and 390 px go to the same folder as the
dashboard's (tests/test_dashboard_browser.py). Needs Debian's chromium; locally it skips without it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.staff import add_staff
from tests.support.dashboard import PASSWORD
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import Bench, telegram_settings, webhook_bot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or tempfile.mkdtemp(prefix="tanyasehat-handover-"))
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)

CHAT = 5151


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[tuple[Bench, FakeTelegram]]:
    async with FakeTelegram() as tg, webhook_bot(telegram_settings(tmp_path, tg), tg) as bench:
        await add_staff(bench.service.db, "petugas", PASSWORD)
        await add_staff(bench.service.db, "petugas2", PASSWORD)
        yield bench, tg


async def test_an_officer_answers_a_resident_in_a_real_browser(bot: tuple[Bench, FakeTelegram]) -> None:
    from playwright.async_api import async_playwright

    bench, tg = bot
    assert bench.client is not None
    base = str(bench.client.make_url("")).rstrip("/")
    await asyncio.to_thread(SHOTS.mkdir, parents=True, exist_ok=True)
    await bench.deliver(text_update(1, CHAT, "mau bicara dengan petugas"))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        other = await browser.new_context(viewport={"width": 390, "height": 844})
        second = await other.new_page()

        async def log_in(p: object, username: str) -> None:
            await p.goto(base + "/dashboard/login")  # type: ignore[attr-defined]
            await p.fill("input[name=username]", username)  # type: ignore[attr-defined]
            await p.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
            await p.click("button[type=submit]")  # type: ignore[attr-defined]
            await p.wait_for_url("**/dashboard/")  # type: ignore[attr-defined]

        await log_in(page, "petugas")
        await log_in(second, "petugas2")
        await page.click("a[href='/dashboard/conversations']")
        await page.screenshot(path=str(SHOTS / "handover-queue-1280.png"), full_page=True)
        await second.goto(base + "/dashboard/conversations")
        await second.screenshot(path=str(SHOTS / "handover-queue-390.png"), full_page=True)
        await page.click("#queue a")
        conversation = page.url
        assert str(CHAT) not in await page.content()

        await bench.deliver(text_update(2, CHAT, "anak saya demam 3 hari, obatnya apa ya"))
        await page.wait_for_selector("text=anak saya demam 3 hari", timeout=8000)  # appeared without reloading

        await page.click("#claim")
        await page.wait_for_selector("#reply")
        await second.goto(conversation)
        assert await second.locator("#claim").count() == 0  # held: nothing to claim
        await page.fill("#reply", "Selamat siang Bu, saya Rina. Sudah berapa tinggi demamnya?")
        await page.click("#send")
        await page.wait_for_selector(".delivery.delivered")
        assert tg.sent_to(CHAT)[-1].endswith("Sudah berapa tinggi demamnya?")

        quiet = await bench.deliver(text_update(3, CHAT, "39 derajat bu"))
        assert quiet.intent == "handover" and quiet.replies == ()
        await page.wait_for_selector("text=39 derajat bu", timeout=8000)
        await page.screenshot(path=str(SHOTS / "handover-conversation-1280.png"), full_page=True)
        await second.goto(conversation)
        await second.screenshot(path=str(SHOTS / "handover-conversation-390.png"), full_page=True)

        await page.click("a[href^='/dashboard/drafts/new?event=']")  # the officer's answer as a draft FAQ entry
        await page.wait_for_selector("#draft-form")
        assert "Sudah berapa tinggi demamnya?" in await page.input_value("textarea[name=answer]")
        await page.fill("input[name=title]", "Demam anak tiga hari")
        await page.fill("input[name=id]", "demam_anak_tiga_hari")
        await page.screenshot(path=str(SHOTS / "draft-form-1280.png"), full_page=True)
        await page.click("#save-draft")
        await page.wait_for_selector("#snippet")
        assert "demam_anak_tiga_hari" in await page.inner_text("#snippet")
        await page.screenshot(path=str(SHOTS / "draft-1280.png"), full_page=True)
        await second.goto(page.url)
        await second.screenshot(path=str(SHOTS / "draft-390.png"), full_page=True)
        await page.goto(conversation)

        await page.click("#close")
        await page.wait_for_selector("#status")
        assert "selesai" in tg.sent_to(CHAT)[-1]
        back = await bench.deliver(text_update(4, CHAT, "jadwal imunisasi campak"))
        assert back.intent != "handover"
        await browser.close()
    print(f"handover screenshots: {SHOTS}")
