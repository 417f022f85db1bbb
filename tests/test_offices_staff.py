"""Several offices in one bot: staff and cadres act inside their own office, broadcasts reach that
office's residents under its name, and the dashboard shows one office to its staff and every
office (or any one) to provincial staff. Kota Pekanbaru (14.71) and Kabupaten Kampar (14.01).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.broadcast.worker import WorkerConfig
from bot.runtime import Runtime
from bot.storage import handover, roles
from bot.storage.outbox import Delivery
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from bot.web.server import build_app
from tests.support.chat import Chat, text_of
from tests.support.dashboard import PASSWORD, csrf, login
from tests.support.offices import KAMPAR, PEKANBARU, build_kampar, read, two_offices

TODAY = date(2026, 11, 23)
PKU_STAFF, KPR_STAFF, PROVINCE, KPR_CADRE = "pku-staff", "kpr-staff", "riau-staff", "kpr-cadre"  # chat users


def key(user: str) -> str:
    """The user key the chat driver gives a user (as `chat --jsonl --user` does)."""
    return f"console:{user}"


@dataclass
class Deployment:
    bot: Runtime
    kampar: Path
    tambang: str  # a Kampar kecamatan code
    tarai_bangun: str  # a desa code in it


@pytest.fixture(scope="module")
def kampar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kampar(tmp_path_factory.mktemp("offices"))


@pytest.fixture
async def deployment(tmp_path: Path, kampar: Path) -> AsyncIterator[Deployment]:
    bot = await Runtime.open(two_offices(tmp_path, kampar), watch_interval=None)
    wilayah = read(kampar, "wilayah.yaml")
    tambang = next(k for k in wilayah["kecamatan"] if k["name"] == "Tambang")
    desa = next(kel["code"] for kel in tambang["kelurahan"] if kel["name"] == "Tarai Bangun")
    await roles.grant(bot.db, key(PKU_STAFF), roles.STAFF, PEKANBARU)
    await roles.grant(bot.db, key(KPR_STAFF), roles.STAFF, KAMPAR)
    await roles.grant(bot.db, key(PROVINCE), roles.STAFF, None)
    # Residents: one subscribed to a Pekanbaru kelurahan, one to a Kampar desa, one with a child's
    # reminders only (no area), whose office is Kampar by the location they shared.
    await say(bot, "warga1", "/pengingat", "simpang baru")
    await say(bot, "warga2", "/pengingat", "tarai bangun")
    kampar_point = next(p for p in read(kampar, "puskesmas.yaml")["puskesmas"] if p["name"] == "Bangkinang")
    await say(
        bot, "warga3", f"@loc {kampar_point['lat']} {kampar_point['lon']}", "anak saya lahir 3 agustus 2026", "ya"
    )
    yield Deployment(bot, kampar, tambang["code"], desa)
    await bot.close()


async def say(bot: Runtime, user: str, *lines: str) -> list[dict]:
    return await Chat(bot, user=user, today=TODAY).run(*lines)


async def preview(bot: Runtime, user: str, audience: str = "@btn rem:aud:all") -> str:
    done = await say(bot, user, "/siaran", "Posyandu buka besok pagi.", audience, "@btn rem:now")
    return text_of(done[-1])


async def test_staff_reach_everyone_of_their_office_and_no_one_else(deployment: Deployment) -> None:
    bot = deployment.bot
    assert "Penerima: 1 orang (warga Kota Pekanbaru)" in await preview(bot, PKU_STAFF)
    assert "Penerima: 2 orang (warga Kabupaten Kampar)" in await preview(bot, KPR_STAFF)
    assert "Penerima: 3 orang (semua warga)" in await preview(bot, PROVINCE)


async def test_staff_of_one_office_cannot_pick_another_offices_area(deployment: Deployment) -> None:
    bot = deployment.bot
    told = await say(bot, PKU_STAFF, "/siaran", "Posyandu buka besok pagi.", "tarai bangun")
    assert "belum saya kenal" in text_of(told[-1])
    told = await say(bot, KPR_STAFF, "/siaran", "Posyandu buka besok pagi.", "tarai bangun", "@btn rem:now")
    assert "Penerima: 1 orang (Tarai Bangun)" in text_of(told[-1])


async def test_a_broadcast_goes_to_its_office_under_its_name(deployment: Deployment) -> None:
    bot = deployment.bot
    for staff in (PKU_STAFF, KPR_STAFF):
        await preview(bot, staff)
        await say(bot, staff, "@btn rem:send")
    await bot.worker(WorkerConfig()).housekeeping(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Jakarta")))
    async with bot.db.session() as session:
        rows = list(await session.scalars(select(Delivery).where(Delivery.broadcast_id.is_not(None))))
    got = {(r.user_key, "Kota Pekanbaru" in r.text, "Kabupaten Kampar" in r.text) for r in rows}
    assert got == {(key("warga1"), True, False), (key("warga2"), False, True), (key("warga3"), False, True)}


async def test_cadres_are_registered_and_removed_only_by_their_offices_staff(deployment: Deployment) -> None:
    bot = deployment.bot
    cadre_key = "telegram:904"  # a cadre's id as /idsaya shows it
    refused = await say(bot, PKU_STAFF, f"/kader {cadre_key} {deployment.tarai_bangun}")
    assert "tidak dikenal" in text_of(refused[0]) and await roles.role_of(bot.db, cadre_key) is None
    granted = await say(bot, KPR_STAFF, f"/kader {cadre_key} {deployment.tarai_bangun}")
    assert "Tarai Bangun" in text_of(granted[0])
    cadre = await roles.role_of(bot.db, cadre_key)
    assert cadre is not None and cadre.office == KAMPAR
    assert "kantor lain" in text_of((await say(bot, PKU_STAFF, f"/kader hapus {cadre_key}"))[0])
    assert "kantor lain" in text_of((await say(bot, PKU_STAFF, f"/kader {cadre_key} simpang baru"))[0])
    assert await roles.role_of(bot.db, cadre_key) == cadre
    assert cadre.may_reach(deployment.tarai_bangun) and not cadre.may_reach(PEKANBARU)
    # A cadre of that desa reaches its residents, nobody of Pekanbaru.
    await roles.grant(bot.db, key(KPR_CADRE), roles.CADRE, deployment.tarai_bangun)
    told = await say(bot, KPR_CADRE, "/siaran", "Posyandu Tarai Bangun besok.", "@btn rem:now")
    assert "Penerima: 1 orang (Tarai Bangun)" in text_of(told[-1])


@pytest.fixture
async def dashboard(deployment: Deployment) -> AsyncIterator[TestClient]:
    bot = deployment.bot
    await add_staff(bot.db, "kampar", PASSWORD, KAMPAR)
    await add_staff(bot.db, "riau", PASSWORD)
    await say(bot, "warga2", "xyzzy kampar plugh")  # unanswered, from a Kampar resident
    await say(bot, "warga1", "qwerty pekanbaru zork", "mau bicara dengan petugas")  # and a Pekanbaru one
    assert await bot.querylog.writer.flush()
    async with TestClient(TestServer(build_app(bot))) as client:
        yield client


async def test_office_staff_see_only_their_office(deployment: Deployment, dashboard: TestClient) -> None:
    assert await login(dashboard, username="kampar") == 302
    overview = await (await dashboard.get("/dashboard/")).text()
    assert "Dinas Kesehatan Kabupaten Kampar" in overview and "Semua kantor" not in overview
    inbox = await (await dashboard.get("/dashboard/inbox?show=all")).text()
    assert "xyzzy" in inbox and "qwerty" not in inbox
    subscribers = await (await dashboard.get("/dashboard/subscribers")).text()
    assert "Tarai Bangun" in subscribers and "Simpangbaru" not in subscribers
    content = await (await dashboard.get("/dashboard/content")).text()
    assert "Dinas Kesehatan Kabupaten Kampar" in content
    case = await handover.current(deployment.bot.db, key("warga1"))
    assert case is not None and case.office == PEKANBARU
    queue = await (await dashboard.get("/dashboard/conversations")).text()
    assert f"/dashboard/conversations/{case.id}" not in queue
    assert (await dashboard.get(f"/dashboard/conversations/{case.id}")).status == 404
    assert (await dashboard.get("/dashboard/subscribers?office=14.71")).status == 200  # no way out of Kampar
    assert "Simpangbaru" not in await (await dashboard.get("/dashboard/subscribers?office=14.71")).text()
    token = csrf(content)
    tried = await (await dashboard.post("/dashboard/try", data={"question": "halo", "csrf_token": token})).text()
    assert "Dinas Kesehatan Kabupaten Kampar" in tried  # staff try their own office's bot


async def test_provincial_staff_see_every_office_or_pick_one(deployment: Deployment, dashboard: TestClient) -> None:
    assert await login(dashboard, username="riau") == 302
    every = await (await dashboard.get("/dashboard/inbox?show=all")).text()
    assert "Semua kantor" in every and "xyzzy" in every and "qwerty" in every
    pekanbaru = await (await dashboard.get("/dashboard/inbox?show=all&office=14.71")).text()
    assert "qwerty" in pekanbaru and "xyzzy" not in pekanbaru
    remembered = await (await dashboard.get("/dashboard/subscribers")).text()  # the pick is kept
    assert "Simpangbaru" in remembered and "Tarai Bangun" not in remembered
    case = await handover.current(deployment.bot.db, key("warga1"))
    assert case is not None
    assert (await dashboard.get(f"/dashboard/conversations/{case.id}")).status == 200
    back = await (await dashboard.get("/dashboard/subscribers?office=all")).text()
    assert "Simpangbaru" in back and "Tarai Bangun" in back


async def test_subscribers_from_before_offices_are_the_default_offices(deployment: Deployment) -> None:
    """A subscriber kept before offices were recorded (no office, no area) belongs to the first pack's office."""
    bot = deployment.bot
    await ensure_subscriber(bot.db, "telegram:old", "telegram")  # as a row from before migration 0006 looks
    assert "Penerima: 2 orang (warga Kota Pekanbaru)" in await preview(bot, PKU_STAFF)
    assert "Penerima: 2 orang (warga Kabupaten Kampar)" in await preview(bot, KPR_STAFF)


