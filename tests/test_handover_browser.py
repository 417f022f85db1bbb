"""The handover in a real headless browser: a resident asks over Telegram or WhatsApp, an officer answers
(on WhatsApp inside the 24-hour window, and outside it through the inviting template).

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

from bot.storage import whatsapp_window
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from tests.support import graph_api as meta
from tests.support.dashboard import PASSWORD
from tests.support.handover import whatsapp_with_dashboard
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import Bench, telegram_settings, webhook_bot
from tests.support.whatsapp import ANI

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


async def _log_in(page: object, base: str, username: str) -> None:
    await page.goto(base + "/dashboard/login")  # type: ignore[attr-defined]
    await page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    await page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    await page.click("button[type=submit]")  # type: ignore[attr-defined]
    await page.wait_for_url("**/dashboard/")  # type: ignore[attr-defined]


async def test_an_officer_answers_a_resident_on_whatsapp_inside_and_outside_the_window(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    async with whatsapp_with_dashboard(tmp_path) as wa:
        await add_staff(wa.service.db, "petugas2", PASSWORD)
        base = str(wa.client.make_url("")).rstrip("/")
        told = await wa.say(ANI, "mau bicara dengan petugas")
        assert "119" in meta.text_of(told[-1])
        await wa.hook.windows.flush()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            stale = await (await browser.new_context(java_script_enabled=False)).new_page()  # a page left open
            await _log_in(page, base, "petugas")
            await _log_in(stale, base, "petugas2")
            await page.goto(base + "/dashboard/conversations")
            await page.click("#queue a")
            conversation = page.url
            assert ANI not in await page.content()
            await stale.goto(conversation)

            await wa.say(ANI, "kartu jkn saya hilang, bisa diurus di mana?")
            await page.wait_for_selector("text=kartu jkn saya hilang", timeout=8000)  # without reloading
            await page.click("#claim")
            await page.wait_for_selector("#reply")
            await stale.click("#claim")  # too late: someone holds it
            assert "sudah diambil petugas lain" in await stale.inner_text("#error")
            assert await stale.locator("#reply").count() == 0

            before = len(wa.graph.accepted)
            await page.fill("#reply", "Bisa di kantor BPJS terdekat, Bu. Bawa KTP dan KK.")
            await page.click("#send")
            await page.wait_for_selector(".delivery.delivered", timeout=8000)
            assert [meta.text_of(m) for m in wa.graph.accepted[before:]] == [
                "👤 Petugas: Bisa di kantor BPJS terdekat, Bu. Bawa KTP dan KK."
            ]
            assert await wa.say(ANI, "baik terima kasih bu") == []  # to the officer, not the bot
            await page.wait_for_selector("text=baik terima kasih bu", timeout=8000)

            # A day later the window is closed; the resident subscribed to reminders meanwhile.
            await ensure_subscriber(wa.service.db, f"whatsapp:{ANI}", "whatsapp")
            await whatsapp_window.close(wa.service.db, f"whatsapp:{ANI}")
            before = len(wa.graph.accepted)
            await page.fill("#reply", "Bu, kartunya sudah bisa diambil.")
            await page.click("#send")
            await page.wait_for_selector(".delivery.template")
            assert [m["type"] for m in wa.graph.accepted[before:]] == ["template"]
            await page.screenshot(path=str(SHOTS / "handover-whatsapp-template-1280.png"), full_page=True)
            read = await wa.say(ANI, "ya?")  # the invitation worked: the officer's words now
            assert [meta.text_of(m) for m in read] == ["👤 Petugas: Bu, kartunya sudah bisa diambil."]

            await page.click("#close")
            await page.wait_for_selector("#status")
            await wa.hook.drain()
            assert "selesai" in meta.text_of(wa.graph.accepted[-1])
            back = await wa.say(ANI, "jadwal imunisasi campak")
            assert back and "Petugas" not in meta.text_of(back[0])  # the bot answers again
            await browser.close()
