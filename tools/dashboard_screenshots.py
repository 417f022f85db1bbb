"""Screenshots of the dashboard's conversation pages at 1280 px and 390 px, for the README and review.

    .venv/bin/python tools/dashboard_screenshots.py --out docs/screenshots [--chromium /usr/bin/chromium]

A throwaway bot (temporary SQLite, the real content) with a few residents who asked for a person
on WhatsApp (handed to the engine as the channel does; nothing is sent), one of them held by an officer with a reply and a danger sign in the
thread; then Debian's chromium (playwright) photographs the queue, the conversation, a draft FAQ
entry and the overview at both widths. The PNGs are reduced to a 64-colour palette to stay small.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from bot.config import Settings
from bot.engine.types import Inbound
from bot.runtime import Runtime
from bot.storage import handover
from bot.storage.staff import add_staff
from bot.web.server import build_app

PASSWORD = "contoh-sandi-123"
RESIDENTS = {
    "ani": ["berapa harga rendang di pasar", "@btn handover:open", "anak saya demam sudah 3 hari, obatnya apa ya"],
    "budi": ["mau bicara dengan petugas", "kartu jkn saya hilang, bisa diurus di mana?"],
    "citra": ["admin tolong", "jadwal posyandu melati bulan ini kapan?"],
    "dewi": ["bisa chat sama orang?"],
}


async def scene(service: Runtime) -> int:
    """The residents' chats and an officer's work; returns the id of the held conversation."""
    from dataclasses import replace

    from bot.channels.console import parse_line

    def said(line: str, user: str) -> Inbound:  # as the WhatsApp channel hands it over
        number = 6281200000000 + sorted(RESIDENTS).index(user)
        return replace(parse_line(line, f"whatsapp:{number}"), channel="whatsapp")

    for user, lines in RESIDENTS.items():
        for line in lines:
            await service.handle(said(line, user))
    case = await handover.current(service.db, "whatsapp:6281200000000")
    assert case is not None and await handover.claim(service.db, case.id, "rina")
    reply = "Selamat siang Bu, saya Rina dari Dinkes. Berapa suhu anaknya sekarang, dan masih mau minum?"
    event = await handover.officer_said(service.db, case, "rina", reply)
    await handover.delivered(service.db, event, handover.DELIVERED)
    await service.handle(said("38,9 bu, tapi tadi sempat kejang sebentar", "ani"))
    await service.querylog.writer.flush()
    return case.id


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bot.db", "PSEUDONYM_KEY": "x"})
        service = await Runtime.open(settings, watch_interval=None)
        held = await scene(service)
        await add_staff(service.db, "rina", PASSWORD)
        runner = web.AppRunner(build_app(service))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        try:
            await shoot(base, held, args.out, args.chromium)
        finally:
            await runner.cleanup()
            await service.close()
    for png in sorted(args.out.glob("*.png")):
        print(f"{png} {png.stat().st_size // 1024} KiB")


async def shoot(base: str, held: int, out: Path, chromium: str) -> None:
    from playwright.async_api import async_playwright

    pages = {
        "conversations": "/dashboard/conversations",
        "conversation": f"/dashboard/conversations/{held}",
        "draft": "/dashboard/drafts/new?event=",
        "overview": "/dashboard/",
    }
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for width, height in ((1280, 800), (390, 844)):
            page = await browser.new_page(viewport={"width": width, "height": height})
            await page.goto(base + "/dashboard/login")
            await page.fill("input[name=username]", "rina")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url("**/dashboard/")
            for name, path in pages.items():
                if name == "draft":
                    await page.goto(base + pages["conversation"])
                    link = await page.get_attribute("a[href^='/dashboard/drafts/new?event=']", "href")
                    path = link or path
                await page.goto(base + path)
                target = out / f"{name}-{width}.png"
                await page.screenshot(path=str(target), full_page=True)
                _shrink(target)
            await page.close()
        await browser.close()


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


if __name__ == "__main__":
    asyncio.run(main())