async def test_faq_drafts_stay_with_their_office(deployment: Deployment, dashboard: TestClient) -> None:
    """A draft is checked against the viewed office's pack and only that office's staff see it."""
    assert await login(dashboard, username="kampar") == 302
    form = await (await dashboard.get("/dashboard/drafts/new")).text()
    data = {"csrf_token": csrf(form), "title": "Jadwal posyandu desa", "id": "posyandu_desa", "topic": "umum",
            "questions": "kapan posyandu di desa\njadwal posyandu desa", "answer": "Tanyakan ke bidan desa.",
            "source": "Dinas Kesehatan Kabupaten Kampar", "group_key": ""}  # fmt: skip
    saved = await dashboard.post("/dashboard/drafts", data=data, allow_redirects=False)
    assert saved.status == 302
    page = saved.headers["Location"]
    assert "Jadwal posyandu desa" in await (await dashboard.get("/dashboard/drafts")).text()
    await dashboard.post("/dashboard/logout", data={"csrf_token": csrf(form)})
    await add_staff(deployment.bot.db, "pekanbaru", PASSWORD, PEKANBARU)
    assert await login(dashboard, username="pekanbaru") == 302
    assert "Jadwal posyandu desa" not in await (await dashboard.get("/dashboard/drafts")).text()
    assert (await dashboard.get(page)).status == 404
