"""What office staff found when they tried the dashboard in a browser, each fixed and kept fixed.

The language choice sticks; a mark saved with the default choices explains itself; broadcasts,
times and content problems read in the staff's words and time zone; the chart shows every day;
topics are residents' topics by their titles; no jargon, no emoji-only headers; /favicon.ico; the
login limit believes X-Forwarded-For only from the proxies named in TRUSTED_PROXIES.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from bot.config import Settings, parse_networks
from bot.runtime import Runtime
from bot.storage import broadcasts, inbox, outbox, roles
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from bot.web.dashboard.auth import TRUSTED, client_ip
from bot.web.dashboard.charts import line_chart
from bot.web.server import build_app
from tests.support.chat import Chat
from tests.support.dashboard import PASSWORD, csrf, log_questions, logged_in, login, page, visible_text
from tests.support.settings import make_settings

PAGES = ["/dashboard/", "/dashboard/conversations", "/dashboard/inbox", "/dashboard/drafts", "/dashboard/broadcasts",
         "/dashboard/subscribers", "/dashboard/content", "/dashboard/try"]  # fmt: skip


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[TestClient]:
    async with logged_in(service) as c:
        yield c


async def test_the_language_chosen_on_any_page_sticks_for_the_pages_after_it(client: TestClient) -> None:
    assert 'lang="id"' in await page(client, "/dashboard/broadcasts")
    assert 'lang="en"' in await page(client, "/dashboard/inbox?lang=en")  # chosen on a page, not at login
    for path in PAGES:
        html = await page(client, path)
        assert 'lang="en"' in html, path
    assert "Broadcasts" in await page(client, "/dashboard/broadcasts")
    closed = await page(client, "/dashboard/conversations?view=closed")
    assert re.search(r'href="[^"]*view=closed[^"]*lang=id|href="[^"]*lang=id[^"]*view=closed', closed)  # tab kept
    await page(client, "/dashboard/?lang=id")
    assert 'lang="id"' in await page(client, "/dashboard/inbox")


async def test_saving_an_inbox_group_with_the_default_choices_shows_a_message(service: Runtime) -> None:
    zone = service.holder.current.office.zone
    await log_questions(service.db, zone, [(0, "telegram", "harga obat batuk berapa", "fallback", False)] * 3)
    async with logged_in(service) as client:
        html = await page(client, "/dashboard/inbox")
        key = re.search(r'name="group_key" value="([^"]+)"', html)
        assert key, html
        for status, intent_id, message in [
            ("answered_by_faq", "", "Pilih FAQ yang sudah menjawab"),  # the choices as the page first offered them
            ("", "", "Pilih dulu tanda"),
        ]:
            data = {"csrf_token": csrf(html), "group_key": key[1], "status": status, "intent_id": intent_id}
            response = await client.post("/dashboard/inbox", data=data)
            shown = await response.text()
            assert response.status == 400 and 'id="mark-error"' in shown and message in shown
            assert "<nav>" in shown and "harga obat batuk" in shown  # the whole page, the group still there
            assert "choose the FAQ" not in shown
        english = await client.post(
            "/dashboard/inbox?lang=en",
            data={"csrf_token": csrf(html), "group_key": key[1], "status": "answered_by_faq", "intent_id": ""},
        )
        assert "Choose the FAQ entry" in await english.text()
        chosen = {"csrf_token": csrf(html), "group_key": key[1], "status": "answered_by_faq", "intent_id": "ckg"}
        done = await client.post("/dashboard/inbox", data=chosen, allow_redirects=False)
        assert done.status == 302
        assert (await inbox.marks(service.db, [key[1]]))[key[1]].intent_id == "ckg"


async def test_a_finished_broadcast_reads_done_and_times_are_office_time(service: Runtime) -> None:
    db, now = service.db, datetime.now(UTC)
    await ensure_subscriber(db, "telegram:501", "telegram")
    done = await broadcasts.create_broadcast(db, "telegram:900", "id", "staff", "Posyandu Melati buka", None, now, None)
    later = now + timedelta(days=1)
    await broadcasts.create_broadcast(db, "telegram:900", "id", "staff", "Imunisasi besok", None, later, None)
    assert await broadcasts.queue_run(db, done, 0, now, {"id": "Posyandu Melati buka"}, None) == 1
    claimed = await outbox.claim(db, "telegram", "w1", 10, now, timedelta(minutes=5))
    for row in claimed:
        assert await outbox.start(db, "w1", row.id, now, timedelta(minutes=5))
    await outbox.finish(db, "w1", [outbox.Result(c.id, outbox.SENT, "m1") for c in claimed], now)
    async with logged_in(service) as client:
        html = await page(client, "/dashboard/broadcasts")
        shown = visible_text(html)
        assert "Selesai" in shown and "Terjadwal" in shown
        for raw in ("queued", "scheduled", "UTC"):
            assert raw not in shown, raw
        local = later.astimezone(service.holder.current.office.zone)
        assert f"{local:%H}.{local:%M} WIB" in shown
        assert "Finished" in visible_text(await page(client, "/dashboard/broadcasts?lang=en"))


def test_the_daily_chart_shows_one_day_of_data_and_every_day_without_messages() -> None:
    days = [f"{d:02d}/11" for d in range(1, 31)]
    only_today = [0.0] * 29 + [12.0]
    svg = line_chart(days, {"telegram": only_today}, "Pesan per hari")
    points = re.search(r'points="([^"]+)"', svg)
    assert points and len(points[1].split()) == 30  # zeros are points too
    assert len(re.findall(r'<circle [^>]*r="3"', svg)) == 1  # the one day with messages is a visible dot
    single = line_chart(["30/11"], {"telegram": [5.0]}, "Pesan per hari")
    assert "<circle" in single  # a lone point still shows
    assert "Belum ada pesan" in line_chart(days, {}, "Pesan per hari", "Belum ada pesan.")


async def test_the_overview_chart_covers_the_whole_period(service: Runtime) -> None:
    zone = service.holder.current.office.zone
    await log_questions(service.db, zone, [(0, "telegram", "halo", "greeting", True)] * 4)
    async with logged_in(service) as client:
        html = await page(client, "/dashboard/")
        chart = html[html.index("Pesan per hari") - 300 :]
        points = re.search(r'points="([^"]+)"', chart)
        assert points and len(points[1].split()) == 30  # the dashboard's 30 days, one of them with messages


async def test_topics_are_residents_topics_by_title_never_intent_names(service: Runtime) -> None:
    zone = service.holder.current.office.zone
    await roles.grant(service.db, "console:kader", roles.STAFF, None, granted_by="console:kepala")
    await Chat(service, user="kader").run("/siaran", "Posyandu Melati buka Selasa pukul 08.00, bawa buku KIA")
    assert await service.querylog.writer.flush()
    await log_questions(
        service.db,
        zone,
        [(0, "telegram", "jadwal campak", "imunisasi_vaksin", True), (1, "telegram", "apa itu ckg", "ckg", True),
         (0, "telegram", "/siaran", "siaran", True), (0, "telegram", "/kader", "kader", True),
         (0, "telegram", "english", "bahasa", True), (0, "telegram", "admin tolong", "handover", True),
         (2, "whatsapp", "soal lama", "faq_yang_dihapus", True)],
    )  # fmt: skip
    await service.querylog.writer.flush()
    async with logged_in(service) as client:
        html = await page(client, "/dashboard/")
        figures = " ".join(re.findall(r"(?s)<figure.*?</figure>", html))
        table = html[html.index("<table") :]
        for where in (figures, table):
            for internal in (
                "siaran",
                "kader",
                "bahasa",
                "handover",
                "faq_yang_dihapus",
                "imunisasi_vaksin",
                "Posyandu",
            ):
                assert internal not in where, internal
        assert "Kapan vaksin tertentu" in figures and "Cek Kesehatan Gratis" in figures
        assert "Topik lain" in figures  # an entry no longer in the content, summed under a plain label


async def test_answer_times_in_plain_words(service: Runtime) -> None:
    zone = service.holder.current.office.zone
    await log_questions(service.db, zone, [(0, "telegram", "apa itu ckg", "ckg", True)] * 5)
    async with logged_in(service) as client:
        shown = visible_text(await page(client, "/dashboard/"))
        assert "Separuh jawaban" in shown and "99 dari 100 jawaban" in shown and "detik" in shown
        assert not re.search(r"\bp50\b|\bp99\b|\bms\b|persentil|percentile", shown, re.IGNORECASE)


async def test_content_health_speaks_the_staffs_language_and_time(tmp_path: Path, content_dir: Path) -> None:
    office = content_dir / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8") + "\n# TODO-VERIFY nomor pengaduan\n", encoding="utf-8")
    (content_dir / "catatan.yaml").write_text("a: 1\n", encoding="utf-8")  # a file the bot does not use
    service = await Runtime.open(make_settings(tmp_path, content_dir), watch_interval=None)
    try:
        smalltalk = content_dir / "smalltalk.yaml"
        smalltalk.write_text(smalltalk.read_text(encoding="utf-8") + "\n: [broken\n", encoding="utf-8")
        assert not service.holder.reload()  # refused: the page lists why
        await add_staff(service.db, "petugas", PASSWORD)
        async with TestClient(TestServer(build_app(service))) as c:
            await login(c)
            html = await page(c, "/dashboard/content")
            english = await page(c, "/dashboard/content?lang=en")
    finally:
        await service.close()
    shown = visible_text(html)
    assert "WIB" in shown and "UTC" not in shown
    assert "berubah setiap kali berkas konten diubah" in shown  # the version code is explained
    assert "tidak dipakai bot" in shown, shown
    assert "Perlu dipastikan" in shown, shown
    assert "Perubahan terakhir ditolak" in shown and "Rincian teknis" in html  # the parser's words folded away
    english_words = re.compile(r"\b(warning|translation|is used|not used|misnamed|to verify|expected|found|line \d)")
    assert not english_words.search(shown), english_words.search(shown)
    assert "not used by any part of the bot" in visible_text(english)  # in English, the check's own words


def _no_symbol_only_headers(html: str, path: str) -> None:
    for header in re.findall(r"(?s)<th\b[^>]*>(.*?)</th>", html):
        text = visible_text(header)
        assert text, (path, header)
        symbols = [ch for ch in text if unicodedata.category(ch) == "So"]
        assert not symbols, (path, text)  # emoji need a font the office PC may not have


async def test_no_column_header_is_an_emoji(service: Runtime) -> None:
    zone = service.holder.current.office.zone
    await log_questions(service.db, zone, [(0, "telegram", "apa itu ckg", "ckg", True)])
    async with logged_in(service) as client:
        for path in PAGES:
            _no_symbol_only_headers(await page(client, path), path)


async def test_favicon_is_served(service: Runtime) -> None:
    async with TestClient(TestServer(build_app(service))) as c:
        response = await c.get("/favicon.ico")
        body = await response.read()
    assert response.status == 200 and response.headers["Content-Type"] == "image/x-icon"
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 8192  # an ICO file, small


def _request(remote: str, forwarded: str, trusted: str) -> web.Request:
    app = web.Application()
    app[TRUSTED] = parse_networks(trusted)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = make_mocked_request("POST", "/dashboard/login", headers=headers, app=app)
    return request.clone(remote=remote)


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "counted"),
    [
        ("203.0.113.9", "1.2.3.4", "", "203.0.113.9"),  # no proxy configured: the header is the client's claim
        ("203.0.113.9", "1.2.3.4", "127.0.0.1", "203.0.113.9"),  # not from the proxy
        ("127.0.0.1", "198.51.100.7", "127.0.0.1", "198.51.100.7"),  # nginx added the real address
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "127.0.0.1", "198.51.100.7"),  # a forged hop before it is ignored
        ("10.0.0.2", "198.51.100.7, 10.0.0.5", "10.0.0.0/8", "198.51.100.7"),  # two proxies in the network
        ("127.0.0.1", "garbage", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(
    remote: str, forwarded: str, trusted: str, counted: str
) -> None:
    assert client_ip(_request(remote, forwarded, trusted)) == counted


async def test_a_client_cannot_dodge_the_login_limit_with_forged_headers(service: Runtime) -> None:
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as c:
        for i in range(5):
            token = csrf(await (await c.get("/dashboard/login")).text())
            form = {"username": f"tebak{i}", "password": "salah-salah-salah", "csrf_token": token}
            failed = await c.post("/dashboard/login", data=form, headers={"X-Forwarded-For": f"203.0.113.{i}"})
            assert failed.status == 401
        token = csrf(await (await c.get("/dashboard/login")).text())
        form = {"username": "lain", "password": "salah-salah-salah", "csrf_token": token}
        blocked = await c.post("/dashboard/login", data=form, headers={"X-Forwarded-For": "198.51.100.99"})
        assert blocked.status == 429  # the same peer, whatever the header says


async def test_behind_the_configured_proxy_each_client_is_counted_on_its_own(tmp_path: Path) -> None:
    settings = replace(make_settings(tmp_path), trusted_proxies=parse_networks("127.0.0.1"))
    service = await Runtime.open(settings, watch_interval=None)
    try:
        await add_staff(service.db, "petugas", PASSWORD)
        async with TestClient(TestServer(build_app(service))) as c:
            for i in range(5):
                token = csrf(await (await c.get("/dashboard/login")).text())
                form = {"username": f"tebak{i}", "password": "salah-salah-salah", "csrf_token": token}
                await c.post("/dashboard/login", data=form, headers={"X-Forwarded-For": "203.0.113.1"})
            assert await login(c) == 302  # another resident of the same office network... from another address
    finally:
        await service.close()


def test_trusted_proxies_setting() -> None:
    settings = Settings.from_env({"TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8 ,::1"})
    assert [str(n) for n in settings.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    assert Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(ValueError, match="nginx"):
        Settings.from_env({"TRUSTED_PROXIES": "nginx"})
