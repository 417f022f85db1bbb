"""The dashboard fixes that only a browser shows: the navigation on one line at 1280 px, the language
choice kept while clicking through, column headers with words, the favicon.

Needs Debian's chromium (installed by .ci/run); locally it skips without it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.runtime import Runtime
from bot.storage.staff import add_staff
from bot.web.server import build_app
from tests.support.dashboard import PASSWORD, log_questions
from tests.support.settings import make_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


LONG_NAME = "Dinas Kesehatan Kabupaten Kepulauan Meranti"  # one of the longest office names


@pytest.fixture
async def base(tmp_path: Path, content_dir: Path) -> AsyncIterator[str]:
    office = content_dir / "office.yaml"
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace("name: Dinas Kesehatan Kota Pekanbaru", f"name: {LONG_NAME}"), encoding="utf-8")
    service = await Runtime.open(make_settings(tmp_path, content_dir), watch_interval=None)
    assert service.holder.current.office.name == LONG_NAME
    zone = service.holder.current.office.zone
    await log_questions(service.db, zone, [(0, "telegram", "apa itu ckg", "ckg", True)] * 3)
    await add_staff(service.db, "petugas.kecamatan.tampan", PASSWORD)  # a long login in the header
    runner = web.AppRunner(build_app(service))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()
    await service.close()


NAV_ROWS = """() => {
  const links = [...document.querySelectorAll('header nav a')];
  const nav = document.querySelector('header nav');
  const top = (css) => Math.round(document.querySelector(css).getBoundingClientRect().top);
  return {tops: [...new Set(links.map(a => Math.round(a.getBoundingClientRect().top)))],
          overflow: nav.scrollWidth - nav.clientWidth, count: links.length,
          brand: top('header strong'), logout: top('#logout'), langs: top('header .langs')};
}"""


async def test_navigation_language_headers_and_icon_in_a_browser(base: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        await page.goto(base + "/dashboard/login")
        await page.fill("input[name=username]", "petugas.kecamatan.tampan")
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url("**/dashboard/")
        rows = await page.evaluate(NAV_ROWS)
        assert rows["count"] == 8 and len(rows["tops"]) == 1 and rows["overflow"] <= 0, rows
        # The links are one row of their own; the login and the languages stay beside the office's name.
        assert abs(rows["logout"] - rows["brand"]) < 10 and abs(rows["langs"] - rows["brand"]) < 10, rows

        await page.click("header .langs a[hreflang=en]")  # chosen on the overview, not at login
        await page.wait_for_url("**lang=en")
        rows = await page.evaluate(NAV_ROWS)
        assert len(rows["tops"]) == 1 and rows["overflow"] <= 0, rows  # the English labels fit too
        for href in ("/dashboard/inbox", "/dashboard/broadcasts", "/dashboard/content", "/dashboard/"):
            await page.click(f"header nav a[href='{href}']")
            await page.wait_for_load_state()
            assert await page.get_attribute("html", "lang") == "en", href
        headers = await page.locator("th").all_inner_texts()
        assert "Helpful" in headers and "Not helpful" in headers  # words, not emoji an office PC may not draw
        icon = await page.request.get(base + "/favicon.ico")
        assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
        assert not missing, missing  # no 404, the favicon the browser asks for included

        phone = await browser.new_page(viewport={"width": 390, "height": 844})
        await phone.goto(base + "/dashboard/")  # a fresh context: logged out, and the login page fits
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
        await browser.close()
